package dev.ebb.local;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a request does to a local component at zero copies: the one wake rule Ebb applies on both
 * planes. Only a ScalingPolicy's scale-from-zero step starts a copy, up to the max capacity in
 * force; without a policy, the copies are someone else's to set (spec.copies, kubectl scale, an
 * autoscaler on the scale subresource), so requests are held for the cold-start timeout in case one
 * comes. The gateway refuses or holds by it; the component's status says it.
 */
public sealed interface WakeRule {
  /**
   * A held request wakes the component: the policy's scale-from-zero step adds {@code adjustment}
   * copies, up to {@code maxCapacity}, at most once per {@code cooldown}.
   */
  record Wakes(String policy, int adjustment, int maxCapacity, Duration cooldown)
      implements WakeRule {}

  /** The policy has no scaleFromZero: nothing starts a copy. */
  record NoScaleFromZero(String policy) implements WakeRule {}

  /** A scheduled action holds max capacity at 0 until another raises it. */
  record ParkedBySchedule(String policy) implements WakeRule {}

  /** No policy: requests wait for a copy someone else starts. */
  record NoPolicy() implements WakeRule {}

  /** The rule for a component targeted by {@code policies} (the first one decides). */
  static WakeRule of(List<ScalingPolicy> policies) {
    if (policies.isEmpty()) {
      return new NoPolicy();
    }
    ScalingPolicy policy = policies.get(0);
    var local = policy.getStatus() == null ? null : policy.getStatus().local();
    return of(
        policy.getMetadata().getName(),
        EffectivePolicy.of(policy.getSpec()),
        Optional.ofNullable(local).map(ScalingPolicyStatus.EngineStatus::maxCapacity));
  }

  /**
   * The rule of policy {@code name}, given the max capacity in force ({@code status.local}'s, which
   * a scheduled action may have set; empty when not known yet).
   */
  static WakeRule of(String name, EffectivePolicy effective, Optional<Integer> maxCapacityInForce) {
    if (effective.scaleFromZero().isEmpty()) {
      return new NoScaleFromZero(name);
    }
    if (maxCapacityInForce.filter(max -> max == 0).isPresent()) {
      return new ParkedBySchedule(name);
    }
    var step = effective.scaleFromZero().get();
    return new Wakes(
        name,
        step.adjustment(),
        effective.maxCapacity(),
        Duration.ofSeconds(step.cooldownSeconds()));
  }

  /** Why a request to {@code component} at zero copies is refused; empty when it is held. */
  default Optional<String> refusal(String component) {
    if (this instanceof NoScaleFromZero n) {
      return Optional.of(
          "Inference Component "
              + component
              + " has no copies, and its ScalingPolicy "
              + n.policy()
              + " has no scaleFromZero, so a request does not start one.");
    }
    if (this instanceof ParkedBySchedule p) {
      return Optional.of(
          "Inference Component "
              + component
              + " has no copies: its ScalingPolicy "
              + p.policy()
              + " holds it at max capacity 0 (a scheduled action) until a schedule raises it.");
    }
    return Optional.empty();
  }

  /** The component's status message while it runs no copy. */
  default String scaledToZero() {
    if (this instanceof Wakes w) {
      return "Scaled to zero copies; the next request starts one (ScalingPolicy "
          + w.policy()
          + ", scaleFromZero).";
    }
    if (this instanceof NoScaleFromZero n) {
      return "Scaled to zero copies; requests are refused: ScalingPolicy "
          + n.policy()
          + " has no scaleFromZero.";
    }
    if (this instanceof ParkedBySchedule p) {
      return "Scaled to zero copies; requests are refused while ScalingPolicy "
          + p.policy()
          + " holds max capacity at 0 (a scheduled action).";
    }
    return "Scaled to zero copies; no ScalingPolicy targets it, so requests wait up to the"
        + " cold-start timeout for a copy started another way (spec.copies, kubectl scale).";
  }
}
