package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
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
  /**
   * 300 s: StepScalingPolicyConfiguration's documented default, and target tracking's for SageMaker
   * (endpoint variants are listed; inference components assumed the same).
   */
  private static final int DEFAULT_COOLDOWN = 300;

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
    ScalingState.Cooldown last = region.scaling.cooldowns.get(policyArn);
    OptionalInt wanted =
        policy.path("PolicyType").asText().equals("TargetTrackingScaling")
            ? targetTracking(policy, alarm, datapoints, current, last, ctx.now())
            : step(policy, alarm, datapoints, current, last, ctx.now());
    if (wanted.isEmpty()) {
      return;
    }
    int desired = clamp(wanted.getAsInt(), target);
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
      region.scaling.cooldowns.put(
          policyArn, new ScalingState.Cooldown(ctx.now(), current, desired));
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

  private static OptionalInt step(
      ObjectNode policy,
      JsonNode alarm,
      List<Double> datapoints,
      int current,
      ScalingState.Cooldown last,
      Instant now) {
    JsonNode config = policy.path("StepScalingPolicyConfiguration");
    if (datapoints.isEmpty()) {
      return OptionalInt.empty();
    }
    double value = StepScaling.aggregate(config, datapoints);
    OptionalInt adjustment = StepScaling.step(config, alarm.path("Threshold").asDouble(), value);
    if (adjustment.isEmpty()) {
      return OptionalInt.empty();
    }
    int wanted = StepScaling.apply(config, current, adjustment.getAsInt());
    Duration cooldown = Duration.ofSeconds(config.path("Cooldown").asInt(DEFAULT_COOLDOWN));
    boolean cooling = last != null && now.isBefore(last.at().plus(cooldown));
    if (wanted > current && cooling && last.scaledOut()) {
      wanted = StepScaling.apply(config, last.before(), adjustment.getAsInt());
      return wanted > current ? OptionalInt.of(wanted) : OptionalInt.empty();
    }
    if (wanted < current && cooling) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(wanted);
  }

  private static OptionalInt targetTracking(
      ObjectNode policy,
      JsonNode alarm,
      List<Double> datapoints,
      int current,
      ScalingState.Cooldown last,
      Instant now) {
    JsonNode config = policy.path("TargetTrackingScalingPolicyConfiguration");
    OptionalInt wanted = TargetTracking.desired(config, alarm, datapoints, current);
    if (wanted.isEmpty() || last == null) {
      return wanted;
    }
    int fallback = DEFAULT_COOLDOWN;
    if (wanted.getAsInt() > current && last.scaledOut()) {
      Duration out = Duration.ofSeconds(config.path("ScaleOutCooldown").asInt(fallback));
      if (now.isBefore(last.at().plus(out))) {
        OptionalInt fromBefore = TargetTracking.desired(config, alarm, datapoints, last.before());
        return fromBefore.isPresent() && fromBefore.getAsInt() > current
            ? fromBefore
            : OptionalInt.empty();
      }
    }
    if (wanted.getAsInt() < current && !last.scaledOut()) {
      Duration in = Duration.ofSeconds(config.path("ScaleInCooldown").asInt(fallback));
      if (now.isBefore(last.at().plus(in))) {
        return OptionalInt.empty();
      }
    }
    return wanted;
  }

  static int clamp(int value, JsonNode target) {
    int min = target.path("MinCapacity").asInt();
    int max = target.path("MaxCapacity").asInt();
    return Math.max(min, Math.min(max, value));
  }
}
