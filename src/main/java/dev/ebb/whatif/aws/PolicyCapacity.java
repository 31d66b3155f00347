package dev.ebb.whatif.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * The capacity an Application Auto Scaling policy asks for when its alarm invokes it (step or
 * target tracking), held back by its cooldowns, as the API reference describes them: after a
 * scale-out, another scale-out within the cooldown happens only if it asks for more than the first
 * one did (the capacity it added counts as part of the next one); after a scale-in, scale-in waits
 * for the cooldown to pass, while a scale-out may happen at once (and ends the scale-in cooldown).
 */
public final class PolicyCapacity {
  /**
   * 300 s: StepScalingPolicyConfiguration's documented default, and target tracking's for SageMaker
   * (endpoint variants are listed; inference components assumed the same).
   */
  private static final int DEFAULT_COOLDOWN = 300;

  private PolicyCapacity() {}

  /**
   * What {@code policy} (as PutScalingPolicy stores it) asks for when {@code alarm} invokes it with
   * {@code datapoints} at {@code now}, from {@code current}; empty when nothing changes. {@code
   * last}: the policy's last activity, if any.
   */
  public static OptionalInt wanted(
      ObjectNode policy,
      JsonNode alarm,
      List<Double> datapoints,
      int current,
      Cooldown last,
      Instant now) {
    return policy.path("PolicyType").asText().equals("TargetTrackingScaling")
        ? targetTracking(policy, alarm, datapoints, current, last, now)
        : step(policy, alarm, datapoints, current, last, now);
  }

  private static OptionalInt step(
      ObjectNode policy,
      JsonNode alarm,
      List<Double> datapoints,
      int current,
      Cooldown last,
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
      Cooldown last,
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

  /** {@code value} within the scalable target's MinCapacity and MaxCapacity. */
  public static int clamp(int value, JsonNode target) {
    int min = target.path("MinCapacity").asInt();
    int max = target.path("MaxCapacity").asInt();
    return Math.max(min, Math.min(max, value));
  }
}
