package dev.ebb.scaling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One ScalingPolicy in the engine's terms.
 *
 * @param bounds the policy's min and max capacity
 * @param targetTracking target tracking policies (the highest desired capacity wins)
 * @param scaleFromZero what a demand signal at zero adds
 * @param schedules scheduled actions that move the bounds when they fire
 * @param idleToZero with min 0: how long without requests before the last copy goes
 */
public record ScalingRules(
    Bounds bounds,
    List<TargetTracking> targetTracking,
    Optional<ScaleFromZero> scaleFromZero,
    List<Schedule> schedules,
    Duration idleToZero) {

  /** Keep {@code metric} (per copy) near {@code targetValue}. */
  public record TargetTracking(
      String metric,
      double targetValue,
      Duration scaleOutCooldown,
      Duration scaleInCooldown,
      boolean disableScaleIn) {}

  /** On demand at zero: add {@code adjustment} copies (at least one). */
  public record ScaleFromZero(int adjustment) {}
}
