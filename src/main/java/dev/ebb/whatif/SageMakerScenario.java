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
 * @param instances how the copies map to the instances SageMaker bills
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
    int initialCopies,
    InstanceShape instances) {

  /**
   * The instances under the copies: {@code copiesPerInstance} copies fit on one, and the variant's
   * managed instance scaling keeps between {@code minInstances} and {@code maxInstances}.
   *
   * @param basis where {@code copiesPerInstance} comes from, for the report
   */
  public record InstanceShape(
      String instanceType,
      int copiesPerInstance,
      int minInstances,
      int maxInstances,
      String basis) {

    /**
     * The shape of {@code component}'s variant of {@code endpoint}: its instance type and managed
     * instance scaling (without it, {@code initialInstanceCount} instances all the time); copies
     * per instance as given, else the instance's accelerators over the copy's ({@code
     * spec.resources.acceleratorCount}), else one.
     */
    static InstanceShape of(
        InferenceComponent component,
        InferenceEndpoint endpoint,
        java.util.OptionalInt copiesPerInstance) {
      var variants = endpoint.getSpec().variants();
      String wanted = component.getSpec().variant();
      var variant =
          variants.stream()
              .filter(v -> wanted == null || wanted.equals(v.name()))
              .findFirst()
              .orElse(variants.get(0));
      String type = variant.instanceType();
      int min;
      int max;
      if (variant.managedInstanceScaling() != null) {
        min = variant.managedInstanceScaling().minInstanceCount();
        max = variant.managedInstanceScaling().maxInstanceCount();
      } else {
        min = max = variant.initialInstanceCount() == null ? 1 : variant.initialInstanceCount();
      }
      if (copiesPerInstance.isPresent()) {
        return new InstanceShape(
            type, copiesPerInstance.getAsInt(), min, max, "copies per instance given");
      }
      var resources = component.getSpec().resources();
      Integer gpus = resources == null ? null : resources.acceleratorCount();
      var known = SageMakerInstanceTypes.of(type);
      if (gpus != null && gpus > 0 && known.isPresent() && known.get().accelerators() >= gpus) {
        int fit = known.get().accelerators() / gpus;
        return new InstanceShape(
            type,
            fit,
            min,
            max,
            String.format(
                java.util.Locale.ROOT,
                "%d cop%s per %s: its %d accelerator(s) over the copy's %d"
                    + " (spec.resources.acceleratorCount); memory and CPU assumed to fit",
                fit,
                fit == 1 ? "y" : "ies",
                type,
                known.get().accelerators(),
                gpus));
      }
      return new InstanceShape(
          type,
          1,
          min,
          max,
          "one copy per " + type + " (assumed: give --copies-per-instance if more fit)");
    }
  }

  /** The scenario with the gateway's defaults, copies per instance from the instance type. */
  public static SageMakerScenario of(
      ScalingPolicy policy,
      InferenceComponent component,
      InferenceEndpoint endpoint,
      ColdStartModel coldStart,
      boolean gateway) {
    return of(
        policy,
        component,
        endpoint,
        coldStart,
        gateway,
        InstanceShape.of(component, endpoint, java.util.OptionalInt.empty()));
  }

  /** The scenario with the gateway's defaults, on {@code instances}. */
  public static SageMakerScenario of(
      ScalingPolicy policy,
      InferenceComponent component,
      InferenceEndpoint endpoint,
      ColdStartModel coldStart,
      boolean gateway,
      InstanceShape instances) {
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
        copies == null ? 1 : copies,
        instances);
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
