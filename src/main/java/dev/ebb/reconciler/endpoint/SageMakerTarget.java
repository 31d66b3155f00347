package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Variant;
import dev.ebb.sagemaker.EndpointConfigRequests;
import dev.ebb.sagemaker.ModelRequests;
import dev.ebb.sagemaker.SageMakerNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SageMaker side of one InferenceEndpoint, derived from the object alone: names (deterministic
 * or content-addressed), the role and the weights. Computing it twice always gives the same answer,
 * which is what makes a crash between two AWS calls harmless.
 */
public record SageMakerTarget(
    String endpointName,
    Optional<String> region,
    String executionRoleArn,
    Map<String, String> modelNames,
    String configName,
    Map<String, Double> weights,
    Map<String, String> userTags,
    boolean adopt) {

  /**
   * The target for {@code endpoint}, or empty when no execution role is known (neither the spec's
   * nor the operator's default).
   */
  public static Optional<SageMakerTarget> of(
      InferenceEndpoint endpoint, Optional<String> defaultRole) {
    InferenceEndpointSpec spec = endpoint.getSpec();
    var sagemaker = Optional.ofNullable(spec.sagemaker());
    Optional<String> role =
        sagemaker.map(InferenceEndpointSpec.SageMaker::executionRoleArn).or(() -> defaultRole);
    if (role.isEmpty()) {
      return Optional.empty();
    }
    String endpointName = SageMakerNames.endpointName(endpoint);

    Map<String, String> models = new TreeMap<>();
    Map<String, Double> weights = new LinkedHashMap<>();
    for (Variant v : spec.variants()) {
      if (v.model() != null) {
        // Models share the endpoint's name as their base, so one listing finds them all;
        // variants serving the same model share one SageMaker model.
        models.put(v.name(), ModelRequests.name(endpointName, v.model(), role.get()));
      }
      weights.put(v.name(), v.weight() == null ? 1.0 : v.weight());
    }
    String roleForConfig = EndpointConfigRequests.hostsComponents(spec) ? role.get() : null;
    String configName = EndpointConfigRequests.name(endpointName, spec, models, roleForConfig);
    return Optional.of(
        new SageMakerTarget(
            endpointName,
            sagemaker.map(InferenceEndpointSpec.SageMaker::region),
            role.get(),
            Map.copyOf(models),
            configName,
            weights,
            sagemaker.map(InferenceEndpointSpec.SageMaker::tags).orElse(Map.of()),
            sagemaker.map(s -> Boolean.TRUE.equals(s.adopt())).orElse(false)));
  }

  /** The config's role: only endpoints that host inference components carry one. */
  public String roleForConfig(InferenceEndpointSpec spec) {
    return EndpointConfigRequests.hostsComponents(spec) ? executionRoleArn : null;
  }

  /** What the endpoint plan aims for. */
  public EndpointPlan.Desired plan() {
    return new EndpointPlan.Desired(
        endpointName, configName, Set.copyOf(modelNames.values()), weights, adopt);
  }
}
