package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import dev.ebb.simulator.model.ModelViolations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentStatus;
import software.amazon.awssdk.services.sagemaker.model.ManagedInstanceScalingStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.RoutingStrategy;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * The simulator driven only through the real aws-sdk-java-v2 clients (endpoint override, static
 * credentials, URL-connection HTTP client), as Ebb will drive it. Time is a manual clock.
 */
class SageMakerSimulatorIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
  private static final String IMAGE =
      "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-lmi11.0.0-cu124";

  private final ManualClock clock = new ManualClock();
  private final SageMakerSimulator sim =
      SageMakerSimulator.builder().clock(clock).delays(Delays.realistic()).build().start();
  private final SageMakerClient sageMaker = sageMaker(Region.US_EAST_1, fastRetries());
  private final SageMakerRuntimeClient runtime = runtime(Region.US_EAST_1);

  @AfterEach
  void stop() {
    sageMaker.close();
    runtime.close();
    sim.close();
  }

  private SageMakerClient sageMaker(Region region, RetryStrategy retries) {
    return SageMakerClient.builder()
        .endpointOverride(sim.endpoint())
        .region(region)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(retries))
        .build();
  }

  private SageMakerRuntimeClient runtime(Region region) {
    return SageMakerRuntimeClient.builder()
        .endpointOverride(sim.endpoint())
        .region(region)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** The SDK's standard retries (throttling and 5xx), with more attempts and short backoffs. */
  private static RetryStrategy fastRetries() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(10)
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
        .build();
  }

  private static SageMakerException sageMakerError(Runnable call) {
    SageMakerException[] caught = new SageMakerException[1];
    assertThatThrownBy(
            () -> {
              try {
                call.run();
              } catch (SageMakerException e) {
                caught[0] = e;
                throw e;
              }
            })
        .isInstanceOf(SageMakerException.class);
    return caught[0];
  }

  private static ProductionVariant componentVariant(int min, int max) {
    return ProductionVariant.builder()
        .variantName("AllTraffic")
        .instanceType(ProductionVariantInstanceType.ML_G5_2_XLARGE)
        .initialInstanceCount(1)
        .managedInstanceScaling(
            m ->
                m.status(ManagedInstanceScalingStatus.ENABLED)
                    .minInstanceCount(min)
                    .maxInstanceCount(max))
        .routingConfig(r -> r.routingStrategy(RoutingStrategy.LEAST_OUTSTANDING_REQUESTS))
        .modelDataDownloadTimeoutInSeconds(600)
        .containerStartupHealthCheckTimeoutInSeconds(600)
        .build();
  }

  private void model(SageMakerClient client, String name) {
    client.createModel(
        b -> b.modelName(name).executionRoleArn(ROLE).primaryContainer(c -> c.image(IMAGE)));
  }

  private void createComponent(String name, String endpoint, String model, int copies) {
    sageMaker.createInferenceComponent(
        b ->
            b.inferenceComponentName(name)
                .endpointName(endpoint)
                .variantName("AllTraffic")
                .specification(
                    s ->
                        s.modelName(model)
                            .startupParameters(
                                p ->
                                    p.modelDataDownloadTimeoutInSeconds(600)
                                        .containerStartupHealthCheckTimeoutInSeconds(600))
                            .computeResourceRequirements(
                                r ->
                                    r.minMemoryRequiredInMb(16384)
                                        .numberOfAcceleratorDevicesRequired(1f)
                                        .numberOfCpuCoresRequired(2f)))
                .runtimeConfig(r -> r.copyCount(copies)));
  }

  private void componentEndpointInService() {
    model(sageMaker, "llama");
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("llama-cfg")
                .executionRoleArn(ROLE)
                .productionVariants(componentVariant(0, 2)));
    sageMaker.createEndpoint(b -> b.endpointName("llama").endpointConfigName("llama-cfg"));
    clock.advance(Duration.ofMinutes(6));
  }

  private DescribeInferenceComponentResponse ic(String name) {
    return sageMaker.describeInferenceComponent(b -> b.inferenceComponentName(name));
  }

  private DescribeEndpointResponse endpoint(String name) {
    return sageMaker.describeEndpoint(b -> b.endpointName(name));
  }

  private InvokeEndpointResponse invoke(Consumer<InvokeEndpointRequest.Builder> request) {
    return runtime.invokeEndpoint(request);
  }

  @Test
  void componentScaleToZeroLifecycle() {
    model(sageMaker, "llama");
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("llama-cfg")
                .executionRoleArn(ROLE)
                .productionVariants(componentVariant(0, 2)));
    sageMaker.createEndpoint(b -> b.endpointName("llama").endpointConfigName("llama-cfg"));
    DescribeEndpointResponse creating = endpoint("llama");
    assertThat(creating.endpointStatus()).isEqualTo(EndpointStatus.CREATING);
    assertThat(creating.creationTime()).isEqualTo(clock.instant());
    assertThat(creating.endpointArn())
        .isEqualTo("arn:aws:sagemaker:us-east-1:123456789012:endpoint/llama");

    clock.advance(Duration.ofMinutes(6));
    DescribeEndpointResponse ready = endpoint("llama");
    assertThat(ready.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(ready.productionVariants().get(0).managedInstanceScaling().minInstanceCount())
        .isZero();

    createComponent("llama-ic", "llama", "llama", 1);
    assertThat(ic("llama-ic").inferenceComponentStatus())
        .isEqualTo(InferenceComponentStatus.CREATING);
    clock.advance(Duration.ofMinutes(5));
    assertThat(ic("llama-ic").inferenceComponentStatus())
        .isEqualTo(InferenceComponentStatus.IN_SERVICE);
    assertThat(ic("llama-ic").runtimeConfig().currentCopyCount()).isEqualTo(1);

    // Scale in to zero copies; instances follow.
    sageMaker.updateInferenceComponentRuntimeConfig(
        b -> b.inferenceComponentName("llama-ic").desiredRuntimeConfig(r -> r.copyCount(0)));
    DescribeInferenceComponentResponse scalingIn = ic("llama-ic");
    assertThat(scalingIn.inferenceComponentStatus()).isEqualTo(InferenceComponentStatus.UPDATING);
    assertThat(scalingIn.runtimeConfig().desiredCopyCount()).isZero();
    assertThat(scalingIn.runtimeConfig().currentCopyCount()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(15));
    assertThat(ic("llama-ic").runtimeConfig().currentCopyCount()).isZero();
    assertThat(endpoint("llama").productionVariants().get(0).currentInstanceCount()).isZero();

    ValidationErrorException noCapacity =
        (ValidationErrorException)
            catchThrowable(
                () ->
                    invoke(
                        b ->
                            b.endpointName("llama")
                                .inferenceComponentName("llama-ic")
                                .contentType("application/json")
                                .body(SdkBytes.fromUtf8String("{\"inputs\":\"hi\"}"))));
    assertThat(noCapacity.statusCode()).isEqualTo(400);
    assertThat(noCapacity.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    assertThat(noCapacity.awsErrorDetails().errorMessage())
        .startsWith("Inference Component has no capacity to process this request.");
    assertThat(sim.region("us-east-1").component("llama-ic").noCapacityFailures()).isEqualTo(1);

    // Scale back out from zero.
    sageMaker.updateInferenceComponentRuntimeConfig(
        b -> b.inferenceComponentName("llama-ic").desiredRuntimeConfig(r -> r.copyCount(1)));
    clock.advance(Duration.ofMinutes(4));
    assertThat(ic("llama-ic").runtimeConfig().currentCopyCount()).isEqualTo(1);
    assertThat(endpoint("llama").productionVariants().get(0).currentInstanceCount()).isEqualTo(1);

    InvokeEndpointResponse answer =
        invoke(
            b ->
                b.endpointName("llama")
                    .inferenceComponentName("llama-ic")
                    .contentType("application/json")
                    .accept("application/json")
                    .customAttributes("trace=1")
                    .body(SdkBytes.fromUtf8String("{\"inputs\":\"hi\"}")));
    assertThat(answer.body().asUtf8String()).isEqualTo("{\"inputs\":\"hi\"}");
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(answer.invokedProductionVariant()).isEqualTo("AllTraffic");
    assertThat(answer.customAttributes()).isEqualTo("trace=1");
    Call invoked = sim.calls("InvokeEndpoint").get(1);
    assertThat(invoked.request().get("InferenceComponentName").asText()).isEqualTo("llama-ic");
    assertThat(invoked.request().get("Body").asText()).isEqualTo("{\"inputs\":\"hi\"}");

    // Tear down in dependency order.
    sageMaker.deleteInferenceComponent(b -> b.inferenceComponentName("llama-ic"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(
            sageMaker
                .listInferenceComponents(b -> b.endpointNameEquals("llama"))
                .inferenceComponents())
        .isEmpty();
    sageMaker.deleteEndpoint(b -> b.endpointName("llama"));
    assertThat(endpoint("llama").endpointStatus()).isEqualTo(EndpointStatus.DELETING);
    clock.advance(Duration.ofMinutes(2));
    sageMaker.deleteEndpointConfig(b -> b.endpointConfigName("llama-cfg"));
    sageMaker.deleteModel(b -> b.modelName("llama"));
    assertThat(sageMaker.listEndpoints(b -> {}).endpoints()).isEmpty();
    assertThat(sageMaker.listModels(b -> {}).models()).isEmpty();
  }

  @Test
  void classicEndpointWithTwoVariantsConfigUpdateAndWeights() {
    model(sageMaker, "xgb-a");
    model(sageMaker, "xgb-b");
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("ab-v1")
                .productionVariants(
                    classicVariant("A", "xgb-a", 0.7f), classicVariant("B", "xgb-b", 0.3f)));
    sageMaker.createEndpoint(b -> b.endpointName("ab").endpointConfigName("ab-v1"));
    clock.advance(Duration.ofMinutes(6));

    InvokeEndpointResponse toB =
        invoke(
            b ->
                b.endpointName("ab")
                    .targetVariant("B")
                    .contentType("text/csv")
                    .body(SdkBytes.fromUtf8String("1,2,3")));
    assertThat(toB.invokedProductionVariant()).isEqualTo("B");
    assertThat(toB.contentType()).isEqualTo("text/csv");
    assertThat(toB.body().asUtf8String()).isEqualTo("1,2,3");

    // Canary step: shift weights without redeploying.
    sageMaker.updateEndpointWeightsAndCapacities(
        b ->
            b.endpointName("ab")
                .desiredWeightsAndCapacities(
                    DesiredWeightAndCapacity.builder().variantName("A").desiredWeight(0.5f).build(),
                    DesiredWeightAndCapacity.builder()
                        .variantName("B")
                        .desiredWeight(0.5f)
                        .desiredInstanceCount(2)
                        .build()));
    DescribeEndpointResponse shifting = endpoint("ab");
    assertThat(shifting.endpointStatus()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(shifting.productionVariants().get(1).currentWeight()).isEqualTo(0.3f);
    assertThat(shifting.productionVariants().get(1).desiredWeight()).isEqualTo(0.5f);
    assertThat(shifting.productionVariants().get(1).desiredInstanceCount()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(8));
    DescribeEndpointResponse shifted = endpoint("ab");
    assertThat(shifted.productionVariants().get(1).currentWeight()).isEqualTo(0.5f);
    assertThat(shifted.productionVariants().get(1).currentInstanceCount()).isEqualTo(2);

    Call weights = sim.calls("UpdateEndpointWeightsAndCapacities").get(0);
    assertThat(weights.region()).isEqualTo("us-east-1");
    assertThat(weights.request().at("/DesiredWeightsAndCapacities/1/VariantName").asText())
        .isEqualTo("B");
    assertThat(weights.request().at("/DesiredWeightsAndCapacities/1/DesiredWeight").asDouble())
        .isEqualTo(0.5);

    // New config through UpdateEndpoint, blue/green deployment config recorded.
    sageMaker.createEndpointConfig(
        b -> b.endpointConfigName("ab-v2").productionVariants(classicVariant("A", "xgb-a", 1f)));
    sageMaker.updateEndpoint(
        b ->
            b.endpointName("ab")
                .endpointConfigName("ab-v2")
                .retainAllVariantProperties(false)
                .deploymentConfig(
                    d ->
                        d.blueGreenUpdatePolicy(
                            g ->
                                g.trafficRoutingConfiguration(
                                        t ->
                                            t.type("LINEAR")
                                                .waitIntervalInSeconds(300)
                                                .linearStepSize(
                                                    s -> s.type("CAPACITY_PERCENT").value(25)))
                                    .terminationWaitInSeconds(600))));
    DescribeEndpointResponse updating = endpoint("ab");
    assertThat(updating.endpointStatus()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(updating.endpointConfigName()).isEqualTo("ab-v1");
    assertThat(updating.pendingDeploymentSummary().endpointConfigName()).isEqualTo("ab-v2");
    assertThatThrownBy(() -> sageMaker.deleteEndpointConfig(b -> b.endpointConfigName("ab-v2")))
        .isInstanceOf(SageMakerException.class)
        .hasMessageContaining("in use by endpoint");

    clock.advance(Duration.ofMinutes(8));
    DescribeEndpointResponse updated = endpoint("ab");
    assertThat(updated.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(updated.endpointConfigName()).isEqualTo("ab-v2");
    assertThat(updated.productionVariants()).hasSize(1);
    assertThat(
            updated
                .lastDeploymentConfig()
                .blueGreenUpdatePolicy()
                .trafficRoutingConfiguration()
                .linearStepSize()
                .value())
        .isEqualTo(25);
    sageMaker.deleteEndpointConfig(b -> b.endpointConfigName("ab-v1"));
  }

  private static ProductionVariant classicVariant(String name, String model, float weight) {
    return ProductionVariant.builder()
        .variantName(name)
        .modelName(model)
        .instanceType(ProductionVariantInstanceType.ML_M5_XLARGE)
        .initialInstanceCount(1)
        .initialVariantWeight(weight)
        .build();
  }

  @Test
  void validationErrorsSurfaceAsSageMakerExceptionsWithTheirCodes() {
    componentEndpointInService();

    SageMakerException copyZero =
        sageMakerError(() -> createComponent("zero", "llama", "llama", 0));
    assertThat(copyZero.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(copyZero.statusCode()).isEqualTo(400);
    assertThat(copyZero.awsErrorDetails().errorMessage()).contains("CopyCount 0");

    SageMakerException noRole =
        sageMakerError(
            () ->
                sageMaker.createEndpointConfig(
                    b ->
                        b.endpointConfigName("no-role")
                            .productionVariants(componentVariant(0, 2))));
    assertThat(noRole.awsErrorDetails().errorMessage()).contains("ExecutionRoleArn is required");

    SageMakerException disabledAtZero =
        sageMakerError(
            () ->
                sageMaker.createEndpointConfig(
                    b ->
                        b.endpointConfigName("disabled")
                            .executionRoleArn(ROLE)
                            .productionVariants(
                                componentVariant(0, 2).toBuilder()
                                    .managedInstanceScaling(
                                        m ->
                                            m.status(ManagedInstanceScalingStatus.DISABLED)
                                                .minInstanceCount(0)
                                                .maxInstanceCount(2))
                                    .build())));
    assertThat(disabledAtZero.awsErrorDetails().errorMessage())
        .contains("requires ManagedInstanceScaling Status ENABLED");

    SageMakerException badType =
        sageMakerError(
            () ->
                sageMaker.createEndpointConfig(
                    b ->
                        b.endpointConfigName("bad-type")
                            .executionRoleArn(ROLE)
                            .productionVariants(
                                componentVariant(0, 2).toBuilder()
                                    .instanceType("ml.g5.3xlarge")
                                    .build())));
    assertThat(badType.awsErrorDetails().errorMessage())
        .startsWith("1 validation error detected: Value 'ml.g5.3xlarge'");

    SageMakerException existing =
        sageMakerError(
            () ->
                sageMaker.createEndpoint(
                    b -> b.endpointName("llama").endpointConfigName("llama-cfg")));
    assertThat(existing.awsErrorDetails().errorMessage())
        .isEqualTo(
            "Cannot create already existing endpoint"
                + " \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/llama\".");

    SageMakerException missing =
        sageMakerError(() -> sageMaker.describeEndpoint(b -> b.endpointName("nope")));
    assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(missing.awsErrorDetails().errorMessage()).startsWith("Could not find endpoint");

    SageMakerException missingConfig =
        sageMakerError(
            () ->
                sageMaker.createEndpoint(b -> b.endpointName("other").endpointConfigName("nope")));
    assertThat(missingConfig.awsErrorDetails().errorMessage())
        .startsWith("Could not find endpoint configuration");

    SageMakerException required =
        sageMakerError(() -> sageMaker.createEndpoint(b -> b.endpointName("no-config")));
    assertThat(required.awsErrorDetails().errorMessage())
        .isEqualTo(
            "1 validation error detected: Value null at 'endpointConfigName' failed to satisfy"
                + " constraint: Member must not be null");
    // The model refused those two on purpose; the test takes them so that close() does not fail.
    assertThat(sim.modelViolations().drain())
        .extracting(ModelViolations.Violation::operation)
        .containsExactly("CreateEndpointConfig", "CreateEndpoint");

    createComponent("llama-ic", "llama", "llama", 1);
    SageMakerException notInService =
        sageMakerError(
            () ->
                sageMaker.updateInferenceComponentRuntimeConfig(
                    b ->
                        b.inferenceComponentName("llama-ic")
                            .desiredRuntimeConfig(r -> r.copyCount(2))));
    assertThat(notInService.awsErrorDetails().errorMessage()).contains("while it is Creating");

    SageMakerException configInUse =
        sageMakerError(
            () -> sageMaker.deleteEndpointConfig(b -> b.endpointConfigName("llama-cfg")));
    assertThat(configInUse.awsErrorDetails().errorMessage())
        .contains("in use by endpoint \"llama\"");
    SageMakerException modelInUse =
        sageMakerError(() -> sageMaker.deleteModel(b -> b.modelName("llama")));
    assertThat(modelInUse.awsErrorDetails().errorMessage())
        .contains("used by inference component \"llama-ic\"");

    ValidationErrorException noEndpoint =
        (ValidationErrorException)
            catchThrowable(
                () -> invoke(b -> b.endpointName("nope").body(SdkBytes.fromUtf8String("x"))));
    assertThat(noEndpoint.statusCode()).isEqualTo(400);
    assertThat(noEndpoint.awsErrorDetails().errorMessage())
        .isEqualTo("Endpoint nope of account 123456789012 not found.");
  }

  @Test
  void modelledErrorCodesMapToTheSdksExceptionClasses() {
    SageMakerClient noRetries = sageMaker(Region.US_EAST_1, AwsRetryStrategy.doNotRetry());
    sim.faults()
        .inject(
            FaultRule.on("CreateEndpoint")
                .answer(
                    400,
                    "ResourceLimitExceededException",
                    "The account-level service limit 'ml.g5.2xlarge for endpoint usage' is 0"
                        + " Instances."))
        .inject(FaultRule.on("DescribeModel").answer(400, "ResourceNotFound", "Not found."))
        .inject(FaultRule.on("DeleteModel").answer(400, "ResourceInUseException", "In use."));
    assertThatThrownBy(
            () -> noRetries.createEndpoint(b -> b.endpointName("e").endpointConfigName("c")))
        .isInstanceOf(ResourceLimitExceededException.class);
    assertThatThrownBy(() -> noRetries.describeModel(b -> b.modelName("m")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> noRetries.deleteModel(b -> b.modelName("m")))
        .isInstanceOf(ResourceInUseException.class);

    // Not injected: an instance quota the endpoint would exceed.
    sim.quotas().instances("ml.m5.xlarge", 1);
    model(noRetries, "m");
    noRetries.createEndpointConfig(
        b ->
            b.endpointConfigName("c")
                .productionVariants(classicVariant("A", "m", 1f), classicVariant("B", "m", 1f)));
    assertThatThrownBy(
            () -> noRetries.createEndpoint(b -> b.endpointName("e").endpointConfigName("c")))
        .isInstanceOf(ResourceLimitExceededException.class)
        .hasMessageContaining("'ml.m5.xlarge for endpoint usage' is 1 Instances");
    noRetries.close();
  }

  @Test
  void eventualConsistencyRefusesTheFirstCreateRightAfterItsConfig() {
    sim.faults().eventualConsistency(Duration.ofSeconds(5));
    model(sageMaker, "m");
    sageMaker.createEndpointConfig(
        b -> b.endpointConfigName("c").productionVariants(classicVariant("A", "m", 1f)));
    SageMakerException stale =
        sageMakerError(
            () -> sageMaker.createEndpoint(b -> b.endpointName("e").endpointConfigName("c")));
    assertThat(stale.awsErrorDetails().errorMessage())
        .isEqualTo(
            "Could not find endpoint configuration"
                + " \"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/c\".");
    sageMaker.createEndpoint(b -> b.endpointName("e").endpointConfigName("c"));
    assertThat(sim.calls("CreateEndpoint"))
        .extracting(Call::succeeded)
        .containsExactly(false, true);
  }

  @Test
  void halfTheCallsThrottledStillSucceedWithTheSdksRetries() {
    sim.faults().throttle(0.5, 11);
    model(sageMaker, "m");
    sageMaker.createEndpointConfig(
        b -> b.endpointConfigName("c").productionVariants(classicVariant("A", "m", 1f)));
    sageMaker.createEndpoint(b -> b.endpointName("e").endpointConfigName("c"));
    for (int i = 0; i < 10; i++) {
      endpoint("e");
    }
    List<Call> calls = sim.calls();
    assertThat(calls).anyMatch(Call::throttled);
    assertThat(calls.stream().filter(c -> !c.throttled())).allMatch(Call::succeeded);
    assertThat(calls.stream().filter(c -> !c.throttled()).count()).isEqualTo(13);
  }

  @Test
  void withoutRetriesTheSdkSeesThrottlingException() {
    SageMakerClient noRetries = sageMaker(Region.US_EAST_1, AwsRetryStrategy.doNotRetry());
    sim.faults().throttle(1.0);
    SageMakerException throttled = sageMakerError(() -> noRetries.listEndpoints(b -> {}));
    assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
    assertThat(throttled.statusCode()).isEqualTo(400);
    assertThat(throttled.isThrottlingException()).isTrue();
    assertThat(sim.calls()).singleElement().satisfies(c -> assertThat(c.throttled()).isTrue());
    noRetries.close();
  }

  @Test
  void serverFaultsAreRetriedByTheSdkOrSurfaceWithoutRetries() {
    sim.faults()
        .inject(FaultRule.internalFailure("ListModels", 2))
        .inject(FaultRule.serviceUnavailable("ListEndpoints", 1));
    sageMaker.listModels(b -> {});
    sageMaker.listEndpoints(b -> {});
    assertThat(sim.calls("ListModels")).extracting(Call::status).containsExactly(500, 500, 200);

    SageMakerClient noRetries = sageMaker(Region.US_EAST_1, AwsRetryStrategy.doNotRetry());
    sim.faults().inject(FaultRule.serviceUnavailable("ListEndpoints", 1));
    SageMakerException unavailable = sageMakerError(() -> noRetries.listEndpoints(b -> {}));
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
    noRetries.close();
  }

  @Test
  void serverlessAsyncAndDataCaptureConfigsDescribeThroughTheSdk() {
    model(sageMaker, "whisper");
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("sls")
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName("AllTraffic")
                        .modelName("whisper")
                        .serverlessConfig(s -> s.memorySizeInMB(4096).maxConcurrency(5))
                        .build())
                .dataCaptureConfig(
                    d ->
                        d.enableCapture(true)
                            .initialSamplingPercentage(20)
                            .destinationS3Uri("s3://bucket/capture")
                            .captureOptions(
                                o -> o.captureMode("Input"), o -> o.captureMode("Output"))));
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("async")
                .productionVariants(classicVariant("AllTraffic", "whisper", 1f))
                .asyncInferenceConfig(
                    a ->
                        a.outputConfig(o -> o.s3OutputPath("s3://bucket/out"))
                            .clientConfig(c -> c.maxConcurrentInvocationsPerInstance(4))));
    sageMaker.createEndpoint(b -> b.endpointName("sls").endpointConfigName("sls"));
    sageMaker.createEndpoint(b -> b.endpointName("async").endpointConfigName("async"));
    clock.advance(Duration.ofMinutes(6));

    DescribeEndpointResponse serverless = endpoint("sls");
    assertThat(serverless.productionVariants().get(0).currentServerlessConfig().memorySizeInMB())
        .isEqualTo(4096);
    assertThat(serverless.productionVariants().get(0).currentInstanceCount()).isNull();
    assertThat(serverless.dataCaptureConfig().currentSamplingPercentage()).isEqualTo(20);
    assertThat(serverless.dataCaptureConfig().captureStatusAsString()).isEqualTo("Started");

    DescribeEndpointResponse async = endpoint("async");
    assertThat(async.asyncInferenceConfig().outputConfig().s3OutputPath())
        .isEqualTo("s3://bucket/out");
    // Asynchronous endpoints may scale their instances to zero.
    sageMaker.updateEndpointWeightsAndCapacities(
        b ->
            b.endpointName("async")
                .desiredWeightsAndCapacities(
                    DesiredWeightAndCapacity.builder()
                        .variantName("AllTraffic")
                        .desiredInstanceCount(0)
                        .build()));
    clock.advance(Duration.ofMinutes(8));
    assertThat(endpoint("async").productionVariants().get(0).currentInstanceCount()).isZero();
    assertThat(sageMaker.describeEndpointConfig(b -> b.endpointConfigName("sls")).creationTime())
        .isBefore(clock.instant());
  }

  @Test
  void tagsOnCreateAndThroughTheTaggingApi() {
    sageMaker.createModel(
        b ->
            b.modelName("tagged")
                .executionRoleArn(ROLE)
                .primaryContainer(c -> c.image(IMAGE))
                .tags(Tag.builder().key("ebb.dev/owner").value("default/llm").build()));
    String arn = sageMaker.describeModel(b -> b.modelName("tagged")).modelArn();
    sageMaker.addTags(b -> b.resourceArn(arn).tags(Tag.builder().key("team").value("ml").build()));
    assertThat(sageMaker.listTags(b -> b.resourceArn(arn)).tags())
        .extracting(Tag::key, Tag::value)
        .containsExactly(tuple("ebb.dev/owner", "default/llm"), tuple("team", "ml"));
    sageMaker.deleteTags(b -> b.resourceArn(arn).tagKeys("team"));
    assertThat(sim.region("us-east-1").models().get("tagged").tags())
        .isEqualTo(Map.of("ebb.dev/owner", "default/llm"));
  }

  @Test
  void regionsAreIsolated() {
    try (SageMakerClient frankfurt = sageMaker(Region.EU_CENTRAL_1, fastRetries())) {
      model(sageMaker, "shared-name");
      model(frankfurt, "shared-name");
      assertThat(frankfurt.describeModel(b -> b.modelName("shared-name")).modelArn())
          .isEqualTo("arn:aws:sagemaker:eu-central-1:123456789012:model/shared-name");
      sageMaker.deleteModel(b -> b.modelName("shared-name"));
      assertThat(frankfurt.listModels(b -> {}).models()).hasSize(1);
      assertThat(sageMaker.listModels(b -> {}).models()).isEmpty();
      assertThat(sim.calls()).extracting(Call::region).contains("us-east-1", "eu-central-1");
    }
  }

  @Test
  void listsPageThroughTheSdkPaginator() {
    for (int i = 0; i < 25; i++) {
      int n = i;
      sageMaker.createEndpointConfig(
          CreateEndpointConfigRequest.builder()
              .endpointConfigName("cfg-" + n)
              .executionRoleArn(ROLE)
              .productionVariants(componentVariant(0, 1))
              .build());
    }
    assertThat(sageMaker.listEndpointConfigs(b -> b.maxResults(10)).endpointConfigs()).hasSize(10);
    assertThat(
            sageMaker.listEndpointConfigsPaginator(b -> b.nameContains("cfg-1")).endpointConfigs())
        .hasSize(11);
    assertThat(sageMaker.listEndpointConfigsPaginator(b -> {}).endpointConfigs().stream().count())
        .isEqualTo(25);
  }

  @Test
  void theSdksWaitersWorkOnTheSystemClock() {
    try (SageMakerSimulator live =
            SageMakerSimulator.builder()
                .delays(Delays.uniform(Duration.ofMillis(300)))
                .build()
                .start();
        SageMakerClient client =
            SageMakerClient.builder()
                .endpointOverride(live.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
      model(client, "m");
      client.createEndpointConfig(
          b -> b.endpointConfigName("c").productionVariants(classicVariant("A", "m", 1f)));
      client.createEndpoint(b -> b.endpointName("e").endpointConfigName("c"));
      Consumer<WaiterOverrideConfiguration.Builder> fastPolling =
          o ->
              o.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(50)))
                  .maxAttempts(100);
      var inService =
          client.waiter().waitUntilEndpointInService(b -> b.endpointName("e"), fastPolling);
      assertThat(inService.matched().response())
          .hasValueSatisfying(
              r -> assertThat(r.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE));
      client.deleteEndpoint(b -> b.endpointName("e"));
      // SageMaker's "deleted" waiter succeeds on the ValidationException of a missing endpoint.
      var deleted = client.waiter().waitUntilEndpointDeleted(b -> b.endpointName("e"), fastPolling);
      assertThat(deleted.matched().exception()).isPresent();
    }
  }

  @Test
  void adminApiDumpsStateAndCallsAndResets() throws Exception {
    model(sageMaker, "m");
    HttpClient http = HttpClient.newHttpClient();
    URI base = sim.endpoint();
    String state =
        http.send(
                HttpRequest.newBuilder(base.resolve("/_sim/state")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(state).contains("\"us-east-1\"").contains("\"ModelName\" : \"m\"");
    String calls =
        http.send(
                HttpRequest.newBuilder(base.resolve("/_sim/calls?operation=CreateModel")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(calls).contains("\"Operation\" : \"CreateModel\"");
    HttpResponse<String> reset =
        http.send(
            HttpRequest.newBuilder(base.resolve("/_sim/reset"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(sageMaker.listModels(b -> {}).models()).isEmpty();
  }

  @Test
  void standaloneModeListensOnTheConfiguredPort() {
    try (SageMakerSimulator standalone =
            SageMakerSimulator.standalone(new String[0], Map.of("EBB_SIMULATOR_PORT", "0"));
        SageMakerClient client =
            SageMakerClient.builder()
                .endpointOverride(standalone.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
      assertThat(client.listModels(b -> {}).models()).isEmpty();
      assertThat(standalone.calls())
          .singleElement()
          .extracting(Call::region)
          .isEqualTo("us-west-2");
    }
  }
}
