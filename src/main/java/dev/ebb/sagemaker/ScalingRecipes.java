package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.MetricRef;
import dev.ebb.api.v1alpha1.ScalingPolicySpec;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.ScheduledAction;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.StepScaling;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetTracking;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   * The recipe for {@code spec} on {@code target}.
   *
   * @param alarmBase the prefix of this policy's alarm names (alarms are regional, not per target)
   */
  public static Desired of(ScalingPolicySpec spec, Target target, String alarmBase) {
    List<DesiredPolicy> policies = new ArrayList<>();
    List<DesiredAlarm> alarms = new ArrayList<>();
    List<TargetTracking> tracking = orEmpty(spec.targetTracking());
    int custom = 0;
    for (TargetTracking t : tracking) {
      String name =
          PREFIX
              + "target-tracking-"
              + (t.metric() == ScalingPolicySpec.TrackedMetric.Custom
                  ? "custom-" + ++custom
                  : t.metric().name());
      policies.add(
          new DesiredPolicy(
              name, PolicyType.TARGET_TRACKING_SCALING, targetTracking(t, target), null));
    }
    if (spec.scaleFromZero() != null) {
      var fromZero = spec.scaleFromZero();
      policies.add(
          new DesiredPolicy(
              SCALE_FROM_ZERO,
              PolicyType.STEP_SCALING,
              null,
              StepScalingPolicyConfiguration.builder()
                  .adjustmentType("ChangeInCapacity")
                  .metricAggregationType("Maximum")
                  .cooldown(orDefault(fromZero.cooldownSeconds(), 60))
                  .stepAdjustments(
                      StepAdjustment.builder()
                          .metricIntervalLowerBound(0.0)
                          .scalingAdjustment(orDefault(fromZero.adjustment(), 1))
                          .build())
                  .build()));
      alarms.add(scaleFromZeroAlarm(target, alarmBase));
    }
    for (StepScaling s : orEmpty(spec.stepScaling())) {
      String name = PREFIX + "step-" + s.name();
      policies.add(new DesiredPolicy(name, PolicyType.STEP_SCALING, null, stepScaling(s)));
      var a = s.alarm();
      MetricRef metric = a.metric();
      alarms.add(
          new DesiredAlarm(
              alarmBase + "-step-" + s.name(),
              name,
              orDefault(metric.namespace(), "AWS/SageMaker"),
              metric.name(),
              new TreeMap<>(orEmpty(metric.dimensions())),
              metric.statistic() == null ? "Average" : metric.statistic().name(),
              orDefault(a.periodSeconds(), 60),
              orDefault(a.evaluationPeriods(), 1),
              orDefault(a.datapointsToAlarm(), 1),
              a.threshold(),
              a.comparison() == null ? "GreaterThanOrEqualToThreshold" : a.comparison().name(),
              a.treatMissingData() == null ? "missing" : a.treatMissingData()));
    }
    List<DesiredAction> actions = new ArrayList<>();
    for (ScheduledAction s : orEmpty(spec.schedule())) {
      actions.add(
          new DesiredAction(
              PREFIX + s.name(),
              schedule(s),
              s.timeZone() == null ? "UTC" : s.timeZone(),
              instant(s.start()),
              instant(s.end()),
              ScalableTargetAction.builder()
                  .minCapacity(s.minCapacity())
                  .maxCapacity(s.maxCapacity())
                  .build()));
    }
    return new Desired(
        target,
        spec.minCapacity(),
        spec.maxCapacity(),
        List.copyOf(policies),
        List.copyOf(alarms),
        List.copyOf(actions));
  }

  /** Where one ScalingPolicy's alarm names start: unique per namespace/name. */
  public static String alarmBase(String namespace, String policyName) {
    return PREFIX + SageMakerNames.forObject(namespace, policyName);
  }

  /**
   * The alarm that wakes a target from zero, where target tracking cannot (no copy or instance is
   * left to measure): NoCapacityInvocationFailures for a component, HasBacklogWithoutCapacity for
   * an asynchronous variant.
   */
  private static DesiredAlarm scaleFromZeroAlarm(Target target, String alarmBase) {
    String name = alarmBase + "-scale-from-zero";
    if (target.isComponent()) {
      return new DesiredAlarm(
          name,
          SCALE_FROM_ZERO,
          "AWS/SageMaker",
          "NoCapacityInvocationFailures",
          Map.of("InferenceComponentName", target.componentName()),
          "Maximum",
          30,
          1,
          1,
          1.0,
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
            .scaleOutCooldown(orDefault(t.scaleOutCooldownSeconds(), 300))
            .scaleInCooldown(orDefault(t.scaleInCooldownSeconds(), 300))
            .disableScaleIn(Boolean.TRUE.equals(t.disableScaleIn()));
    switch (t.metric()) {
      case ConcurrentRequestsPerCopy ->
          config.predefinedMetricSpecification(
              m ->
                  m.predefinedMetricType(
                      "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"));
      case InvocationsPerCopy ->
          config.predefinedMetricSpecification(
              m -> m.predefinedMetricType("SageMakerInferenceComponentInvocationsPerCopy"));
      case ConcurrentRequestsPerModel ->
          config.predefinedMetricSpecification(
              m ->
                  m.predefinedMetricType(
                      "SageMakerVariantConcurrentRequestsPerModelHighResolution"));
      case InvocationsPerInstance ->
          config.predefinedMetricSpecification(
              m -> m.predefinedMetricType("SageMakerVariantInvocationsPerInstance"));
      case BacklogPerInstance ->
          config.customizedMetricSpecification(
              customized(
                  "AWS/SageMaker",
                  "ApproximateBacklogSizePerInstance",
                  Map.of("EndpointName", target.endpointName()),
                  "Average"));
      case Custom -> {
        MetricRef m = t.custom();
        config.customizedMetricSpecification(
            customized(
                orDefault(m.namespace(), "AWS/SageMaker"),
                m.name(),
                orEmpty(m.dimensions()),
                m.statistic() == null ? "Average" : m.statistic().name()));
      }
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
        .adjustmentType(s.adjustmentType() == null ? "ChangeInCapacity" : s.adjustmentType().name())
        .minAdjustmentMagnitude(s.minAdjustmentMagnitude())
        .cooldown(orDefault(s.cooldownSeconds(), 300))
        .metricAggregationType(
            s.metricAggregationType() == null ? "Average" : s.metricAggregationType().name())
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

  private static String schedule(ScheduledAction s) {
    if (s.cron() != null) {
      return "cron(" + s.cron() + ")";
    }
    return s.rate() != null ? "rate(" + s.rate() + ")" : "at(" + s.at() + ")";
  }

  private static Instant instant(String rfc3339) {
    return rfc3339 == null ? null : OffsetDateTime.parse(rfc3339).toInstant();
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
