package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.InferenceComponentSpec.Resources;
import dev.ebb.api.v1alpha1.InferenceComponentSpec.RollingUpdate;
import dev.ebb.api.v1alpha1.StartupSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * The SageMaker calls behind an InferenceComponent: its model(s) and the inference component.
 * Failures leave as {@link AwsCallException}, classified.
 */
public final class SageMakerComponents {
  private final Supplier<SageMakerClient> client;
  private final SageMakerModels models;
  private final SageMakerTags tags;

  public SageMakerComponents(Supplier<SageMakerClient> client) {
    this.client = client;
    this.models = new SageMakerModels(client);
    this.tags = new SageMakerTags(client);
  }

  /** An inference component as DescribeInferenceComponent reports it. */
  public record ComponentDescription(
      String arn,
      String status,
      String endpointName,
      String variantName,
      String modelName,
      String specificationKey,
      Integer currentCopies,
      Integer desiredCopies,
      String failureReason) {}

  public SageMakerModels models() {
    return models;
  }

  /** Ownership tags: who owns a component, and taking it over. */
  public SageMakerTags tags() {
    return tags;
  }

  /**
   * The component named {@code name}, or empty when it does not exist. SageMaker reports a missing
   * component as a plain ValidationException; the request carries only the name, and the names Ebb
   * describes satisfy SageMaker's constraints by construction ({@link SageMakerNames}), so the one
   * constraint left to fail is existence. No List call: a List per object grows with the account
   * (issue 17).
   */
  public Optional<ComponentDescription> describe(String name) {
    return Calls.describe(
            "DescribeInferenceComponent",
            () -> client.get().describeInferenceComponent(r -> r.inferenceComponentName(name)))
        .map(SageMakerComponents::toDescription);
  }

  private static ComponentDescription toDescription(DescribeInferenceComponentResponse r) {
    var runtime = r.runtimeConfig();
    var spec = r.specification();
    return new ComponentDescription(
        r.inferenceComponentArn(),
        r.inferenceComponentStatusAsString(),
        r.endpointName(),
        r.variantName(),
        spec == null ? null : spec.modelName(),
        spec == null ? null : ComponentRequests.key(spec),
        runtime == null ? null : runtime.currentCopyCount(),
        runtime == null ? null : runtime.desiredCopyCount(),
        r.failureReason());
  }

  /** Creates the component with {@code copies} (at least 1: SageMaker refuses 0 at creation). */
  public void create(
      String name,
      String endpointName,
      String variantName,
      String modelName,
      Resources resources,
      StartupSpec startup,
      int copies,
      HasMetadata owner,
      Map<String, String> userTags) {
    List<Tag> tags = OwnerTags.of(owner, userTags);
    var specification = ComponentRequests.specification(modelName, resources, startup);
    Calls.call(
        "CreateInferenceComponent",
        () ->
            client
                .get()
                .createInferenceComponent(
                    r ->
                        r.inferenceComponentName(name)
                            .endpointName(endpointName)
                            .variantName(variantName)
                            .specification(specification)
                            .runtimeConfig(c -> c.copyCount(copies))
                            .tags(tags)));
  }

  /**
   * Moves the component to a new specification, leaving its copy count alone; with a rolling update
   * when {@code rollingUpdate} is set.
   */
  public void update(
      String name,
      String modelName,
      Resources resources,
      StartupSpec startup,
      RollingUpdate rollingUpdate) {
    var specification = ComponentRequests.specification(modelName, resources, startup);
    var deployment = ComponentDeploymentConfigs.from(rollingUpdate);
    Calls.call(
        "UpdateInferenceComponent",
        () ->
            client
                .get()
                .updateInferenceComponent(
                    r ->
                        r.inferenceComponentName(name)
                            .specification(specification)
                            .deploymentConfig(deployment.orElse(null))));
  }

  /** Sets the copy count directly (only when no ScalingPolicy owns it). */
  public void setCopies(String name, int copies) {
    Calls.call(
        "UpdateInferenceComponentRuntimeConfig",
        () ->
            client
                .get()
                .updateInferenceComponentRuntimeConfig(
                    r ->
                        r.inferenceComponentName(name)
                            .desiredRuntimeConfig(c -> c.copyCount(copies))));
  }

  public void delete(String name) {
    Calls.call(
        "DeleteInferenceComponent",
        () -> client.get().deleteInferenceComponent(r -> r.inferenceComponentName(name)));
  }
}
