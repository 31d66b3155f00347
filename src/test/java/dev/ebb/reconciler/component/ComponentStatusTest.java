package dev.ebb.reconciler.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.Reasons;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComponentStatusTest {
  private static final InferenceComponent COMPONENT =
      Manifests.parse(
          InferenceComponent.class,
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceComponent
          metadata: {name: llama}
          spec:
            endpointRef: {name: llm}
            variant: AllTraffic
            model: {image: tgi:latest}
            resources: {memoryMb: 1024}
          """,
          2);

  /** endpoint: none, or a variant declaration for endpoint llm. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "none                                               | EndpointNotFound | Pending | false",
        "{name: Other, instanceType: ml.g5.xlarge}          | VariantNotFound | Invalid | true",
        "{name: AllTraffic, serverless: {memorySizeMb: 2048, maxConcurrency: 5}} | IncompatibleVariant | Invalid | true",
        "{name: AllTraffic, instanceType: ml.g5.xlarge}     | NotProvisioned | NotProvisioned | true",
      })
  void placement(String variant, String reason, String state, boolean stalled) {
    Optional<InferenceEndpoint> endpoint =
        variant.equals("none")
            ? Optional.empty()
            : Optional.of(
                Manifests.parse(
                    InferenceEndpoint.class,
                    """
                    apiVersion: ebb.dev/v1alpha1
                    kind: InferenceEndpoint
                    metadata: {name: llm}
                    spec: {backend: sagemaker, variants: [%s]}
                    """
                        .formatted(variant),
                    1));

    var status = ComponentStatus.desired(COMPONENT, endpoint, Instant.EPOCH);

    assertThat(status.observedGeneration()).isEqualTo(2L);
    assertThat(status.state()).isEqualTo(state);
    assertThat(status.condition(Condition.READY))
        .returns("False", Condition::status)
        .returns(reason, Condition::reason);
    assertThat(status.condition(Condition.STALLED) != null).isEqualTo(stalled);
    assertThat(status.copies().current()).as("nothing runs yet").isZero();
    assertThat(status.selector()).isEqualTo("ebb.dev/inference-component=llama");
  }

  @Test
  void aMissingEndpointIsNamedWithItsNamespace() {
    var status = ComponentStatus.desired(COMPONENT, Optional.empty(), Instant.EPOCH);
    assertThat(status.condition(Condition.READY).reason()).isEqualTo(Reasons.ENDPOINT_NOT_FOUND);
    assertThat(status.condition(Condition.READY).message())
        .isEqualTo(
            "InferenceEndpoint llm does not exist in namespace ml; the component waits for it.");
  }
}
