package dev.ebb.local;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.EffectivePolicy.ScheduledAction;
import dev.ebb.scaling.Bounds;
import dev.ebb.scaling.ScalingRules;
import dev.ebb.scaling.Schedule;
import java.time.Duration;
import java.time.ZoneId;
import java.util.OptionalDouble;

/**
 * A ScalingPolicy's effective spec in the policy engine's terms. Metrics are named as {@link
 * LocalMetricCatalog} publishes them; no default is applied here ({@link EffectivePolicy} did).
 */
public final class PolicyRules {
  private PolicyRules() {}

  /**
   * @throws IllegalArgumentException when a scheduled action's expression or time zone cannot be
   *     evaluated (the message names the action)
   */
  public static ScalingRules of(EffectivePolicy policy) {
    return new ScalingRules(
        new Bounds(policy.minCapacity(), policy.maxCapacity()),
        policy.targetTracking().stream().map(PolicyRules::targetTracking).toList(),
        policy.scaleFromZero().map(z -> new ScalingRules.ScaleFromZero(z.adjustment())),
        policy.stepScaling().stream().map(PolicyRules::stepScaling).toList(),
        policy.scheduledActions().stream().map(PolicyRules::schedule).toList(),
        policy.idleToZero());
  }

  private static ScalingRules.TargetTracking targetTracking(EffectivePolicy.TargetTracking t) {
    return new ScalingRules.TargetTracking(
        LocalMetricCatalog.of(t.metric(), t.custom()).key(),
        t.targetValue(),
        Duration.ofSeconds(t.scaleOutCooldownSeconds()),
        Duration.ofSeconds(t.scaleInCooldownSeconds()),
        t.disableScaleIn());
  }

  private static ScalingRules.StepScaling stepScaling(EffectivePolicy.StepScaling s) {
    EffectivePolicy.Alarm a = s.alarm();
    var alarm =
        new ScalingRules.Alarm(
            LocalMetricCatalog.of(a.metric()).key(),
            ScalingRules.Statistic.valueOf(a.metric().statistic().name()),
            a.threshold(),
            ScalingRules.Comparison.valueOf(a.comparison().name()),
            Duration.ofSeconds(a.periodSeconds()),
            a.evaluationPeriods(),
            a.datapointsToAlarm(),
            missingData(s));
    return new ScalingRules.StepScaling(
        s.name(),
        alarm,
        ScalingRules.AdjustmentType.valueOf(s.adjustmentType().name()),
        s.steps().stream()
            .map(
                step ->
                    new ScalingRules.Step(
                        optional(step.lower()), optional(step.upper()), step.adjustment()))
            .toList(),
        s.minAdjustmentMagnitude(),
        Duration.ofSeconds(s.cooldownSeconds()),
        ScalingRules.Aggregation.valueOf(s.metricAggregationType().name()));
  }

  /**
   * @throws IllegalArgumentException for {@code ignore}, which keeps an alarm's last state through
   *     missing data: the engine evaluates alarms afresh each time and keeps no alarm state
   */
  private static ScalingRules.MissingData missingData(EffectivePolicy.StepScaling s) {
    String treat = s.alarm().treatMissingData();
    if (treat.equals("ignore")) {
      throw new IllegalArgumentException(
          "spec.stepScaling["
              + s.name()
              + "].alarm.treatMissingData: ignore (keep the alarm's last state) is not supported"
              + " on backend local, whose engine keeps no alarm state; use missing, notBreaching"
              + " or breaching");
    }
    return ScalingRules.MissingData.valueOf(treat);
  }

  private static Schedule schedule(ScheduledAction action) {
    try {
      return new Schedule(
          action.name(),
          action.expression(),
          ZoneId.of(action.timeZone()),
          action.start(),
          action.end(),
          action.minCapacity(),
          action.maxCapacity());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "spec.schedule[" + action.name() + "]: " + e.getMessage(), e);
    }
  }

  private static OptionalDouble optional(Double value) {
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }
}
