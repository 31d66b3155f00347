package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.endpoint.EndpointStatus;
import dev.ebb.testing.Manifests;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusPatchTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  /** No API server: the transition's Event cannot be recorded, which never fails a patch. */
  private static final KubernetesClient NOWHERE =
      new KubernetesClientBuilder()
          .withConfig(
              new ConfigBuilder()
                  .withMasterUrl("http://127.0.0.1:1")
                  .withRequestRetryBackoffLimit(0)
                  .build())
          .build();

  private static final String ENDPOINT =
      """
      apiVersion: ebb.dev/v1alpha1
      kind: InferenceEndpoint
      metadata: {name: llm}
      spec:
        backend: local
        variants: [{name: AllTraffic}]
      """;

  @Test
  void patchesWhenStatusDiffersAndNotWhenItIsEqual() {
    InferenceEndpoint endpoint = Manifests.parse(InferenceEndpoint.class, ENDPOINT, 1);
    var first =
        EndpointStatus.local(
            endpoint,
            "llm",
            "http://gw",
            java.util.List.of(),
            java.util.Optional.empty(),
            Instant.parse("2026-11-23T10:00:00Z"));

    endpoint.getMetadata().setLabels(java.util.Map.of("team", "a"));
    endpoint.getMetadata().setFinalizers(java.util.List.of("inferenceendpoints.ebb.dev/finalizer"));
    var control = StatusPatch.ifChanged(NOWHERE, NOW, endpoint, first);
    assertThat(control.isPatchStatus()).isTrue();
    assertThat(endpoint.getStatus()).isEqualTo(first);
    // What is applied to /status carries nothing Ebb would then co-own.
    InferenceEndpoint applied = control.getResource().orElseThrow();
    assertThat(applied.getStatus()).isEqualTo(first);
    assertThat(applied.getMetadata().getName()).isEqualTo("llm");
    assertThat(applied.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(applied.getMetadata().getFinalizers()).isNullOrEmpty();
    assertThat(applied.getSpec()).isNull();

    var later =
        EndpointStatus.local(
            endpoint,
            "llm",
            "http://gw",
            java.util.List.of(),
            java.util.Optional.empty(),
            Instant.parse("2026-11-23T11:00:00Z"));
    assertThat(StatusPatch.ifChanged(NOWHERE, NOW, endpoint, later).isNoUpdate()).isTrue();
  }
}
