package dev.ebb.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A second Ebb replica ({@link EbbProcess}) against the same API server, and the
 * {@code @QuarkusTest} operator made its peer. The second replica stands in for a replica that is
 * not the leader: its controllers watch a namespace that does not exist, so it reconciles nothing
 * and runs no autoscaling, but its gateway serves every endpoint. Its log is {@code
 * target/second-replica.log}; the test reads its port from {@code ebb.test.second-replica-port}.
 */
public class SecondReplicaResource implements QuarkusTestResourceLifecycleManager {
  public static final String TOKEN = "peer-token-for-tests";

  /** The {@code @QuarkusTest} operator's HTTP port ({@code quarkus.http.test-port}'s default). */
  private static final int FIRST_REPLICA_PORT = 8081;

  private EbbProcess replica;

  @Override
  public Map<String, String> start() {
    replica =
        EbbProcess.againstTestApiServer(
            "second-replica",
            Map.of(
                "quarkus.operator-sdk.namespaces",
                "ebb-no-such-namespace",
                // Out of a cluster the Lease's namespace cannot be read from a service account.
                "ebb.leader-election.namespace",
                "default",
                "ebb.cluster.peer-token",
                TOKEN,
                "ebb.cluster.peers",
                "http://localhost:" + FIRST_REPLICA_PORT));
    return Map.of(
        "ebb.cluster.peer-token",
        TOKEN,
        "ebb.cluster.peers",
        "http://localhost:" + replica.httpPort,
        "ebb.test.second-replica-port",
        String.valueOf(replica.httpPort));
  }

  @Override
  public void stop() {
    if (replica != null) {
      replica.close();
    }
  }
}
