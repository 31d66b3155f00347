package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Async;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.DataCapture;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.RoutingStrategy;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Variant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.model.AsyncInferenceConfig;
import software.amazon.awssdk.services.sagemaker.model.CaptureMode;
import software.amazon.awssdk.services.sagemaker.model.CaptureOption;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.DataCaptureConfig;
import software.amazon.awssdk.services.sagemaker.model.ManagedInstanceScalingStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * SageMaker endpoint configs from an InferenceEndpoint spec. A config's name is a hash of the
 * CreateEndpointConfig request Ebb sends for it, less its name, its tags and the variant weights:
 * weights change live through UpdateEndpointWeightsAndCapacities, so a weights-only edit never
 * makes a new config; an unchanged spec always maps to the config already in service; and anything
 * Ebb starts sending is part of the name without a list to keep in step.
 */
public final class EndpointConfigRequests {
  private EndpointConfigRequests() {}

  /**
   * @param modelNames SageMaker model name per variant that carries a model
   * @param executionRoleArn the role, for endpoints that host inference components (else null)
   */
  public static String name(
      String endpointName,
      InferenceEndpointSpec spec,
      Map<String, String> modelNames,
      String executionRoleArn) {
    CreateEndpointConfigRequest sent = create(null, spec, modelNames, executionRoleArn, null);
    CreateEndpointConfigRequest content =
        sent.toBuilder()
            .productionVariants(
                sent.productionVariants().stream()
                    .map(v -> v.toBuilder().initialVariantWeight(null).build())
                    .toList())
            .build();
    return SageMakerNames.forContent(endpointName, SdkCanonical.json(content));
  }

  /** Whether the endpoint hosts inference components (some variant carries no model). */
  public static boolean hostsComponents(InferenceEndpointSpec spec) {
    return spec.variants().stream().anyMatch(v -> v.model() == null && v.serverless() == null);
  }

  /** The CreateEndpointConfig request. */
  public static CreateEndpointConfigRequest create(
      String configName,
      InferenceEndpointSpec spec,
      Map<String, String> modelNames,
      String executionRoleArn,
      List<Tag> tags) {
    var request =
        CreateEndpointConfigRequest.builder()
            .endpointConfigName(configName)
            .productionVariants(
                spec.variants().stream().map(v -> variant(v, modelNames.get(v.name()))).toList());
    if (tags != null) {
      request.tags(tags);
    }
    if (executionRoleArn != null && hostsComponents(spec)) {
      request.executionRoleArn(executionRoleArn);
    }
    if (spec.async() != null) {
      request.asyncInferenceConfig(async(spec.async()));
    }
    if (spec.dataCapture() != null) {
      request.dataCaptureConfig(dataCapture(spec.dataCapture()));
    }
    return request.build();
  }

  static ProductionVariant variant(Variant v, String modelName) {
    var variant =
        ProductionVariant.builder()
            .variantName(v.name())
            .modelName(modelName)
            .initialVariantWeight(v.weight() == null ? 1.0f : v.weight().floatValue());
    if (v.serverless() != null) {
      return variant
          .serverlessConfig(
              s ->
                  s.memorySizeInMB(v.serverless().memorySizeMb())
                      .maxConcurrency(v.serverless().maxConcurrency())
                      .provisionedConcurrency(v.serverless().provisionedConcurrency()))
          .build();
    }
    variant
        .instanceType(v.instanceType())
        .initialInstanceCount(v.initialInstanceCount() == null ? 1 : v.initialInstanceCount())
        .routingConfig(r -> r.routingStrategy(routing(v.routingStrategy())));
    if (v.managedInstanceScaling() != null) {
      variant.managedInstanceScaling(
          m ->
              m.status(ManagedInstanceScalingStatus.ENABLED)
                  .minInstanceCount(v.managedInstanceScaling().minInstanceCount())
                  .maxInstanceCount(v.managedInstanceScaling().maxInstanceCount()));
    }
    if (v.startup() != null && modelName != null) {
      // Only for variants with their own model: components carry their own startup timeouts.
      variant
          .modelDataDownloadTimeoutInSeconds(v.startup().modelDownloadTimeout())
          .containerStartupHealthCheckTimeoutInSeconds(v.startup().healthCheckTimeout());
    }
    return variant.build();
  }

  private static software.amazon.awssdk.services.sagemaker.model.RoutingStrategy routing(
      RoutingStrategy strategy) {
    return strategy == RoutingStrategy.Random
        ? software.amazon.awssdk.services.sagemaker.model.RoutingStrategy.RANDOM
        : software.amazon.awssdk.services.sagemaker.model.RoutingStrategy
            .LEAST_OUTSTANDING_REQUESTS;
  }

  static AsyncInferenceConfig async(Async async) {
    return AsyncInferenceConfig.builder()
        .outputConfig(
            o -> {
              o.s3OutputPath(async.outputPath()).s3FailurePath(async.failurePath());
              if (async.notification() != null) {
                o.notificationConfig(
                    n ->
                        n.successTopic(async.notification().successTopicArn())
                            .errorTopic(async.notification().errorTopicArn()));
              }
            })
        .clientConfig(
            c -> c.maxConcurrentInvocationsPerInstance(async.maxConcurrentInvocationsPerInstance()))
        .build();
  }

  static DataCaptureConfig dataCapture(DataCapture capture) {
    List<InferenceEndpointSpec.CaptureMode> modes =
        capture.capture() == null
            ? List.of(
                InferenceEndpointSpec.CaptureMode.Input, InferenceEndpointSpec.CaptureMode.Output)
            : capture.capture();
    return DataCaptureConfig.builder()
        .enableCapture(capture.enabled() == null || capture.enabled())
        .initialSamplingPercentage(
            capture.samplingPercent() == null ? 100 : capture.samplingPercent())
        .destinationS3Uri(capture.destination())
        .captureOptions(
            modes.stream()
                .map(
                    m ->
                        CaptureOption.builder()
                            .captureMode(
                                m == InferenceEndpointSpec.CaptureMode.Input
                                    ? CaptureMode.INPUT
                                    : CaptureMode.OUTPUT)
                            .build())
                .toList())
        .build();
  }
}
