package dev.ebb.reconciler.component;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.sagemaker.ComponentRequests;
import dev.ebb.sagemaker.ModelRequests;
import dev.ebb.sagemaker.SageMakerNames;
import java.util.Map;
import java.util.Optional;

/**
 * The SageMaker side of one InferenceComponent, derived from it and its endpoint alone: the
 * component's deterministic name, its content-addressed model, the specification key and copies.
 */
public record SageMakerComponentTarget(
    String componentName,
    String endpointName,
    String variant,
    Optional<String> region,
    String executionRoleArn,
    String modelName,
    String specificationKey,
    int copies,
    boolean policyOwnsCopies,
    boolean adopt,
    Map<String, String> userTags) {

  /** Empty when no execution role is known. */
  public static Optional<SageMakerComponentTarget> of(
      InferenceComponent component,
      InferenceEndpoint endpoint,
      String endpointName,
      Optional<String> defaultRole,
      boolean policyOwnsCopies) {
    var sagemaker = Optional.ofNullable(endpoint.getSpec().sagemaker());
    Optional<String> role =
        sagemaker.map(InferenceEndpointSpec.SageMaker::executionRoleArn).or(() -> defaultRole);
    if (role.isEmpty()) {
      return Optional.empty();
    }
    var spec = component.getSpec();
    String name = SageMakerNames.componentName(component);
    String model = ModelRequests.name(name, spec.model(), role.get());
    return Optional.of(
        new SageMakerComponentTarget(
            name,
            endpointName,
            spec.variant(),
            sagemaker.map(InferenceEndpointSpec.SageMaker::region),
            role.get(),
            model,
            ComponentRequests.key(model, spec.resources(), spec.startup()),
            spec.copies() == null ? 1 : spec.copies(),
            policyOwnsCopies,
            Optional.ofNullable(spec.sagemaker())
                .map(s -> Boolean.TRUE.equals(s.adopt()))
                .orElse(false),
            sagemaker.map(InferenceEndpointSpec.SageMaker::tags).orElse(Map.of())));
  }

  public ComponentPlan.Desired plan() {
    return new ComponentPlan.Desired(
        componentName, modelName, specificationKey, copies, policyOwnsCopies, adopt);
  }
}
