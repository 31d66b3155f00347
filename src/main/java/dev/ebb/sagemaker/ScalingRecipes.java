package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.EffectivePolicy.Metric;
import dev.ebb.api.v1alpha1.EffectivePolicy.ScheduledAction;
import dev.ebb.api.v1alpha1.EffectivePolicy.StepScaling;
import dev.ebb.api.v1alpha1.EffectivePolicy.TargetTracking;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TrackedMetric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import software.amazon.awssdk.services.applicationautoscaling.model.CustomizedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricStatistic;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTargetAction;
import software.amazon.awssdk.services.applicationautoscaling.model.StepAdjustment;
import software.amazon.awssdk.services.applicationautoscaling.model.StepScalingPolicyConfiguration;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * Compiles a ScalingPolicy into the Application Auto Scaling and CloudWatch objects that implement
 * it on SageMaker: the scale-to-zero recipe of the digest, field for field. Pure: the same spec and
 * target always give the same objects with the same names, which is what makes every write an
 * idempotent upsert.
 */
public final class ScalingRecipes {
  /** Policies and scheduled actions Ebb creates on a target are named with this prefix. */
  public static final String PREFIX = "ebb-";

  public static final String SCALE_FROM_ZERO = PREFIX + "scale-from-zero";

  /** A component's wake alarm: Maximum of NoCapacityInvocationFailures over 30 s, at least 1. */
  public static final int COMPONENT_WAKE_PERIOD_SECONDS = 30;

  public static final double WAKE_THRESHOLD = 1.0;

  private ScalingRecipes() {}

  /** What a policy scales: an inference component's copies or a variant's instances. */
  public record Target(
      String resourceId, ScalableDimension dimension, String componentName, String endpointName) {

    public static Target component(String componentName, String endpointName) {
      return new Target(
          "inference-component/" + componentName,
          ScalableDimension.SAGEMAKER_INFERENCE_COMPONENT_DESIRED_COPY_COUNT,
          componentName,
          endpointName);
    }

    public static Target variant(String endpointName, String variant) {
      return new Target(
          "endpoint/" + endpointName + "/variant/" + variant,
          ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT,
          null,
          endpointName);
    }

    /** The target a status recorded, from its resource ID alone (for teardown). */
    public static Optional<Target> ofResourceId(String resourceId) {
      if (resourceId == null) {
        return Optional.empty();
      }
      String[] parts = resourceId.split("/");
      if (parts.length == 2 && parts[0].equals("inference-component")) {
        return Optional.of(component(parts[1], null));
      }
      if (parts.length == 4 && parts[0].equals("endpoint") && parts[2].equals("variant")) {
        return Optional.of(variant(parts[1], parts[3]));
      }
      return Optional.empty();
    }

    public boolean isComponent() {
      return componentName != null;
    }
  }

  /** Everything one policy compiles to. */
  public record Desired(
      Target target,
      int minCapacity,
      int maxCapacity,
      List<DesiredPolicy> policies,
      List<DesiredAlarm> alarms,
      List<DesiredAction> actions) {}

  /** A scaling policy: exactly one of the two configurations is set, as its type says. */
  public record DesiredPolicy(
      String name,
      PolicyType type,
      TargetTrackingScalingPolicyConfiguration targetTracking,
      StepScalingPolicyConfiguration stepScaling) {}

  /** A CloudWatch alarm whose only action is the scaling policy {@code policyName}. */
  public record DesiredAlarm(
      String name,
      String policyName,
      String namespace,
      String metricName,
      Map<String, String> dimensions,
      String statistic,
      int periodSeconds,
      int evaluationPeriods,
      int datapointsToAlarm,
      double threshold,
      String comparison,
      String treatMissingData) {}

  /** A scheduled action: sets min/max capacity when its schedule fires. */
  public record DesiredAction(
      String name,
      String schedule,
      String timeZone,
      Instant start,
      Instant end,
      ScalableTargetAction action) {}

  /**
   * The recipe for {@code policy} on {@code target}.
   *
   * @param alarmBase the prefix of this policy's alarm names (alarms are regional, not per target)
   */
  public static Desired of(EffectivePolicy policy, Target target, String alarmBase) {
    List<DesiredPolicy> policies = new ArrayList<>();
    List<DesiredAlarm> alarms = new ArrayList<>();
    int custom = 0;
    for (TargetTracking t : policy.targetTracking()) {
      String name =
          PREFIX
              + "target-tracking-"
              + (t.metric() == TrackedMetric.Custom ? "custom-" + ++custom : t.metric().name());
      policies.add(
          new DesiredPolicy(
              name, PolicyType.TARGET_TRACKING_SCALING, targetTracking(t, target), null));
    }
    policy
        .scaleFromZero()
        .ifPresent(
            fromZero -> {
              policies.add(
                  new DesiredPolicy(
                      SCALE_FROM_ZERO,
                      PolicyType.STEP_SCALING,
                      null,
                      StepScalingPolicyConfiguration.builder()
                          .adjustmentType("ChangeInCapacity")
                          .metricAggregationType("Maximum")
                          .cooldown(fromZero.cooldownSeconds())
                          .stepAdjustments(
                              StepAdjustment.builder()
                                  .metricIntervalLowerBound(0.0)
                                  .scalingAdjustment(fromZero.adjustment())
                                  .build())
                          .build()));
              alarms.add(scaleFromZeroAlarm(target, alarmBase));
            });
    for (StepScaling s : policy.stepScaling()) {
      String name = PREFIX + "step-" + s.name();
      policies.add(new DesiredPolicy(name, PolicyType.STEP_SCALING, null, stepScaling(s)));
      var a = s.alarm();
      Metric metric = a.metric();
      alarms.add(
          new DesiredAlarm(
              alarmBase + "-step-" + s.name(),
              name,
              metric.namespace(),
              metric.name(),
              metric.dimensions(),
              metric.statistic().name(),
              a.periodSeconds(),
              a.evaluationPeriods(),
              a.datapointsToAlarm(),
              a.threshold(),
              a.comparison().name(),
              a.treatMissingData()));
    }
    List<DesiredAction> actions = new ArrayList<>();
    for (ScheduledAction s : policy.scheduledActions()) {
      actions.add(
          new DesiredAction(
              PREFIX + s.name(),
              s.expression(),
              s.timeZone(),
              s.start().orElse(null),
              s.end().orElse(null),
              ScalableTargetAction.builder()
                  .minCapacity(boxed(s.minCapacity()))
                  .maxCapacity(boxed(s.maxCapacity()))
                  .build()));
    }
    return new Desired(
        target,
        policy.minCapacity(),
        policy.maxCapacity(),
        List.copyOf(policies),
        List.copyOf(alarms),
        List.copyOf(actions));
  }

