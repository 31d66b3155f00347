package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.testing.EbbProcess;
import dev.ebb.testing.TestNamespace;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas of the packaged operator (prod profile: leader election on): only the Lease holder
 * reconciles; when it dies, the other takes the Lease and reconciles.
 */
class LeaderElectionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("team", TIMEOUT);

  @Test
  void onlyTheLeaderReconcilesAndAnotherReplicaTakesOverWhenItDies() {
    TestNamespace leases = ns.another("ebb-system");
    Map<String, String> properties =
        Map.of(
            "ebb.leader-election.namespace", leases.name(),
            "ebb.leader-election.lease-duration", "4s",
            "ebb.leader-election.renew-deadline", "3s",
            "ebb.leader-election.retry-period", "1s");
    try (EbbProcess first = EbbProcess.againstTestApiServer("replica-a", properties);
        EbbProcess second = EbbProcess.againstTestApiServer("replica-b", properties)) {
      String leader = awaitLeaseHolder(leases);
      EbbProcess leading = leader.startsWith("replica-a_") ? first : second;
      EbbProcess following = leading == first ? second : first;

      ns.apply(endpoint("before"));
      awaitReported("before");
      assertThat(reporters("before"))
          .as("only the replica holding the Lease reconciles")
          .containsOnly(leader.substring(0, leader.indexOf('_')));

      leading.kill();
      await()
          .atMost(TIMEOUT)
          .until(() -> awaitLeaseHolder(leases), holder -> !holder.equals(leader));
      ns.apply(endpoint("after"));
      awaitReported("after");
      assertThat(reporters("after")).containsOnly(following == first ? "replica-a" : "replica-b");
    }
  }

  /** The replicas that recorded Events about endpoint {@code name}. */
  private static java.util.Set<String> reporters(String name) {
    return ns.resources(Event.class).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReportingInstance())
        .collect(java.util.stream.Collectors.toSet());
  }

  private static String awaitLeaseHolder(TestNamespace leases) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              var lease = leases.get(Lease.class, "ebb-operator");
              return lease == null ? null : lease.getSpec().getHolderIdentity();
            },
            holder -> holder != null && !holder.isEmpty());
  }

  private static String endpoint(String name) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: %s}
        spec:
          backend: local
          variants: [{name: AllTraffic}]
        """
        .formatted(name);
  }

  /**
   * Waits until some replica wrote the endpoint's status (a local endpoint with no component is not
   * Ready: VariantNotServing).
   */
  private static void awaitReported(String name) {
    ns.awaitStatus(
        InferenceEndpoint.class, name, e -> e.getStatus().condition(Condition.READY) != null);
  }
}
