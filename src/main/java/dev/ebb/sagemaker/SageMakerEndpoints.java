package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.ModelSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.EndpointConfigSummary;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSummary;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * The SageMaker calls behind an InferenceEndpoint: reads that feed the endpoint plan and the writes
 * that carry out its steps. Every failure is classified here and thrown as {@link
 * AwsCallException}; nothing is logged here (the caller reports it once).
 */
public final class SageMakerEndpoints {
  private final Supplier<SageMakerClient> client;
  private final SageMakerModels models;
  private final SageMakerTags tags;

  /**
   * @param client resolved on each call, so that a client that cannot be built (no region) is a
   *     classified failure of that call rather than an exception escaping the reconciler
   */
  public SageMakerEndpoints(Supplier<SageMakerClient> client) {
    this.client = client;
    this.models = new SageMakerModels(client);
    this.tags = new SageMakerTags(client);
  }

  /** An endpoint as DescribeEndpoint reports it. */
  /**
   * @param pendingConfigName the config a deployment in progress moves to
   *     (PendingDeploymentSummary), null when none runs
   */
  public record EndpointDescription(
      String arn,
      String status,
      String configName,
      String failureReason,
      Map<String, VariantDescription> variants,
      String pendingConfigName) {

    public EndpointDescription(
        String arn,
        String status,
        String configName,
        String failureReason,
        Map<String, VariantDescription> variants) {
      this(arn, status, configName, failureReason, variants, null);
    }
  }

  /** One variant's live numbers. */
  public record VariantDescription(
      Integer currentInstanceCount,
      Integer desiredInstanceCount,
      Double currentWeight,
      Double desiredWeight) {}

  /**
   * The endpoint named {@code name}, or empty when it does not exist ({@link Calls#describe}: a
   * ValidationException; {@code spec.sagemaker.endpointName} is checked with SageMaker's own
   * pattern by the CRD, and derived names are valid by construction).
   */
  public Optional<EndpointDescription> describe(String name) {
    return Calls.describe(
            "DescribeEndpoint", () -> client.get().describeEndpoint(r -> r.endpointName(name)))
        .map(SageMakerEndpoints::toDescription);
  }

  private static EndpointDescription toDescription(DescribeEndpointResponse r) {
    Map<String, VariantDescription> variants =
        r.productionVariants().stream()
            .collect(
                Collectors.toMap(
                    ProductionVariantSummary::variantName,
                    v ->
                        new VariantDescription(
                            v.currentInstanceCount(),
                            v.desiredInstanceCount(),
                            v.currentWeight() == null ? null : v.currentWeight().doubleValue(),
                            v.desiredWeight() == null ? null : v.desiredWeight().doubleValue())));
    return new EndpointDescription(
        r.endpointArn(),
        r.endpointStatusAsString(),
        r.endpointConfigName(),
        r.failureReason(),
        variants,
        r.pendingDeploymentSummary() == null
            ? null
            : r.pendingDeploymentSummary().endpointConfigName());
  }

  /**
   * Names of the inference components SageMaker has on endpoint {@code name}, whoever made them.
   */
  public List<String> componentsOn(String name) {
    return Calls.list(
        "ListInferenceComponents",
        () ->
            client
                .get()
                .listInferenceComponentsPaginator(r -> r.endpointNameEquals(name))
                .inferenceComponents()
                .stream()
                .map(InferenceComponentSummary::inferenceComponentName)
                .sorted()
                .toList());
  }

  /** Ownership tags: who owns the endpoint, and taking it over. */
  public SageMakerTags tags() {
    return tags;
  }

  /**
   * Models whose names Ebb derived from {@code base}, by a List call (see {@link
   * SageMakerModels#derivedFrom}).
   */
  public Set<String> modelsDerivedFrom(String base) {
    return models.derivedFrom(base);
  }

