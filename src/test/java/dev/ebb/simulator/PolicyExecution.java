package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.whatif.aws.Cooldown;
import dev.ebb.whatif.aws.PolicyCapacity;
import java.util.List;
import java.util.OptionalInt;

/**
 * Application Auto Scaling running a scaling policy that an alarm invoked: the capacity the policy
 * asks for (step or target tracking), held back by its cooldowns, clamped to the scalable target's
 * min/max, set on the SageMaker resource and recorded as a scaling activity.
 *
 * <p>Cooldowns as the API reference describes them: after a scale-out, another scale-out within the
 * cooldown happens only if it asks for more than the first one did (the capacity it added counts as
 * part of the next one); after a scale-in, scale-in waits for the cooldown to pass, while a
 * scale-out may happen at once (and ends the scale-in cooldown).
 */
final class PolicyExecution {
  private PolicyExecution() {}

  static void invoke(Ctx ctx, String policyArn, JsonNode alarm, List<Double> datapoints) {
    RegionStore region = ctx.region();
    ObjectNode policy =
        region.scalingPolicies.values().stream()
            .filter(p -> policyArn.equals(p.path("PolicyARN").asText()))
            .findFirst()
            .orElse(null);
    if (policy == null) {
      return; // the alarm's action names a policy that is gone: nothing to do
    }
    String resourceId = policy.path("ResourceId").asText();
    ObjectNode target =
        region.scalableTargets.get(resourceId + "|" + policy.path("ScalableDimension").asText());
    OptionalInt capacity = ScalableResources.capacity(region, resourceId);
    if (target == null || capacity.isEmpty()) {
      return;
    }
    int current = capacity.getAsInt();
    Cooldown last = region.scaling.cooldowns.get(policyArn);
    OptionalInt wanted = PolicyCapacity.wanted(policy, alarm, datapoints, current, last, ctx.now());
    if (wanted.isEmpty()) {
      return;
    }
    int desired = PolicyCapacity.clamp(wanted.getAsInt(), target);
    JsonNode suspended = target.path("SuspendedState");
    if (desired == current
        || (desired > current && suspended.path("DynamicScalingOutSuspended").asBoolean())
        || (desired < current && suspended.path("DynamicScalingInSuspended").asBoolean())) {
      return;
    }
    String cause =
        "monitor alarm "
            + alarm.path("AlarmName").asText()
            + " in state ALARM triggered policy "
            + policy.path("PolicyName").asText();
    if (apply(ctx, target, current, desired, cause)) {
      region.scaling.cooldowns.put(policyArn, new Cooldown(ctx.now(), current, desired));
    }
  }

  /**
   * Sets {@code desired} on the resource behind {@code target} and records the activity; false when
   * SageMaker refused (the activity is Failed, and no cooldown starts).
   */
  static boolean apply(Ctx ctx, JsonNode target, int current, int desired, String cause) {
    String failure = null;
    try {
      ScalableResources.set(ctx, target.path("ResourceId").asText(), desired);
    } catch (AwsError e) {
      failure = "Failed to set capacity: " + e.getMessage();
    }
    ScalingActivities.record(ctx.region(), target, ctx.now(), current, desired, cause, failure);
    return failure == null;
  }
}
