package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The inference component state machine and scale to zero, stepped with a manual clock: copies take
 * 4 minutes to scale out and 15 to scale in (Delays.realistic()).
 */
class InferenceComponentLifecycleTest {
  private final SimFixture f = new SimFixture(Delays.realistic());

  private Snapshot.Component ic() {
    return f.sim.region("us-east-1").component("ic");
  }

  private Snapshot.Variant variant() {
    return f.sim.region("us-east-1").endpoint("ep").variants().get("AllTraffic");
  }

  private void endpointInService() {
    f.model("m");
    f.componentConfig("cfg");
    f.endpoint("ep", "cfg");
    f.advance(Duration.ofMinutes(6));
  }

  @Test
  void createsThroughCreatingToInServiceWithItsCopies() {
    endpointInService();
    f.component("ic", "ep", "m", 2);

    ObjectNode creating = f.describeComponent("ic");
    assertThat(creating.get("InferenceComponentStatus").asText()).isEqualTo("Creating");
    assertThat(creating.at("/RuntimeConfig/DesiredCopyCount").asInt()).isEqualTo(2);
    assertThat(creating.at("/RuntimeConfig/CurrentCopyCount").asInt()).isEqualTo(0);
    assertThat(creating.get("EndpointArn").asText())
        .isEqualTo("arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep");
    assertThat(creating.at("/Specification/ModelName").asText()).isEqualTo("m");

    f.advance(Duration.ofMinutes(5));
    ObjectNode ready = f.describeComponent("ic");
    assertThat(ready.get("InferenceComponentStatus").asText()).isEqualTo("InService");
    assertThat(ready.at("/RuntimeConfig/CurrentCopyCount").asInt()).isEqualTo(2);
    // Managed instance scaling: instances follow copies.
    assertThat(variant().currentInstanceCount()).isEqualTo(2);
  }

  @Test
  void scalesToZeroAndBackWithDelays() {
    endpointInService();
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));

    f.copies("ic", 0);
    assertThat(ic().status()).isEqualTo("Updating");
    assertThat(ic().currentCopyCount()).isEqualTo(1);
    assertThat(ic().desiredCopyCount()).isZero();
    assertThat(variant().currentInstanceCount()).isEqualTo(1);
    assertThat(variant().desiredInstanceCount()).isZero();

    f.advance(Duration.ofMinutes(14));
    assertThat(ic().currentCopyCount()).isEqualTo(1);
    f.advance(Duration.ofMinutes(1));
    assertThat(ic().status()).isEqualTo("InService");
    assertThat(ic().currentCopyCount()).isZero();
    assertThat(variant().currentInstanceCount()).isZero();

    // At zero, invocations fail the way SageMaker's do, and are counted.
    assertThatThrownBy(() -> f.invoke("ep", "ic", "{}"))
        .isInstanceOfSatisfying(
            AwsError.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("ValidationError");
              assertThat(e.getMessage())
                  .startsWith("Inference Component has no capacity to process this request.");
            });
    assertThat(ic().noCapacityFailures()).isEqualTo(1);

    f.copies("ic", 1);
    f.advance(Duration.ofMinutes(3));
    assertThat(ic().currentCopyCount()).isZero();
    f.advance(Duration.ofMinutes(1));
    assertThat(ic().currentCopyCount()).isEqualTo(1);
    assertThat(variant().currentInstanceCount()).isEqualTo(1);

    Invocation.Reply reply = f.invoke("ep", "ic", "{\"inputs\":\"hi\"}");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"inputs\":\"hi\"}");
    assertThat(reply.contentType()).isEqualTo("application/json");
    assertThat(reply.invokedVariant()).isEqualTo("AllTraffic");
    assertThat(ic().invocations()).isEqualTo(1);
  }

  @Test
  void aSecondScaleWhileUpdatingIsRefused() {
    endpointInService();
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));
    f.copies("ic", 3);
    AwsError busy =
        f.error(
            "UpdateInferenceComponentRuntimeConfig",
            "{\"InferenceComponentName\":\"ic\",\"DesiredRuntimeConfig\":{\"CopyCount\":0}}");
    assertThat(busy.getMessage()).contains("while it is Updating");
  }

  @Test
  void anInjectedFailureEndsInFailed() {
    endpointInService();
    f.sim.failNextCreate("CreateInferenceComponent", "Model data download timed out.");
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));
    assertThat(ic().status()).isEqualTo("Failed");
    assertThat(ic().failureReason()).isEqualTo("Model data download timed out.");
    assertThat(ic().currentCopyCount()).isZero();
  }

  @Test
  void updateReplacesTheSpecificationWhenItCompletes() {
    endpointInService();
    f.model("m2");
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));
    f.call(
        "UpdateInferenceComponent",
        """
        {"InferenceComponentName": "ic",
         "Specification": {"ModelName": "m2",
           "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 2048}},
         "RuntimeConfig": {"CopyCount": 2}}
        """);
    assertThat(ic().status()).isEqualTo("Updating");
    assertThat(ic().modelName()).isEqualTo("m");
    f.advance(Duration.ofMinutes(5));
    assertThat(ic().status()).isEqualTo("InService");
    assertThat(ic().modelName()).isEqualTo("m2");
    assertThat(ic().currentCopyCount()).isEqualTo(2);
  }

  @Test
  void deletingAnEndpointTakesItsComponentsWithIt() {
    endpointInService();
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));

    f.call("DeleteEndpoint", "{\"EndpointName\":\"ep\"}");
    assertThat(ic().status()).isEqualTo("Deleting");
    f.advance(Duration.ofMinutes(2));
    assertThat(ic()).isNull();
    assertThat(f.sim.region("us-east-1").endpoints()).isEmpty();
  }

  @Test
  void deletingGoesThroughDeletingThenTheEndpointCanGo() {
    endpointInService();
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));

    f.call("DeleteInferenceComponent", "{\"InferenceComponentName\":\"ic\"}");
    assertThat(ic().status()).isEqualTo("Deleting");
    f.advance(Duration.ofMinutes(1));
    assertThat(ic()).isNull();
    assertThat(variant().currentInstanceCount()).isZero();

    f.call("DeleteEndpoint", "{\"EndpointName\":\"ep\"}");
    f.advance(Duration.ofMinutes(2));
    assertThat(f.sim.region("us-east-1").endpoints()).isEmpty();
  }

  @Test
  void instancesStayWithinManagedScalingBounds() {
    endpointInService();
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));
    f.copies("ic", 9);
    f.advance(Duration.ofMinutes(4));
    assertThat(ic().currentCopyCount()).isEqualTo(9);
    assertThat(variant().currentInstanceCount()).isEqualTo(4); // MaxInstanceCount
  }
}
