package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The three reconcilers, running in Quarkus against a real kube-apiserver. */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class ReconcilersIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("reconcilers", TIMEOUT);

  @Test
  void endpointGetsObservedGenerationAndConditionsOnFirstVisit() {
    ns.apply(InferenceEndpoint.class, localEndpoint("llm", "1.0"));

    // No component yet: routed, but nothing serves its variant, and the status says so.
    var status =
        awaitReady(InferenceEndpoint.class, "llm", Reasons.VARIANT_NOT_SERVING, 1L).getStatus();
    assertThat(status.state()).isEqualTo("Pending");
    assertThat(status.condition(Condition.READY).message())
        .isEqualTo("variant AllTraffic has no InferenceComponent.");
    assertThat(status.condition(Condition.STALLED)).isNull();
    assertThat(status.url())
        .isEqualTo(
            "http://ebb-gateway.ebb-system/endpoints/" + status.endpointName() + "/invocations");
    String readySince = status.condition(Condition.READY).lastTransitionTime();

    ns.apply(InferenceEndpoint.class, localEndpoint("llm", "0.5"));

    var updated =
        awaitReady(InferenceEndpoint.class, "llm", Reasons.VARIANT_NOT_SERVING, 2L).getStatus();
    assertThat(updated.condition(Condition.READY).lastTransitionTime())
        .as("an unchanged condition keeps its lastTransitionTime")
        .isEqualTo(readySince);
  }

  @Test
  void componentWaitsForItsEndpointAndIsWokenWhenItAppearsAndGoes() {
    ns.apply(InferenceComponent.class, component("llama", "llm", "AllTraffic"));
    var waiting = awaitReady(InferenceComponent.class, "llama", Reasons.ENDPOINT_NOT_FOUND, 1L);
    assertThat(waiting.getStatus().state()).isEqualTo("Pending");
    assertThat(waiting.getStatus().selector()).isEqualTo("ebb.dev/inference-component=llama");
    assertThat(waiting.getStatus().condition(Condition.STALLED)).isNull();

    ns.apply(InferenceEndpoint.class, endpoint("llm", "AllTraffic", "1.0"));
    awaitReady(InferenceComponent.class, "llama", Reasons.COPIES_STARTING, 1L);

    endpoints().withName("llm").delete();
    awaitReady(InferenceComponent.class, "llama", Reasons.ENDPOINT_NOT_FOUND, 1L);
  }

  @Test
  void componentOnAMissingVariantIsStalledUntilTheEndpointGainsIt() {
    ns.apply(InferenceEndpoint.class, endpoint("llm", "Blue", "1.0"));
    ns.apply(InferenceComponent.class, component("llama", "llm", "Green"));

    var stalled =
        awaitReady(InferenceComponent.class, "llama", Reasons.VARIANT_NOT_FOUND, 1L).getStatus();
    assertThat(stalled.condition(Condition.READY).message())
        .contains("has no variant Green (its variants: Blue)");
    assertThat(stalled.condition(Condition.STALLED).status()).isEqualTo("True");

    ns.apply(InferenceEndpoint.class, endpoint("llm", "Green", "1.0"));
    awaitReady(InferenceComponent.class, "llama", Reasons.COPIES_STARTING, 1L);
  }

  @Test
  void policyResolvesItsTargetAndIsWokenWhenItAppears() {
    ns.apply(
        ScalingPolicy.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: llama-scaling}
        spec:
          targetRef: {kind: InferenceComponent, name: llama}
          minCapacity: 0
          maxCapacity: 4
        """);
    awaitReady(ScalingPolicy.class, "llama-scaling", Reasons.TARGET_NOT_FOUND, 1L);

    ns.apply(InferenceComponent.class, component("llama", "llm", "AllTraffic"));
    // Found, but its endpoint is not there to say where (or on which backend) it runs.
    awaitReady(ScalingPolicy.class, "llama-scaling", Reasons.TARGET_NOT_READY, 1L);

    ns.apply(
        ScalingPolicy.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: whisper-scaling}
        spec:
          targetRef: {kind: InferenceEndpoint, name: llm, variant: Shadow}
          minCapacity: 0
          maxCapacity: 2
        """);
    awaitReady(ScalingPolicy.class, "whisper-scaling", Reasons.TARGET_NOT_FOUND, 1L);
    ns.apply(InferenceEndpoint.class, endpoint("llm", "AllTraffic", "1.0"));
    awaitReady(ScalingPolicy.class, "whisper-scaling", Reasons.VARIANT_NOT_FOUND, 1L);
  }

  @Test
  void scaleSubresourceSetsCopies() {
    ns.apply(InferenceComponent.class, component("llama", "llm", "AllTraffic"));
    awaitReady(InferenceComponent.class, "llama", Reasons.ENDPOINT_NOT_FOUND, 1L);

    components().withName("llama").scale(0);

    InferenceComponent scaled = components().withName("llama").get();
    assertThat(scaled.getSpec().copies()).isZero();
    assertThat(components().withName("llama").scale().getStatus().getSelector())
        .isEqualTo("ebb.dev/inference-component=llama");
  }

  @Test
  void statusIsNotPatchedWhenNothingChanged() {
    ns.apply(InferenceEndpoint.class, endpoint("llm", "AllTraffic", "1.0"));
    ns.apply(InferenceComponent.class, component("llama", "llm", "AllTraffic"));
    String settled =
        awaitReady(InferenceComponent.class, "llama", Reasons.COPIES_STARTING, 1L)
            .getMetadata()
            .getResourceVersion();

    // A label on the endpoint wakes the component's reconciler (it watches its endpoint) without
    // changing anything the component's status is built from. A merge patch carries no
    // resourceVersion, so it cannot conflict with the operator's own writes to the endpoint.
    endpoints()
        .withName("llm")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"ebb.dev/test\":\"touched\"}}}");
    // A second component on the same endpoint: once it has settled, the reconciler has surely
    // processed the label event too (events for one endpoint are handled in order).
    ns.apply(InferenceComponent.class, component("probe", "llm", "AllTraffic"));
    awaitReady(InferenceComponent.class, "probe", Reasons.COPIES_STARTING, 1L);

    assertThat(components().withName("llama").get().getMetadata().getResourceVersion())
        .isEqualTo(settled);
  }

  // --- helpers -----------------------------------------------------------------------------

  private static String endpoint(String name, String variant, String weight) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: %s}
        spec:
          backend: local
          variants:
          - name: %s
            weight: %s
        """
        .formatted(name, variant, weight);
  }

  private static String localEndpoint(String name, String weight) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: %s}
        spec:
          backend: local
          variants:
          - name: AllTraffic
            weight: %s
        """
        .formatted(name, weight);
  }

  private static String component(String name, String endpoint, String variant) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: %s}
        spec:
          endpointRef: {name: %s}
          variant: %s
          model:
            image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/tgi:latest
          resources: {acceleratorCount: 1, memoryMb: 24576}
        """
        .formatted(name, endpoint, variant);
  }

  private NonNamespaceOperation<InferenceEndpoint, ?, Resource<InferenceEndpoint>> endpoints() {
    return ns.resources(InferenceEndpoint.class);
  }

  private NonNamespaceOperation<InferenceComponent, ?, Resource<InferenceComponent>> components() {
    return ns.resources(InferenceComponent.class);
  }

  /**
   * Waits until the object's status reflects its generation {@code generation} and its Ready
   * condition has {@code reason} (True for Routed, False for every other reason used here).
   */
  private static <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitReady(
      Class<T> type, String name, String reason, long generation) {
    String status = Reasons.ROUTED.equals(reason) ? "True" : "False";
    return ns.awaitCondition(type, name, Condition.READY, status, reason, generation);
  }
}
