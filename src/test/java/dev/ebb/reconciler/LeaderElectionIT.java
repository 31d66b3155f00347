package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.testing.EbbProcess;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged operator (prod profile: leader election on): only the Lease holder
 * reconciles; when it dies, the other takes the Lease and reconciles.
 */
class LeaderElectionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final KubernetesClient client = EmbeddedApiServer.newClient();

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void onlyTheLeaderReconcilesAndAnotherReplicaTakesOverWhenItDies() {
    String leases = TestNamespace.create(client, "ebb-system");
    String ns = TestNamespace.create(client, "team");
    Map<String, String> properties =
        Map.of(
            "ebb.leader-election.namespace", leases,
            "ebb.leader-election.lease-duration", "4s",
            "ebb.leader-election.renew-deadline", "3s",
            "ebb.leader-election.retry-period", "1s");
    try (EbbProcess first = EbbProcess.againstTestApiServer("replica-a", properties);
        EbbProcess second = EbbProcess.againstTestApiServer("replica-b", properties)) {
      String leader = awaitLeaseHolder(leases);
      EbbProcess leading = leader.startsWith("replica-a_") ? first : second;
      EbbProcess following = leading == first ? second : first;

      endpoint(ns, "before");
      awaitReady(ns, "before");
      assertThat(reporters(ns, "before"))
          .as("only the replica holding the Lease reconciles")
          .containsOnly(leader.substring(0, leader.indexOf('_')));

      leading.kill();
      await()
          .atMost(TIMEOUT)
          .until(() -> awaitLeaseHolder(leases), holder -> !holder.equals(leader));
      endpoint(ns, "after");
      awaitReady(ns, "after");
      assertThat(reporters(ns, "after"))
          .containsOnly(following == first ? "replica-a" : "replica-b");
    }
  }

  /** The replicas that recorded Events about endpoint {@code name}. */
  private static java.util.Set<String> reporters(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReportingInstance())
        .collect(java.util.stream.Collectors.toSet());
  }

  private static String awaitLeaseHolder(String namespace) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              var lease = client.leases().inNamespace(namespace).withName("ebb-operator").get();
              return lease == null ? null : lease.getSpec().getHolderIdentity();
            },
            holder -> holder != null && !holder.isEmpty());
  }

  private static void endpoint(String ns, String name) {
    client
        .load(
            new ByteArrayInputStream(
                """
                apiVersion: ebb.dev/v1alpha1
                kind: InferenceEndpoint
                metadata: {name: %s}
                spec:
                  backend: local
                  variants: [{name: AllTraffic}]
                """
                    .formatted(name)
                    .getBytes(StandardCharsets.UTF_8)))
        .inNamespace(ns)
        .serverSideApply();
  }

  private static void awaitReady(String ns, String name) {
    await()
        .atMost(TIMEOUT)
        .until(
            () -> client.resources(InferenceEndpoint.class).inNamespace(ns).withName(name).get(),
            e ->
                e != null
                    && e.getStatus() != null
                    && "True".equals(e.getStatus().condition(Condition.READY).status()));
  }
}
