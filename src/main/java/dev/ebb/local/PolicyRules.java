package dev.ebb.local;

import dev.ebb.api.v1alpha1.MetricRef;
import dev.ebb.api.v1alpha1.ScalingPolicySpec;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.ScheduledAction;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TrackedMetric;
import dev.ebb.scaling.Bounds;
import dev.ebb.scaling.ScalingRules;
import dev.ebb.scaling.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A ScalingPolicy's spec in the policy engine's terms. Metric names are the ones the gateway
 * publishes per component: SageMaker's names ({@value #CONCURRENT_REQUESTS_PER_COPY}, {@value
 * #INVOCATIONS_PER_COPY}); a custom metric or an alarm's metric is looked up by its name.
 */
public final class PolicyRules {
  public static final String CONCURRENT_REQUESTS_PER_COPY = "ConcurrentRequestsPerCopy";
  public static final String INVOCATIONS_PER_COPY = "InvocationsPerCopy";

  /** Default of spec.idle.scaleToZeroAfterSeconds: SageMaker's 15-minute scale-in alarm. */
  static final int DEFAULT_IDLE_SECONDS = 900;

  private PolicyRules() {}

  /**
   * @throws IllegalArgumentException when a scheduled action's expression, time zone or start/end
   *     cannot be evaluated (the message names the action)
   */
  public static ScalingRules of(ScalingPolicySpec spec) {
    return new ScalingRules(
        new Bounds(spec.minCapacity(), spec.maxCapacity()),
        orEmpty(spec.targetTracking()).stream().map(PolicyRules::targetTracking).toList(),
        Optional.ofNullable(spec.scaleFromZero())
            .map(z -> new ScalingRules.ScaleFromZero(or(z.adjustment(), 1))),
        orEmpty(spec.stepScaling()).stream().map(PolicyRules::stepScaling).toList(),
        orEmpty(spec.schedule()).stream().map(PolicyRules::schedule).toList(),
        Duration.ofSeconds(
            Optional.ofNullable(spec.idle())
                .map(ScalingPolicySpec.Idle::scaleToZeroAfterSeconds)
                .orElse(DEFAULT_IDLE_SECONDS)));
  }

  /** The name a tracked metric is published under on backend local. */
  static String metricName(ScalingPolicySpec.TargetTracking t) {
    return t.metric() == TrackedMetric.Custom ? t.custom().name() : t.metric().name();
  }

  private static ScalingRules.TargetTracking targetTracking(ScalingPolicySpec.TargetTracking t) {
    return new ScalingRules.TargetTracking(
        metricName(t),
        t.targetValue(),
        Duration.ofSeconds(or(t.scaleOutCooldownSeconds(), 300)),
        Duration.ofSeconds(or(t.scaleInCooldownSeconds(), 300)),
        Boolean.TRUE.equals(t.disableScaleIn()));
  }

  private static ScalingRules.StepScaling stepScaling(ScalingPolicySpec.StepScaling s) {
    ScalingPolicySpec.Alarm a = s.alarm();
    var alarm =
        new ScalingRules.Alarm(
            a.metric().name(),
            ScalingRules.Statistic.valueOf(
                Optional.ofNullable(a.metric().statistic())
                    .orElse(MetricRef.Statistic.Average)
                    .name()),
            a.threshold(),
            ScalingRules.Comparison.valueOf(
                Optional.ofNullable(a.comparison())
                    .orElse(ScalingPolicySpec.Comparison.GreaterThanOrEqualToThreshold)
                    .name()),
            Duration.ofSeconds(or(a.periodSeconds(), 60)),
            or(a.evaluationPeriods(), 1),
            or(a.datapointsToAlarm(), 1));
    return new ScalingRules.StepScaling(
        s.name(),
        alarm,
        ScalingRules.AdjustmentType.valueOf(
            Optional.ofNullable(s.adjustmentType())
                .orElse(ScalingPolicySpec.AdjustmentType.ChangeInCapacity)
                .name()),
        s.steps().stream()
            .map(
                step ->
                    new ScalingRules.Step(
                        optional(step.lower()), optional(step.upper()), step.adjustment()))
            .toList(),
        s.minAdjustmentMagnitude() == null
            ? OptionalInt.empty()
            : OptionalInt.of(s.minAdjustmentMagnitude()),
        Duration.ofSeconds(or(s.cooldownSeconds(), 300)));
  }

  private static Schedule schedule(ScheduledAction action) {
    String expression =
        action.cron() != null
            ? "cron(" + action.cron() + ")"
            : action.rate() != null ? "rate(" + action.rate() + ")" : "at(" + action.at() + ")";
    try {
      return new Schedule(
          action.name(),
          expression,
          ZoneId.of(action.timeZone() == null ? "UTC" : action.timeZone()),
          Optional.ofNullable(action.start()).map(Instant::parse),
          Optional.ofNullable(action.end()).map(Instant::parse),
          action.minCapacity() == null ? OptionalInt.empty() : OptionalInt.of(action.minCapacity()),
          action.maxCapacity() == null
              ? OptionalInt.empty()
              : OptionalInt.of(action.maxCapacity()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "spec.schedule[" + action.name() + "]: " + e.getMessage(), e);
    }
  }

  private static OptionalDouble optional(Double value) {
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
