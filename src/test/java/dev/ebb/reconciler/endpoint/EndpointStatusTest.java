package dev.ebb.reconciler.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.Reasons;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointStatusTest {
  @ParameterizedTest
  @CsvSource({
    "sagemaker, nothing was created in AWS",
    "local, no gateway to route requests",
  })
  void saysPlainlyThatNothingWasProvisioned(String backend, String message) {
    InferenceEndpoint endpoint =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm}
            spec:
              backend: %s
              variants: [{name: AllTraffic}]
            """
                .formatted(backend),
            4);

    var status = EndpointStatus.desired(endpoint, Instant.EPOCH);

    assertThat(status.observedGeneration()).isEqualTo(4L);
    assertThat(status.state()).isEqualTo("NotProvisioned");
    assertThat(status.condition(Condition.READY))
        .returns("False", Condition::status)
        .returns(Reasons.NOT_PROVISIONED, Condition::reason);
    assertThat(status.condition(Condition.STALLED))
        .returns("True", Condition::status)
        .returns(Reasons.BACKEND_NOT_IMPLEMENTED, Condition::reason);
    assertThat(status.condition(Condition.READY).message()).contains(message);
  }
}
