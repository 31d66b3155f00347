package dev.ebb.reconciler.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointStatus;
import dev.ebb.reconciler.Reasons;
import dev.ebb.sagemaker.AwsErrorKind;
import dev.ebb.sagemaker.AwsFailure;
import dev.ebb.sagemaker.SageMakerEndpoints;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * The memory that keeps a rolled-back config from being deployed again: taken from this pass's
   * deployment, else from a deployment in progress (which survives a crash before the status
   * patch), else kept.
   */
  @Test
  void lastDeployedComesFromThePassThenThePendingDeploymentThenThePreviousStatus() {
    var previous = withLastDeployed("cfg-1");
    var described =
        new SageMakerEndpoints.EndpointDescription(
            "arn", "Updating", "cfg-1", null, Map.of(), "cfg-3");
    var idle =
        new SageMakerEndpoints.EndpointDescription("arn", "InService", "cfg-1", null, Map.of());

    assertThat(
            EndpointStatus.lastDeployed(
                previous,
                outcome(new EndpointPlan.UpdateEndpoint("cfg-2"), Optional.of(idle), false)))
        .isEqualTo("cfg-2");
    assertThat(
            EndpointStatus.lastDeployed(
                previous,
                outcome(new EndpointPlan.UpdateEndpoint("cfg-2"), Optional.of(idle), true)))
        .as("the UpdateEndpoint call itself failed")
        .isEqualTo("cfg-1");
    assertThat(
            EndpointStatus.lastDeployed(
                null, outcome(new EndpointPlan.Wait("Updating"), Optional.of(described), false)))
        .isEqualTo("cfg-3");
    assertThat(
            EndpointStatus.lastDeployed(
                previous, outcome(new EndpointPlan.InSync(), Optional.of(idle), false)))
        .isEqualTo("cfg-1");
  }

  private static SageMakerEndpointConverger.Outcome outcome(
      EndpointPlan.Step last,
      Optional<SageMakerEndpoints.EndpointDescription> endpoint,
      boolean failed) {
    return new SageMakerEndpointConverger.Outcome(
        last,
        !failed,
        endpoint,
        failed
            ? Optional.of(
                new AwsFailure(
                    AwsErrorKind.SERVICE_ERROR, "InternalFailure", "boom", "UpdateEndpoint"))
            : Optional.empty());
  }

  private static InferenceEndpointStatus withLastDeployed(String config) {
    return new InferenceEndpointStatus(
        1L, List.of(), "InService", "ep", null, "InService", null, "cfg-1", config, null, null);
  }
}
