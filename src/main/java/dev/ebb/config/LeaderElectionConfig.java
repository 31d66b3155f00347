package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Leader election among Ebb's replicas (in the prod profile): one replica holds a Lease and runs
 * the reconcilers and the autoscaling loop; every replica serves the gateway. Properties {@code
 * ebb.leader-election.*}; environment {@code EBB_LEADER_ELECTION_*}.
 */
@ConfigMapping(prefix = "ebb.leader-election")
public interface LeaderElectionConfig {
  /** Off only for a single replica run by hand; the Helm chart keeps it on. */
  @WithDefault("true")
  boolean enabled();

  /** The Lease's name. */
  @WithDefault("ebb-operator")
  String leaseName();

  /**
   * The Lease's namespace. Unset: the namespace the pod runs in (read from its service account),
   * which is what a Deployment wants.
   */
  Optional<String> namespace();

  /**
   * A Role in the Lease's namespace that the leader makes the Lease's owner (the Helm chart's
   * leader-election Role), so Kubernetes' garbage collector deletes the Lease, which the operator
   * creates outside any release, together with the release. Unset: the Lease has no owner.
   */
  Optional<String> ownerRole();

  /** How long a leader that stops renewing keeps the Lease before another replica takes over. */
  @WithDefault("15s")
  Duration leaseDuration();

  /** How long the leader keeps trying to renew before it gives up (and exits, to start clean). */
  @WithDefault("10s")
  Duration renewDeadline();

  /** How often replicas that are not the leader try to take the Lease. */
  @WithDefault("2s")
  Duration retryPeriod();
}
