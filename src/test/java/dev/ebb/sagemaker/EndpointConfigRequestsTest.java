package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.testing.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.CaptureMode;
import software.amazon.awssdk.services.sagemaker.model.CaptureOption;
import software.amazon.awssdk.services.sagemaker.model.ManagedInstanceScalingStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.RoutingStrategy;

class EndpointConfigRequestsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";

  private static InferenceEndpointSpec spec(String variants, String extra) {
    return Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: e}
            spec:
              backend: sagemaker
              variants: %s
            %s
            """
                .formatted(variants, extra.indent(2)),
            1)
        .getSpec();
  }

  private static final String AB =
      "[{name: A, instanceType: ml.g5.xlarge, weight: 70, model: {image: img}},"
          + " {name: B, instanceType: ml.g5.xlarge, weight: 30, model: {image: img2}}]";

  @Test
  void weightsAloneNeverRenameTheConfig() {
    var models = Map.of("A", "m-a", "B", "m-b");
    String before = EndpointConfigRequests.name("ep", spec(AB, ""), models, null);
    String after =
        EndpointConfigRequests.name(
            "ep", spec(AB.replace("70", "50").replace("30", "50"), ""), models, null);
    assertThat(after).isEqualTo(before);
  }

  @Test
  void anythingElseRenamesTheConfig() {
    var models = Map.of("A", "m-a", "B", "m-b");
    String base = EndpointConfigRequests.name("ep", spec(AB, ""), models, null);
    assertThat(
            EndpointConfigRequests.name(
                "ep",
                spec(AB.replace("g5.xlarge, weight: 70", "g5.2xlarge, weight: 70"), ""),
                models,
                null))
        .as("instance type")
        .isNotEqualTo(base);
    assertThat(
            EndpointConfigRequests.name("ep", spec(AB, ""), Map.of("A", "m-a2", "B", "m-b"), null))
        .as("a new model")
        .isNotEqualTo(base);
    assertThat(
            EndpointConfigRequests.name(
                "ep", spec(AB, "dataCapture: {destination: 's3://bucket/capture/'}"), models, null))
        .as("data capture")
        .isNotEqualTo(base);
  }

  /**
   * The name is the request Ebb sends, hashed: two specs whose requests differ only in a member the
   * old hand-picked list left out (the variants' startup timeouts, the routing strategy) get
   * different names, and specs that send the same request share one.
   */
  @Test
  void theNameFollowsEveryMemberOfTheRequestSent() {
    var models = Map.of("A", "m-a", "B", "m-b");
    String base = EndpointConfigRequests.name("ep", spec(AB, ""), models, null);
    assertThat(
            EndpointConfigRequests.name(
                "ep",
                spec(AB.replace("weight: 70,", "weight: 70, routingStrategy: Random,"), ""),
                models,
                null))
        .as("routing strategy")
        .isNotEqualTo(base);
    assertThat(
            EndpointConfigRequests.name(
                "ep",
                spec(
                    AB.replace(
                        "weight: 70,", "weight: 70, startup: {healthCheckTimeoutSeconds: 900},"),
                    ""),
                models,
                null))
        .as("startup timeouts")
        .isNotEqualTo(base);
    assertThat(
            EndpointConfigRequests.name(
                "ep", spec(AB.replace("weight: 70, ", ""), ""), models, null))
        .as("a weight left to its default sends the same request, less its weight")
        .isEqualTo(base);
  }

  @Test
  void componentEndpointGetsManagedScalingRoutingAndTheRole() {
    var spec =
        spec(
            "[{name: AllTraffic, instanceType: ml.g5.2xlarge, managedInstanceScaling: {minInstanceCount: 0, maxInstanceCount: 4}}]",
            "");
    var request = EndpointConfigRequests.create("cfg", spec, Map.of(), ROLE, List.of());

    assertThat(request.executionRoleArn()).isEqualTo(ROLE);
    ProductionVariant v = request.productionVariants().get(0);
    assertThat(v.modelName()).isNull();
    assertThat(v.instanceTypeAsString()).isEqualTo("ml.g5.2xlarge");
    assertThat(v.initialInstanceCount()).isEqualTo(1);
    assertThat(v.managedInstanceScaling().status()).isEqualTo(ManagedInstanceScalingStatus.ENABLED);
    assertThat(v.managedInstanceScaling().minInstanceCount()).isZero();
    assertThat(v.managedInstanceScaling().maxInstanceCount()).isEqualTo(4);
    assertThat(v.routingConfig().routingStrategy())
        .isEqualTo(RoutingStrategy.LEAST_OUTSTANDING_REQUESTS);
  }

  @Test
  void instanceTypesNewerThanTheSdkPassThrough() {
    var spec = spec("[{name: A, instanceType: ml.g99.48xlarge, model: {image: i}}]", "");
    var request = EndpointConfigRequests.create("cfg", spec, Map.of("A", "m"), null, List.of());
    assertThat(request.productionVariants().get(0).instanceTypeAsString())
        .isEqualTo("ml.g99.48xlarge");
  }

  @Test
  void serverlessAsyncAndDataCaptureMapToTheirSageMakerBlocks() {
    var serverless =
        EndpointConfigRequests.create(
            "cfg",
            spec(
                "[{name: S, serverless: {memorySizeMb: 3072, maxConcurrency: 10}, model: {image: i}}]",
                ""),
            Map.of("S", "m"),
            null,
            List.of());
    ProductionVariant s = serverless.productionVariants().get(0);
    assertThat(s.serverlessConfig().memorySizeInMB()).isEqualTo(3072);
    assertThat(s.serverlessConfig().maxConcurrency()).isEqualTo(10);
    assertThat(s.instanceType()).isNull();
    assertThat(serverless.executionRoleArn()).as("no components, no role on the config").isNull();

    var async =
        EndpointConfigRequests.create(
            "cfg",
            spec(
                "[{name: A, instanceType: ml.g5.xlarge, model: {image: i}}]",
                """
                async:
                  outputPath: s3://bucket/out/
                  failurePath: s3://bucket/failed/
                  notification: {successTopicArn: 'arn:aws:sns:us-east-1:123456789012:ok'}
                  maxConcurrentInvocationsPerInstance: 4
                dataCapture: {samplingPercent: 20, destination: 's3://bucket/capture/', capture: [Input]}
                """),
            Map.of("A", "m"),
            null,
            List.of());
    assertThat(async.asyncInferenceConfig().outputConfig().s3OutputPath())
        .isEqualTo("s3://bucket/out/");
    assertThat(async.asyncInferenceConfig().outputConfig().notificationConfig().successTopic())
        .endsWith(":ok");
    assertThat(async.asyncInferenceConfig().clientConfig().maxConcurrentInvocationsPerInstance())
        .isEqualTo(4);
    assertThat(async.dataCaptureConfig().initialSamplingPercentage()).isEqualTo(20);
    assertThat(async.dataCaptureConfig().captureOptions())
        .extracting(CaptureOption::captureMode)
        .containsExactly(CaptureMode.INPUT);
    assertThat(async.productionVariants().get(0).modelName()).isEqualTo("m");
  }
}
