package dev.ebb.reconciler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyStatusTest {
  private static final InferenceComponent COMPONENT =
      Manifests.parse(
          InferenceComponent.class,
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceComponent
          metadata: {name: llama}
          spec: {endpointRef: {name: llm}, model: {image: tgi}, resources: {memoryMb: 1024}}
          """,
          1);
  private static final InferenceEndpoint ENDPOINT =
      Manifests.parse(
          InferenceEndpoint.class,
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceEndpoint
          metadata: {name: whisper}
          spec: {backend: sagemaker, variants: [{name: AllTraffic, instanceType: ml.g5.xlarge}]}
          """,
          1);

  @ParameterizedTest(name = "{0} exists={1} -> {2}")
  @CsvSource({
    "'{kind: InferenceComponent, name: llama}', false, TargetNotFound, false",
    "'{kind: InferenceComponent, name: llama}', true, NotProvisioned, true",
    "'{kind: InferenceEndpoint, name: whisper, variant: AllTraffic}', false, TargetNotFound, false",
    "'{kind: InferenceEndpoint, name: whisper, variant: AllTraffic}', true, NotProvisioned, true",
    "'{kind: InferenceEndpoint, name: whisper, variant: Blue}', true, VariantNotFound, true",
  })
  void targetResolution(String targetRef, boolean exists, String reason, boolean stalled) {
    ScalingPolicy policy =
        Manifests.parse(
            ScalingPolicy.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: p}
            spec: {targetRef: %s, minCapacity: 0, maxCapacity: 2}
            """
                .formatted(targetRef),
            5);
    boolean component = targetRef.contains("InferenceComponent");

    var status =
        PolicyStatus.desired(
            policy,
            exists && component ? Optional.of(COMPONENT) : Optional.empty(),
            exists && !component ? Optional.of(ENDPOINT) : Optional.empty(),
            Instant.EPOCH);

    assertThat(status.observedGeneration()).isEqualTo(5L);
    assertThat(status.condition(Condition.READY))
        .returns("False", Condition::status)
        .returns(reason, Condition::reason);
    assertThat(status.condition(Condition.STALLED) != null).isEqualTo(stalled);
  }
}
