package dev.ebb.scaling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One ScalingPolicy in the engine's terms.
 *
 * @param bounds the policy's min and max capacity
 * @param targetTracking target tracking policies (the highest desired capacity wins)
 * @param scaleFromZero what a demand signal at zero adds
 * @param stepScaling step scaling policies, each fired by its alarm
 * @param schedules scheduled actions that move the bounds when they fire
 * @param idleToZero with min 0: how long without requests before the last copy goes
 */
public record ScalingRules(
    Bounds bounds,
    List<TargetTracking> targetTracking,
    Optional<ScaleFromZero> scaleFromZero,
    List<StepScaling> stepScaling,
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

  /**
   * A step scaling policy and the alarm that fires it; the step is chosen by {@code
   * metricAggregation} of the alarm's datapoints over its evaluation range.
   */
  public record StepScaling(
      String name,
      Alarm alarm,
      AdjustmentType adjustmentType,
      List<Step> steps,
      OptionalInt minAdjustmentMagnitude,
      Duration cooldown,
      Aggregation metricAggregation) {

    /** With Application Auto Scaling's default aggregation, Average. */
    public StepScaling(
        String name,
        Alarm alarm,
        AdjustmentType adjustmentType,
        List<Step> steps,
        OptionalInt minAdjustmentMagnitude,
        Duration cooldown) {
      this(
          name,
          alarm,
          adjustmentType,
          steps,
          minAdjustmentMagnitude,
          cooldown,
          Aggregation.Average);
    }
  }

  /** How a step policy combines its alarm's datapoints into the value its steps are chosen by. */
  public enum Aggregation {
    Average,
    Minimum,
    Maximum
  }

  /**
   * How an alarm treats a period without data (CloudWatch's TreatMissingData): {@code missing}
   * leaves it out, {@code notBreaching} counts it as within the threshold, {@code breaching} as
   * past it.
   */
  public enum MissingData {
    missing,
    notBreaching,
    breaching
  }

  /** How a step's adjustment changes capacity. */
  public enum AdjustmentType {
    ChangeInCapacity,
    ExactCapacity,
    PercentChangeInCapacity
  }

  /**
   * One step: applies when (metric - threshold) is in [lower, upper); an empty bound is unbounded.
   */
  public record Step(OptionalDouble lower, OptionalDouble upper, int adjustment) {
    boolean contains(double difference) {
      return (lower.isEmpty() || difference >= lower.getAsDouble())
          && (upper.isEmpty() || difference < upper.getAsDouble());
    }
  }

  /**
   * A CloudWatch-style alarm: it is in ALARM when at least {@code datapointsToAlarm} of the last
   * {@code evaluationPeriods} periods breach the threshold.
   */
  public record Alarm(
      String metric,
      Statistic statistic,
      double threshold,
      Comparison comparison,
      Duration period,
      int evaluationPeriods,
      int datapointsToAlarm,
      MissingData missingData) {

    /** Treating missing data as CloudWatch does by default ({@code missing}). */
    public Alarm(
        String metric,
        Statistic statistic,
        double threshold,
        Comparison comparison,
        Duration period,
        int evaluationPeriods,
        int datapointsToAlarm) {
      this(
          metric,
          statistic,
          threshold,
          comparison,
          period,
          evaluationPeriods,
          datapointsToAlarm,
          MissingData.missing);
    }
  }

  /** Statistics an alarm can aggregate a period with. */
  public enum Statistic {
    Average,
    Minimum,
    Maximum,
    SampleCount,
    Sum
  }

  /** Alarm comparisons. */
  public enum Comparison {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold;

    boolean breaches(double value, double threshold) {
      return switch (this) {
        case GreaterThanOrEqualToThreshold -> value >= threshold;
        case GreaterThanThreshold -> value > threshold;
        case LessThanThreshold -> value < threshold;
        case LessThanOrEqualToThreshold -> value <= threshold;
      };
    }
  }
}
