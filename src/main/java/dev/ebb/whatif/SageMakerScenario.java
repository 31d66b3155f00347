package dev.ebb.whatif;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.ScalingRecipes;
import java.time.Duration;
import java.time.Instant;

/**
 * One policy on one backend sagemaker component, with or without Ebb's gateway in front.
 *
 * @param coldStart from the capacity set to a copy serving: instance provisioning and model load
 * @param gateway whether requests go through Ebb's gateway (held at zero copies) or straight to
 *     SageMaker Runtime (refused at zero copies)
 */
public record SageMakerScenario(
    ScalingPolicy policy,
    InferenceComponent component,
    String endpointName,
    ColdStartModel coldStart,
    boolean gateway,
    int maxQueuedRequests,
    Duration coldStartTimeout,
    long maxHeldBytes,
    int initialCopies) {

  /** The scenario with the gateway's defaults. */
  public static SageMakerScenario of(
      ScalingPolicy policy,
      InferenceComponent component,
      InferenceEndpoint endpoint,
      ColdStartModel coldStart,
      boolean gateway) {
    // The gateway holds a SageMaker component's requests under its own defaults
    // (ebb.gateway.max-queued-requests, cold-start-timeout): spec.local.gateway is backend local's.
    Integer copies = component.getSpec().copies();
    return new SageMakerScenario(
        policy,
        component,
        endpoint.getMetadata().getName(),
        coldStart,
        gateway,
        LocalScenario.DEFAULT_MAX_QUEUED,
        LocalScenario.DEFAULT_COLD_START_TIMEOUT,
        LocalScenario.DEFAULT_MAX_HELD_BYTES,
        copies == null ? 1 : copies);
  }

  public EffectivePolicy effective() {
    return EffectivePolicy.of(policy.getSpec());
  }

  /** The component's name, as its metrics' InferenceComponentName dimension. */
  public String componentName() {
    return component.getMetadata().getName();
  }

  /** What the operator creates for the policy, as AWS holds it from {@code created} on. */
  SageMakerRecipe recipe(Instant created) {
    ScalingRecipes.Desired desired =
        ScalingRecipes.of(
            effective(),
            ScalingRecipes.Target.component(componentName(), endpointName),
            ScalingRecipes.alarmBase(policyNamespace(), policy.getMetadata().getName()));
    return SageMakerRecipe.of(desired, created);
  }

  /** The alarm the gateway rings to wake the component ({@code SageMakerCopies}). */
  String scaleFromZeroAlarm() {
    return ScalingRecipes.scaleFromZeroAlarm(policyNamespace(), policy.getMetadata().getName());
  }

  /** The policy's namespace; a manifest without one is applied to {@code default}. */
  private String policyNamespace() {
    return java.util.Objects.requireNonNullElse(policy.getMetadata().getNamespace(), "default");
  }
}