  /** Where one ScalingPolicy's alarm names start: unique per namespace/name. */
  public static String alarmBase(String namespace, String policyName) {
    return PREFIX + SageMakerNames.forObject(namespace, policyName);
  }

  /** The name of the alarm that wakes the target of ScalingPolicy {@code namespace/policyName}. */
  public static String scaleFromZeroAlarm(String namespace, String policyName) {
    return scaleFromZeroAlarmOf(alarmBase(namespace, policyName));
  }

  private static String scaleFromZeroAlarmOf(String alarmBase) {
    return alarmBase + "-scale-from-zero";
  }

  /**
   * The alarm that wakes a target from zero, where target tracking cannot (no copy or instance is
   * left to measure): NoCapacityInvocationFailures for a component, HasBacklogWithoutCapacity for
   * an asynchronous variant.
   */
  private static DesiredAlarm scaleFromZeroAlarm(Target target, String alarmBase) {
    String name = scaleFromZeroAlarmOf(alarmBase);
    if (target.isComponent()) {
      return new DesiredAlarm(
          name,
          SCALE_FROM_ZERO,
          "AWS/SageMaker",
          "NoCapacityInvocationFailures",
          Map.of("InferenceComponentName", target.componentName()),
          "Maximum",
          COMPONENT_WAKE_PERIOD_SECONDS,
          1,
          1,
          WAKE_THRESHOLD,
          "GreaterThanOrEqualToThreshold",
          "missing");
    }
    return new DesiredAlarm(
        name,
        SCALE_FROM_ZERO,
        "AWS/SageMaker",
        "HasBacklogWithoutCapacity",
        Map.of("EndpointName", target.endpointName()),
        "Average",
        60,
        2,
        2,
        1.0,
        "GreaterThanOrEqualToThreshold",
        "missing");
  }

  private static TargetTrackingScalingPolicyConfiguration targetTracking(
      TargetTracking t, Target target) {
    var config =
        TargetTrackingScalingPolicyConfiguration.builder()
            .targetValue(t.targetValue())
            .scaleOutCooldown(t.scaleOutCooldownSeconds())
            .scaleInCooldown(t.scaleInCooldownSeconds())
            .disableScaleIn(t.disableScaleIn());
    TrackedMetric metric = t.metric();
    if (metric.predefinedMetricType().isPresent()) {
      config.predefinedMetricSpecification(
          m -> m.predefinedMetricType(metric.predefinedMetricType().get()));
    } else if (metric.endpointMetricName().isPresent()) {
      config.customizedMetricSpecification(
          customized(
              "AWS/SageMaker",
              metric.endpointMetricName().get(),
              Map.of("EndpointName", target.endpointName()),
              "Average"));
    } else {
      Metric m = t.custom().orElseThrow();
      config.customizedMetricSpecification(
          customized(m.namespace(), m.name(), m.dimensions(), m.statistic().name()));
    }
    return config.build();
  }

  private static CustomizedMetricSpecification customized(
      String namespace, String name, Map<String, String> dimensions, String statistic) {
    return CustomizedMetricSpecification.builder()
        .namespace(namespace)
        .metricName(name)
        .dimensions(
            new TreeMap<>(dimensions)
                .entrySet().stream()
                    .map(
                        e -> MetricDimension.builder().name(e.getKey()).value(e.getValue()).build())
                    .toList())
        .statistic(MetricStatistic.fromValue(statistic))
        .build();
  }

  private static StepScalingPolicyConfiguration stepScaling(StepScaling s) {
    return StepScalingPolicyConfiguration.builder()
        .adjustmentType(s.adjustmentType().name())
        .minAdjustmentMagnitude(boxed(s.minAdjustmentMagnitude()))
        .cooldown(s.cooldownSeconds())
        .metricAggregationType(s.metricAggregationType().name())
        .stepAdjustments(
            s.steps().stream()
                .map(
                    step ->
                        StepAdjustment.builder()
                            .metricIntervalLowerBound(step.lower())
                            .metricIntervalUpperBound(step.upper())
                            .scalingAdjustment(step.adjustment())
                            .build())
                .toList())
        .build();
  }

  private static Integer boxed(OptionalInt value) {
    return value.isPresent() ? value.getAsInt() : null;
  }
}
