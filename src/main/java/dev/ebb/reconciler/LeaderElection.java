package dev.ebb.reconciler;

import dev.ebb.config.LeaderElectionConfig;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.UUID;

/**
 * The Lease the replicas compete for. The operator SDK asks for this bean only in the profiles it
 * activates leader election for (prod); without it (null) every replica would reconcile. A replica
 * that loses the Lease exits, so it restarts as a follower with no state from its time as leader.
 */
public class LeaderElection {
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(LeaderElectionConfig config) {
    if (!config.enabled()) {
      return null;
    }
    LeaderElectionConfigurationBuilder lease =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
            .withLeaseDuration(config.leaseDuration())
            .withRenewDeadline(config.renewDeadline())
            .withRetryPeriod(config.retryPeriod())
            .withExitOnStopLeading(true)
            // The pod's name, readable in the Lease's holderIdentity; the suffix keeps two
            // processes on one host apart.
            .withIdentity(
                Optional.ofNullable(System.getenv("HOSTNAME")).orElse("ebb")
                    + "_"
                    + UUID.randomUUID().toString().substring(0, 8));
    config.namespace().ifPresent(lease::withLeaseNamespace);
    return lease.build();
  }
}