  /**
   * Endpoint configs whose names Ebb derived from {@code base}, by a List call: made once for an
   * endpoint whose status predates {@code status.endpointConfigs}.
   */
  public Set<String> configsDerivedFrom(String base) {
    Pattern derived = SageMakerNames.derivedFrom(base);
    String prefix = SageMakerNames.derivedPrefix(base);
    return Calls.list(
        "ListEndpointConfigs",
        () ->
            client
                .get()
                .listEndpointConfigsPaginator(r -> r.nameContains(prefix))
                .endpointConfigs()
                .stream()
                .map(EndpointConfigSummary::endpointConfigName)
                .filter(n -> derived.matcher(n).matches())
                .collect(Collectors.toSet()));
  }

  /** Creates the content-addressed model {@code modelName}, tagged for {@code owner}. */
  public void createModel(
      String modelName,
      ModelSpec model,
      String executionRoleArn,
      HasMetadata owner,
      Map<String, String> userTags) {
    models.create(modelName, model, executionRoleArn, owner, userTags);
  }

  /** Creates the content-addressed endpoint config {@code configName} for {@code spec}. */
  public void createConfig(
      String configName,
      InferenceEndpointSpec spec,
      Map<String, String> modelNames,
      String executionRoleArn,
      HasMetadata owner,
      Map<String, String> userTags) {
    var request =
        EndpointConfigRequests.create(
            configName, spec, modelNames, executionRoleArn, OwnerTags.of(owner, userTags));
    Calls.call("CreateEndpointConfig", () -> client.get().createEndpointConfig(request));
  }

  public void createEndpoint(
      String name, String configName, HasMetadata owner, Map<String, String> userTags) {
    List<Tag> tags = OwnerTags.of(owner, userTags);
    Calls.call(
        "CreateEndpoint",
        () ->
            client
                .get()
                .createEndpoint(
                    r -> r.endpointName(name).endpointConfigName(configName).tags(tags)));
  }

  /**
   * Moves the endpoint to {@code configName}, keeping live instance counts and weights (which
   * autoscaling and weight changes own), deployed as {@code rollout} says.
   */
  public void updateEndpoint(
      String name, String configName, InferenceEndpointSpec.Rollout rollout) {
    var deployment = DeploymentConfigs.from(rollout);
    Calls.call(
        "UpdateEndpoint",
        () ->
            client
                .get()
                .updateEndpoint(
                    r -> {
                      r.endpointName(name)
                          .endpointConfigName(configName)
                          .retainAllVariantProperties(true);
                      deployment.ifPresent(r::deploymentConfig);
                    }));
  }

  /** Shifts traffic live, without a new config. */
  public void updateWeights(String name, Map<String, Double> weights) {
    Calls.call(
        "UpdateEndpointWeightsAndCapacities",
        () ->
            client
                .get()
                .updateEndpointWeightsAndCapacities(
                    r ->
                        r.endpointName(name)
                            .desiredWeightsAndCapacities(
                                weights.entrySet().stream()
                                    .map(
                                        e ->
                                            DesiredWeightAndCapacity.builder()
                                                .variantName(e.getKey())
                                                .desiredWeight(e.getValue().floatValue())
                                                .build())
                                    .toList())));
  }

  public void deleteEndpoint(String name) {
    Calls.call("DeleteEndpoint", () -> client.get().deleteEndpoint(r -> r.endpointName(name)));
  }

  /**
   * Deletes endpoint config {@code name}; one already gone is not an error ({@link Calls#delete}).
   */
  public void deleteConfig(String name) {
    Calls.delete(
        "DeleteEndpointConfig",
        () -> client.get().deleteEndpointConfig(r -> r.endpointConfigName(name)),
        () -> configExists(name));
  }

  /**
   * Whether endpoint config {@code name} exists (DescribeEndpointConfig; see {@link
   * Calls#describe}).
   */
  public boolean configExists(String name) {
    return Calls.describe(
            "DescribeEndpointConfig",
            () -> client.get().describeEndpointConfig(r -> r.endpointConfigName(name)))
        .isPresent();
  }

  /** Whether model {@code name} exists (see {@link SageMakerModels#exists}). */
  public boolean modelExists(String name) {
    return models.exists(name);
  }

  public void deleteModel(String name) {
    models.delete(name);
  }
}
