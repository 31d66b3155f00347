package dev.ebb.reconciler.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.Reasons;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EndpointStatusTest {
  @Test
  void aLocalEndpointIsReadyAtTheGatewaysUrl() {
    InferenceEndpoint endpoint =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm}
            spec:
              backend: local
              variants: [{name: AllTraffic}]
            """,
            4);

    var status =
        EndpointStatus.local(
            endpoint,
            "ml-llm-0a1b2c3d",
            "http://gw/endpoints/ml-llm-0a1b2c3d/invocations",
            Instant.EPOCH);

    assertThat(status.observedGeneration()).isEqualTo(4L);
    assertThat(status.state()).isEqualTo("Serving");
    assertThat(status.url()).isEqualTo("http://gw/endpoints/ml-llm-0a1b2c3d/invocations");
    assertThat(status.condition(Condition.READY))
        .returns("True", Condition::status)
        .returns(Reasons.ROUTED, Condition::reason);
    assertThat(status.condition(Condition.READY).message()).contains("POST http://gw/endpoints/");
  }
}
