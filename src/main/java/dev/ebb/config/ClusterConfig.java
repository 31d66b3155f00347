package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Several Ebb replicas serving the gateway: each reports the requests it holds and its per-copy
 * metrics to the others, so the replica that runs the autoscaling loop (the leader) sees the sum.
 * Properties {@code ebb.cluster.*}; environment {@code EBB_CLUSTER_*}. Without a peer token the
 * replica works alone and serves no peer API.
 */
@ConfigMapping(prefix = "ebb.cluster")
public interface ClusterConfig {
  /**
   * Shared secret the replicas present to each other ({@code X-Ebb-Peer-Token}); the Helm chart
   * generates it. Unset: no peers, and the peer API answers 404.
   */
  Optional<String> peerToken();

  /** Peers by base URL (e.g. {@code http://10.0.0.7:8080}), for fixed set-ups and tests. */
  Optional<List<String>> peers();

  /**
   * Peers as the ready pods matching this label selector (e.g. {@code app.kubernetes.io/name=ebb})
   * in {@link #namespace()}, reached on {@link #peerPort()}.
   */
  Optional<String> peerSelector();

  /** The namespace Ebb's own pods run in (the Helm chart sets it from the downward API). */
  Optional<String> namespace();

  /** This pod's IP (downward API), so a replica does not count itself as a peer. */
  Optional<String> podIp();

  /** The HTTP port peers serve the gateway and the peer API on. */
  @WithDefault("8080")
  int peerPort();

  /** How often each peer's metrics are fetched. Demand is pushed at once, not polled. */
  @WithDefault("1s")
  Duration pollInterval();
}
