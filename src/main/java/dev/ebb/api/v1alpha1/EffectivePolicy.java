package dev.ebb.api.v1alpha1;

import dev.ebb.api.v1alpha1.ScalingPolicySpec.AdjustmentType;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.Comparison;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.MetricAggregation;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.Step;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetRef;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TrackedMetric;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A ScalingPolicy's spec with every default applied, and nothing left null: what the policy engine
 * (backend local), the SageMaker recipe compiler and the gateway's wake all read, so the three
 * cannot disagree on what an omitted field means. The defaults are {@link Defaults}, which the
 * CRD's {@code @Default} annotations read too: an object the API server defaulted and one a test
 * built by hand without the defaults mean the same.
 *
 * @param scheduledActions scheduled actions with their expression in Application Auto Scaling's
 *     form ({@code cron(...)}, {@code rate(...)} or {@code at(...)})
 * @param idleToZero how long without requests before the last copy goes (backend local)
 */
public record EffectivePolicy(
    TargetRef targetRef,
    int minCapacity,
    int maxCapacity,
    List<TargetTracking> targetTracking,
    Optional<ScaleFromZero> scaleFromZero,
    List<StepScaling> stepScaling,
    List<ScheduledAction> scheduledActions,
    Duration idleToZero) {

  /** Every default of a ScalingPolicy's spec, once. The texts are for {@code @Default}. */
  public static final class Defaults {
    public static final int COOLDOWN_SECONDS = 300;
    public static final String COOLDOWN_SECONDS_TEXT = "" + COOLDOWN_SECONDS;
    public static final int SCALE_FROM_ZERO_ADJUSTMENT = 1;
    public static final String SCALE_FROM_ZERO_ADJUSTMENT_TEXT = "" + SCALE_FROM_ZERO_ADJUSTMENT;
    public static final int SCALE_FROM_ZERO_COOLDOWN_SECONDS = 60;
    public static final String SCALE_FROM_ZERO_COOLDOWN_SECONDS_TEXT =
        "" + SCALE_FROM_ZERO_COOLDOWN_SECONDS;
    public static final String METRIC_NAMESPACE = "AWS/SageMaker";
    public static final String STATISTIC = "Average";
    public static final String ADJUSTMENT_TYPE = "ChangeInCapacity";
    public static final String METRIC_AGGREGATION = "Average";
    public static final String COMPARISON = "GreaterThanOrEqualToThreshold";
    public static final int PERIOD_SECONDS = 60;
    public static final String PERIOD_SECONDS_TEXT = "" + PERIOD_SECONDS;
    public static final int EVALUATION_PERIODS = 1;
    public static final String EVALUATION_PERIODS_TEXT = "" + EVALUATION_PERIODS;
    public static final int DATAPOINTS_TO_ALARM = 1;
    public static final String DATAPOINTS_TO_ALARM_TEXT = "" + DATAPOINTS_TO_ALARM;
    public static final String TREAT_MISSING_DATA = "missing";
    public static final String TIME_ZONE = "UTC";

    /** SageMaker's 15-minute scale-in alarm. */
    public static final int IDLE_SECONDS = 900;

    public static final String IDLE_SECONDS_TEXT = "" + IDLE_SECONDS;

    private Defaults() {}
  }

  /** Keep {@code metric} near {@code targetValue}; {@code custom} is set for metric Custom. */
  public record TargetTracking(
      TrackedMetric metric,
      Optional<Metric> custom,
      double targetValue,
      int scaleOutCooldownSeconds,
      int scaleInCooldownSeconds,
      boolean disableScaleIn) {}

  /** A CloudWatch metric with its statistic; dimensions in name order. */
  public record Metric(
      String namespace,
      String name,
      SortedMap<String, String> dimensions,
      MetricRef.Statistic statistic) {

    static Metric of(MetricRef ref) {
      return new Metric(
          or(ref.namespace(), Defaults.METRIC_NAMESPACE),
          ref.name(),
          java.util.Collections.unmodifiableSortedMap(
              new TreeMap<>(ref.dimensions() == null ? Map.of() : ref.dimensions())),
          Optional.ofNullable(ref.statistic())
              .orElse(MetricRef.Statistic.valueOf(Defaults.STATISTIC)));
    }
  }

  /** On demand at zero: add {@code adjustment} copies, then wait {@code cooldownSeconds}. */
  public record ScaleFromZero(int adjustment, int cooldownSeconds) {}

  /** A step scaling policy and the alarm that fires it. */
  public record StepScaling(
      String name,
      Alarm alarm,
      AdjustmentType adjustmentType,
      OptionalInt minAdjustmentMagnitude,
      List<Step> steps,
      int cooldownSeconds,
      MetricAggregation metricAggregationType) {}

  /** A CloudWatch alarm. */
  public record Alarm(
      Metric metric,
      double threshold,
      Comparison comparison,
      int periodSeconds,
      int evaluationPeriods,
      int datapointsToAlarm,
      String treatMissingData) {}

  /**
   * A scheduled action.
   *
   * @param expression {@code cron(...)}, {@code rate(...)} or {@code at(...)}
   */
  public record ScheduledAction(
      String name,
      String expression,
      String timeZone,
      Optional<Instant> start,
      Optional<Instant> end,
      OptionalInt minCapacity,
      OptionalInt maxCapacity) {}

  /** The effective policy of {@code spec}. */
  public static EffectivePolicy of(ScalingPolicySpec spec) {
    return new EffectivePolicy(
        spec.targetRef(),
        spec.minCapacity(),
        spec.maxCapacity(),
        orEmpty(spec.targetTracking()).stream().map(EffectivePolicy::targetTracking).toList(),
        Optional.ofNullable(spec.scaleFromZero())
            .map(
                z ->
                    new ScaleFromZero(
                        or(z.adjustment(), Defaults.SCALE_FROM_ZERO_ADJUSTMENT),
                        or(z.cooldownSeconds(), Defaults.SCALE_FROM_ZERO_COOLDOWN_SECONDS))),
        orEmpty(spec.stepScaling()).stream().map(EffectivePolicy::stepScaling).toList(),
        orEmpty(spec.schedule()).stream().map(EffectivePolicy::scheduledAction).toList(),
        Duration.ofSeconds(
            Optional.ofNullable(spec.idle())
                .map(ScalingPolicySpec.Idle::scaleToZeroAfterSeconds)
                .orElse(Defaults.IDLE_SECONDS)));
  }

  private static TargetTracking targetTracking(ScalingPolicySpec.TargetTracking t) {
    return new TargetTracking(
        t.metric(),
        Optional.ofNullable(t.custom()).map(Metric::of),
        t.targetValue(),
        or(t.scaleOutCooldownSeconds(), Defaults.COOLDOWN_SECONDS),
        or(t.scaleInCooldownSeconds(), Defaults.COOLDOWN_SECONDS),
        Boolean.TRUE.equals(t.disableScaleIn()));
  }

  private static StepScaling stepScaling(ScalingPolicySpec.StepScaling s) {
    ScalingPolicySpec.Alarm a = s.alarm();
    return new StepScaling(
        s.name(),
        new Alarm(
            Metric.of(a.metric()),
            a.threshold(),
            Optional.ofNullable(a.comparison()).orElse(Comparison.valueOf(Defaults.COMPARISON)),
            or(a.periodSeconds(), Defaults.PERIOD_SECONDS),
            or(a.evaluationPeriods(), Defaults.EVALUATION_PERIODS),
            or(a.datapointsToAlarm(), Defaults.DATAPOINTS_TO_ALARM),
            or(a.treatMissingData(), Defaults.TREAT_MISSING_DATA)),
        Optional.ofNullable(s.adjustmentType())
            .orElse(AdjustmentType.valueOf(Defaults.ADJUSTMENT_TYPE)),
        s.minAdjustmentMagnitude() == null
            ? OptionalInt.empty()
            : OptionalInt.of(s.minAdjustmentMagnitude()),
        List.copyOf(s.steps()),
        or(s.cooldownSeconds(), Defaults.COOLDOWN_SECONDS),
        Optional.ofNullable(s.metricAggregationType())
            .orElse(MetricAggregation.valueOf(Defaults.METRIC_AGGREGATION)));
  }

  private static ScheduledAction scheduledAction(ScalingPolicySpec.ScheduledAction s) {
    String expression =
        s.cron() != null
            ? "cron(" + s.cron() + ")"
            : s.rate() != null ? "rate(" + s.rate() + ")" : "at(" + s.at() + ")";
    return new ScheduledAction(
        s.name(),
        expression,
        or(s.timeZone(), Defaults.TIME_ZONE),
        instant(s.start(), "spec.schedule[" + s.name() + "].start"),
        instant(s.end(), "spec.schedule[" + s.name() + "].end"),
        s.minCapacity() == null ? OptionalInt.empty() : OptionalInt.of(s.minCapacity()),
        s.maxCapacity() == null ? OptionalInt.empty() : OptionalInt.of(s.maxCapacity()));
  }

  /**
   * @throws IllegalArgumentException naming {@code field} when it is not an RFC 3339 time (the
   *     CRD's pattern admits a few strings no parser reads, such as month 13)
   */
  private static Optional<Instant> instant(String rfc3339, String field) {
    if (rfc3339 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
