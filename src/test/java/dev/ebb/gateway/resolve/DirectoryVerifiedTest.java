package dev.ebb.gateway.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointStatus;
import dev.ebb.testing.Manifests;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * The gateway signs SageMaker invocations with Ebb's role, so it invokes a SageMaker endpoint only
 * for an object whose status shows the endpoint is its own.
 */
class DirectoryVerifiedTest {
  private static final String SAGEMAKER =
      """
      apiVersion: ebb.dev/v1alpha1
      kind: InferenceEndpoint
      metadata: {name: llm, namespace: team-a}
      spec:
        backend: sagemaker
        sagemaker: {endpointName: shared-llm}
        variants: [{name: AllTraffic, instanceType: ml.g5.xlarge, initialInstanceCount: 1}]
      """;

  @Test
  void onlyAnEndpointWhoseStatusCarriesItsArnIsInvoked() {
    assertThat(Directory.verified(withStatus(null))).as("not reconciled yet").isFalse();
    assertThat(Directory.verified(withStatus("{\"endpointName\": \"shared-llm\"}")))
        .as("someone else's endpoint, or outside the namespace's rights: no ARN")
        .isFalse();
    assertThat(
            Directory.verified(
                withStatus("{\"endpointName\": \"old-name\", \"endpointArn\": \"arn:x\"}")))
        .as("the ARN of the endpoint the spec named before")
        .isFalse();
    assertThat(
            Directory.verified(
                withStatus("{\"endpointName\": \"shared-llm\", \"endpointArn\": \"arn:x\"}")))
        .isTrue();
  }

  @Test
  void backendLocalNeedsNoSageMakerEndpoint() {
    InferenceEndpoint local =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm, namespace: team-a}
            spec:
              backend: local
              variants: [{name: AllTraffic}]
            """,
            1);
    assertThat(Directory.verified(local)).isTrue();
  }

  private static InferenceEndpoint withStatus(String json) {
    InferenceEndpoint endpoint = Manifests.parse(InferenceEndpoint.class, SAGEMAKER, 1);
    if (json != null) {
      endpoint.setStatus(Serialization.unmarshal(json, InferenceEndpointStatus.class));
    }
    return endpoint;
  }
}
