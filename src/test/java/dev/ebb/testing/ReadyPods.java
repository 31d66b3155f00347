package dev.ebb.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/** The pods of a namespace whose Ready condition is True, as the fake node agent reports them. */
public final class ReadyPods {
  private ReadyPods() {}

  public static List<Pod> in(KubernetesClient client, String namespace) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(ReadyPods::ready)
        .toList();
  }

  /** Waits until {@code n} pods of {@code ns} are ready; returns them. */
  public static List<Pod> await(TestNamespace ns, int n) {
    return await(ns.client(), ns.name(), n, ns.timeout());
  }

  /** Waits until {@code n} pods of the namespace are ready; returns them. */
  public static List<Pod> await(
      KubernetesClient client, String namespace, int n, Duration timeout) {
    return org.awaitility.Awaitility.await()
        .atMost(timeout)
        .until(() -> in(client, namespace), pods -> pods.size() == n);
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
