package dev.ebb.sagemaker;

import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/**
 * The capacity Application Auto Scaling holds a target to now: the scalable target's max, which a
 * scheduled action may have moved since the spec was written (to 0, to park a component).
 */
public final class ScalableTargets {
  private final Supplier<ApplicationAutoScalingClient> client;

  public ScalableTargets(Supplier<ApplicationAutoScalingClient> client) {
    this.client = client;
  }

  /** The max capacity in force for inference component {@code name}; empty if not registered. */
  public Optional<Integer> componentMaxCapacity(String name) {
    ScalingRecipes.Target target = ScalingRecipes.Target.component(name, null);
    return Calls.call(
        "DescribeScalableTargets",
        () ->
            client
                .get()
                .describeScalableTargets(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceIds(target.resourceId())
                            .scalableDimension(target.dimension()))
                .scalableTargets()
                .stream()
                .filter(t -> target.resourceId().equals(t.resourceId()))
                .findFirst()
                .map(ScalableTarget::maxCapacity));
  }
}
