package dev.ebb.reconciler;

import dev.ebb.config.LeaderElectionConfig;
import dev.ebb.local.Leadership;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The Lease the replicas compete for. The operator SDK asks for this bean only in the profiles it
 * activates leader election for (prod); without it (null) every replica would reconcile. A replica
 * that loses the Lease exits, so it restarts as a follower with no state from its time as leader.
 */
public class LeaderElection {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(
      LeaderElectionConfig config, KubernetesClient client, Leadership leadership) {
    if (!config.enabled()) {
      return null;
    }
    LeaderElectionConfigurationBuilder lease =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
            .withLeaseDuration(config.leaseDuration())
            .withRenewDeadline(config.renewDeadline())
            .withRetryPeriod(config.retryPeriod())
            // Not the SDK's own exit: it calls System.exit on the thread that stops leading, which
            // on SIGTERM is the shutdown hook itself, so the JVM waited for itself forever (a
            // leader pod then took its whole termination grace period to go).
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    () -> {
                      LeaseOwner.claim(client, config);
                      leadership.startedLeading();
                    },
                    LeaderElection::exitUnlessShuttingDown,
                    id -> {}))
            // The pod's name, readable in the Lease's holderIdentity; the suffix keeps two
            // processes on one host apart.
            .withIdentity(
                Optional.ofNullable(System.getenv("HOSTNAME")).orElse("ebb")
                    + "_"
                    + UUID.randomUUID().toString().substring(0, 8));
    config.namespace().ifPresent(lease::withLeaseNamespace);
    return lease.build();
  }

  /**
   * The Lease was lost while running: exit, from a thread of its own (the shutdown hooks stop the
   * operator, which waits for the thread that calls this). Stopping to lead because the JVM is
   * already shutting down needs nothing more.
   */
  static void exitUnlessShuttingDown() {
    if (shuttingDown()) {
      return;
    }
    LOG.info("lost the leader Lease: exiting, to restart as a follower");
    Thread exit = new Thread(() -> System.exit(1), "ebb-lost-lease");
    exit.start();
  }

  /** The JVM refuses new shutdown hooks once it is shutting down. */
  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
