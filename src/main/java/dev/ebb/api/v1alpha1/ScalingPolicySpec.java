package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.ebb.api.v1alpha1.EffectivePolicy.Defaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The whole scaling recipe for one target. On SageMaker it compiles to Application Auto Scaling and
 * CloudWatch objects; on backend local Ebb's policy engine evaluates it with the same semantics.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.minCapacity <= self.maxCapacity",
    message = "spec.minCapacity must be less than or equal to spec.maxCapacity",
    fieldPath = ".minCapacity")
@JsonClassDescription(
    "Desired scaling behaviour: target, bounds, target tracking, scale from zero, step scaling, schedule and idle window.")
public record ScalingPolicySpec(
    @JsonPropertyDescription(
            "What is scaled: an InferenceComponent's copies, or an InferenceEndpoint variant's"
                + " instances. Immutable: delete and re-create the policy to retarget it.")
        @Required
        @ValidationRule(value = "self == oldSelf", message = "spec.targetRef is immutable")
        TargetRef targetRef,
    @JsonPropertyDescription(
            "Fewest copies (or instances). 0 allows scale to zero where the target supports it.")
        @Required
        @Min(0)
        Integer minCapacity,
    @JsonPropertyDescription("Most copies (or instances).") @Required @Min(0) Integer maxCapacity,
    @JsonPropertyDescription(
            "Target tracking policies: keep a metric near a target value (at most 5).")
        @Size(max = 5)
        @ValidationRule(
            value = "self.all(t, t.metric == 'Custom' || self.exists_one(u, u.metric == t.metric))",
            message = "spec.targetTracking[] must not track the same metric twice")
        List<TargetTracking> targetTracking,
    @JsonPropertyDescription(
            "Wake from zero on demand: a step of +adjustment fired by requests that found no"
                + " copy (NoCapacityInvocationFailures / HasBacklogWithoutCapacity on SageMaker;"
                + " held requests at the gateway locally).")
        ScaleFromZero scaleFromZero,
    @JsonPropertyDescription(
            "General step scaling policies, each fired by its own alarm (at most 5).")
        @Size(max = 5)
        @ValidationRule(
            value = "self.all(s, self.exists_one(t, t.name == s.name))",
            message = "spec.stepScaling[].name must be unique")
        List<StepScaling> stepScaling,
    @JsonPropertyDescription(
            "Scheduled actions: at the given times set minCapacity/maxCapacity; the policies then"
                + " act inside the new bounds (at most 50).")
        @Size(max = 50)
        @ValidationRule(
            value = "self.all(s, self.exists_one(t, t.name == s.name))",
            message = "spec.schedule[].name must be unique")
        List<ScheduledAction> schedule,
    @JsonPropertyDescription(
            "Idle behaviour on backend local: how long a target must see no traffic before its"
                + " last copy goes.")
        Idle idle) {

  /** A CEL rule on the spec and the message the API server answers when it fails. */
  public record SpecRule(String rule, String message, String fieldPath) {}

  /**
   * The rules, one per target kind, that admit only the metrics {@link TrackedMetric}'s table
   * allows that kind; the CRD generator adds them to the spec's schema.
   */
  public static List<SpecRule> trackedMetricRules() {
    return java.util.Arrays.stream(TargetKind.values())
        .map(
            kind -> {
              List<String> names = TrackedMetric.allowedFor(kind).stream().map(Enum::name).toList();
              return new SpecRule(
                  "!has(self.targetTracking) || self.targetRef.kind != '"
                      + kind
                      + "' || self.targetTracking.all(t, t.metric in ["
                      + names.stream()
                          .map(n -> "'" + n + "'")
                          .collect(java.util.stream.Collectors.joining(", "))
                      + "])",
                  "spec.targetTracking[].metric must be "
                      + String.join(", ", names.subList(0, names.size() - 1))
                      + " or "
                      + names.get(names.size() - 1)
                      + (kind == TargetKind.InferenceComponent
                          ? " for an InferenceComponent target"
                          : " for an InferenceEndpoint variant target"),
                  ".targetTracking");
            })
        .toList();
  }

  /** The scaled object. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.kind != 'InferenceEndpoint' || has(self.variant)",
      message = "spec.targetRef.variant is required when spec.targetRef.kind is InferenceEndpoint",
      fieldPath = ".variant")
  @ValidationRule(
      value = "self.kind != 'InferenceComponent' || !has(self.variant)",
      message =
          "spec.targetRef.variant is only allowed when spec.targetRef.kind is InferenceEndpoint",
      fieldPath = ".variant")
  public record TargetRef(
      @JsonPropertyDescription("InferenceComponent (copies) or InferenceEndpoint (instances).")
          @Required
          TargetKind kind,
      @JsonPropertyDescription("Name of the target, in the same namespace.")
          @Required
          @Size(min = 1, max = 253)
          @Pattern(Validation.K8S_NAME)
          String name,
      @JsonPropertyDescription("Variant whose instance count is scaled (InferenceEndpoint only).")
          @Pattern(Validation.SAGEMAKER_NAME)
          String variant) {}

  /** Kinds a policy can target. */
  public enum TargetKind {
    InferenceComponent,
    InferenceEndpoint
  }

  /** One target tracking policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "(self.metric == 'Custom') == has(self.custom)",
      message = "spec.targetTracking[].custom is required with metric Custom, and only then",
      fieldPath = ".custom")
  public record TargetTracking(
      @JsonPropertyDescription(
              "Tracked metric. Components: ConcurrentRequestsPerCopy (SageMaker's"
                  + " ...ConcurrentRequestsPerCopyHighResolution), InvocationsPerCopy. Variants:"
                  + " InvocationsPerInstance, ConcurrentRequestsPerModel (...HighResolution),"
                  + " BacklogPerInstance (async: ApproximateBacklogSizePerInstance). Custom:"
                  + " any metric, given in custom.")
          @Required
          TrackedMetric metric,
      @JsonPropertyDescription("The metric for metric: Custom.") MetricRef custom,
      @JsonPropertyDescription("Value to keep the metric at, per copy (or instance); > 0.")
          @Required
          @ValidationRule(
              value = "self > 0.0",
              message = "spec.targetTracking[].targetValue must be greater than 0")
          Double targetValue,
      @JsonPropertyDescription("Seconds after a scale-out before the next one, 0 to 86400.")
          @Min(0)
          @Max(86400)
          @Default(Defaults.COOLDOWN_SECONDS_TEXT)
          Integer scaleOutCooldownSeconds,
      @JsonPropertyDescription("Seconds after a scale-in before the next one, 0 to 86400.")
          @Min(0)
          @Max(86400)
          @Default(Defaults.COOLDOWN_SECONDS_TEXT)
          Integer scaleInCooldownSeconds,
      @JsonPropertyDescription("Only scale out; never remove capacity for this metric.")
          @Default("false")
          Boolean disableScaleIn) {}

  /**
   * The table of metrics target tracking knows by name: one row per metric, saying what it can
   * scale, what it compiles to on SageMaker and whether backend local measures it. The CRD's CEL
   * rule on {@code spec.targetTracking[].metric} is generated from this table, the SageMaker recipe
   * compiler reads its SageMaker column, and the local metric sources publish under its names; a
   * new metric is a row here and, to work on backend local, a source there.
   */
  public enum TrackedMetric {
    ConcurrentRequestsPerCopy(
        TargetKind.InferenceComponent,
        "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
        null,
        true),
    InvocationsPerCopy(
        TargetKind.InferenceComponent, "SageMakerInferenceComponentInvocationsPerCopy", null, true),
    ConcurrentRequestsPerModel(
        TargetKind.InferenceEndpoint,
        "SageMakerVariantConcurrentRequestsPerModelHighResolution",
        null,
        false),
    InvocationsPerInstance(
        TargetKind.InferenceEndpoint, "SageMakerVariantInvocationsPerInstance", null, false),
    /** An asynchronous endpoint's backlog: a customized metric, per endpoint. */
    BacklogPerInstance(
        TargetKind.InferenceEndpoint, null, "ApproximateBacklogSizePerInstance", false),
    /** Any metric, given in {@code custom}; backend local resolves it by its namespace. */
    Custom(null, null, null, true);

    private final TargetKind target;
    private final String predefinedMetricType;
    private final String backlogMetricName;
    private final boolean measuredLocally;

    TrackedMetric(
        TargetKind target,
        String predefinedMetricType,
        String backlogMetricName,
        boolean measuredLocally) {
      this.target = target;
      this.predefinedMetricType = predefinedMetricType;
      this.backlogMetricName = backlogMetricName;
      this.measuredLocally = measuredLocally;
    }

    /** Whether this metric can scale a target of {@code kind}. */
    public boolean scales(TargetKind kind) {
      return target == null || target == kind;
    }

    /** Application Auto Scaling's predefined metric type, if it is one. */
    public java.util.Optional<String> predefinedMetricType() {
      return java.util.Optional.ofNullable(predefinedMetricType);
    }

    /**
     * The AWS/SageMaker metric (dimension EndpointName) a customized specification tracks, for a
     * metric that is not predefined.
     */
    public java.util.Optional<String> endpointMetricName() {
      return java.util.Optional.ofNullable(backlogMetricName);
    }

    /**
     * Whether backend local measures it: the gateway publishes the per-copy metrics under their
     * names; Custom metrics are resolved by their namespace.
     */
    public boolean measuredLocally() {
      return measuredLocally;
    }

    /** The metrics that can scale a target of {@code kind}, in table order. */
    public static List<TrackedMetric> allowedFor(TargetKind kind) {
      return java.util.Arrays.stream(values()).filter(m -> m.scales(kind)).toList();
    }
  }

  /** Scale out from zero on demand. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScaleFromZero(
      @JsonPropertyDescription("Copies (or instances) added when demand arrives at zero, >= 1.")
          @Min(1)
          @Default(Defaults.SCALE_FROM_ZERO_ADJUSTMENT_TEXT)
          Integer adjustment,
      @JsonPropertyDescription("Seconds before another wake step, 0 to 86400.")
          @Min(0)
          @Max(86400)
          @Default(Defaults.SCALE_FROM_ZERO_COOLDOWN_SECONDS_TEXT)
          Integer cooldownSeconds) {}

  /** A step scaling policy and the alarm that fires it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.minAdjustmentMagnitude) || (has(self.adjustmentType) &&"
              + " self.adjustmentType == 'PercentChangeInCapacity')",
      message =
          "spec.stepScaling[].minAdjustmentMagnitude is only allowed with adjustmentType"
              + " PercentChangeInCapacity",
      fieldPath = ".minAdjustmentMagnitude")
  @ValidationRule(
      value =
          "!has(self.adjustmentType) || self.adjustmentType != 'ExactCapacity'"
              + " || self.steps.all(s, s.adjustment >= 0)",
      message =
          "spec.stepScaling[].steps[].adjustment must be >= 0 with adjustmentType ExactCapacity",
      fieldPath = ".steps")
  public record StepScaling(
      @JsonPropertyDescription("Name of this policy, unique in the ScalingPolicy.")
          @Required
          @Size(min = 1, max = 63)
          @Pattern("^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
          String name,
      @JsonPropertyDescription("The alarm that fires this policy.") @Required Alarm alarm,
      @JsonPropertyDescription(
              "How steps change capacity: ChangeInCapacity (add/remove), ExactCapacity (set),"
                  + " PercentChangeInCapacity.")
          @Default(Defaults.ADJUSTMENT_TYPE)
          AdjustmentType adjustmentType,
      @JsonPropertyDescription(
              "Smallest change for PercentChangeInCapacity, >= 1 (Application Auto Scaling's"
                  + " MinAdjustmentMagnitude).")
          @Min(1)
          Integer minAdjustmentMagnitude,
      @JsonPropertyDescription(
              "Steps, relative to the alarm threshold: [lower, upper) -> adjustment. At most"
                  + " one step may omit lower, at most one may omit upper (1 to 20 steps).")
          @Required
          @Size(min = 1, max = 20)
          @ValidationRule(
              value =
                  "self.filter(s, !has(s.lower)).size() <= 1 && self.filter(s, !has(s.upper)).size() <= 1",
              message =
                  "spec.stepScaling[].steps: at most one step may omit lower and at most one may"
                      + " omit upper")
          List<Step> steps,
      @JsonPropertyDescription("Seconds after this policy acts before it acts again, 0 to 86400.")
          @Min(0)
          @Max(86400)
          @Default(Defaults.COOLDOWN_SECONDS_TEXT)
          Integer cooldownSeconds,
      @JsonPropertyDescription(
              "How the metric's datapoints within a period are aggregated: Average, Minimum or"
                  + " Maximum.")
          @Default(Defaults.METRIC_AGGREGATION)
          MetricAggregation metricAggregationType) {}

  /** Step scaling adjustment types. */
  public enum AdjustmentType {
    ChangeInCapacity,
    ExactCapacity,
    PercentChangeInCapacity
  }

  /** Step scaling metric aggregation. */
  public enum MetricAggregation {
    Average,
    Minimum,
    Maximum
  }

  /** One step: bounds relative to the alarm threshold and the capacity change. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.lower) || !has(self.upper) || self.lower < self.upper",
      message = "spec.stepScaling[].steps[].lower must be less than upper")
  public record Step(
      @JsonPropertyDescription("Lower bound (inclusive) of the metric minus the threshold.")
          Double lower,
      @JsonPropertyDescription("Upper bound (exclusive) of the metric minus the threshold.")
          Double upper,
      @JsonPropertyDescription("Capacity change (or exact capacity, or percent).") @Required
          Integer adjustment) {}

  /** A CloudWatch alarm (locally: the same condition evaluated by Ebb's engine). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "(has(self.datapointsToAlarm) ? self.datapointsToAlarm : "
              + Defaults.DATAPOINTS_TO_ALARM_TEXT
              + ") <= (has(self.evaluationPeriods) ? self.evaluationPeriods : "
              + Defaults.EVALUATION_PERIODS_TEXT
              + ")",
      message =
          "spec.stepScaling[].alarm.datapointsToAlarm must be less than or equal to"
              + " evaluationPeriods",
      fieldPath = ".datapointsToAlarm")
  @ValidationRule(
      value =
          "(has(self.periodSeconds) ? self.periodSeconds : "
              + Defaults.PERIOD_SECONDS_TEXT
              + ") * (has(self.evaluationPeriods) ? self.evaluationPeriods : "
              + Defaults.EVALUATION_PERIODS_TEXT
              + ") <= 86400",
      message =
          "spec.stepScaling[].alarm: periodSeconds x evaluationPeriods must not exceed one day"
              + " (86400 s)",
      fieldPath = ".evaluationPeriods")
  public record Alarm(
      @JsonPropertyDescription("The metric and statistic the alarm watches.") @Required
          MetricRef metric,
      @JsonPropertyDescription("Threshold the statistic is compared with.") @Required
          Double threshold,
      @JsonPropertyDescription(
              "GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or"
                  + " LessThanOrEqualToThreshold.")
          @Default(Defaults.COMPARISON)
          Comparison comparison,
      @JsonPropertyDescription("Seconds per datapoint: 10, 20, 30 or a multiple of 60.")
          @Min(10)
          @Max(86400)
          @Default(Defaults.PERIOD_SECONDS_TEXT)
          @ValidationRule(
              value = "self in [10, 20, 30] || self % 60 == 0",
              message =
                  "spec.stepScaling[].alarm.periodSeconds must be 10, 20, 30 or a multiple of 60")
          Integer periodSeconds,
      @JsonPropertyDescription("How many recent periods are evaluated, >= 1.")
          @Min(1)
          @Max(8640)
          @Default(Defaults.EVALUATION_PERIODS_TEXT)
          Integer evaluationPeriods,
      @JsonPropertyDescription(
              "How many of those periods must breach to alarm, 1 to evaluationPeriods.")
          @Min(1)
          @Max(8640)
          @Default(Defaults.DATAPOINTS_TO_ALARM_TEXT)
          Integer datapointsToAlarm,
      @JsonPropertyDescription(
              "How missing data is treated: missing, notBreaching, breaching, ignore.")
          @Default(Defaults.TREAT_MISSING_DATA)
          @Pattern("^(missing|notBreaching|breaching|ignore)$")
          String treatMissingData) {}

  /** Alarm comparison operators. */
  public enum Comparison {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold
  }

  /** A scheduled action. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "[has(self.cron), has(self.rate), has(self.at)].filter(x, x).size() == 1",
      message = "spec.schedule[]: exactly one of cron, rate or at must be set")
  @ValidationRule(
      value = "has(self.minCapacity) || has(self.maxCapacity)",
      message = "spec.schedule[]: at least one of minCapacity or maxCapacity must be set")
  @ValidationRule(
      value =
          "!has(self.minCapacity) || !has(self.maxCapacity) || self.minCapacity <="
              + " self.maxCapacity",
      message = "spec.schedule[].minCapacity must be less than or equal to maxCapacity",
      fieldPath = ".minCapacity")
  @ValidationRule(
      value = "!has(self.start) || !has(self.end) || timestamp(self.start) < timestamp(self.end)",
      message = "spec.schedule[].start must be before end",
      fieldPath = ".start")
  @ValidationRule(
      value =
          "!has(self.cron) || size(self.cron.split(' ')) != 6 || (self.cron.split(' ')[2] =="
              + " '?') != (self.cron.split(' ')[4] == '?')",
      message =
          "spec.schedule[].cron: exactly one of day-of-month or day-of-week must be '?' (AWS"
              + " cron syntax)",
      fieldPath = ".cron")
  public record ScheduledAction(
      @JsonPropertyDescription("Name of the action, unique in the ScalingPolicy.")
          @Required
          @Size(min = 1, max = 63)
          @Pattern("^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
          String name,
      @JsonPropertyDescription(
              "AWS cron expression, six fields: minutes hours day-of-month month day-of-week"
                  + " year, e.g. '0 18 ? * FRI *' (one of the day fields must be '?').")
          @Size(max = 256)
          @Pattern(Validation.CRON)
          String cron,
      @JsonPropertyDescription("A rate such as '1 hour' or '30 minutes'.")
          @Size(max = 64)
          @Pattern(Validation.RATE)
          String rate,
      @JsonPropertyDescription(
              "A one-time action at this local date-time in timeZone, e.g. 2026-12-24T18:00:00.")
          @Pattern(Validation.AT)
          String at,
      @JsonPropertyDescription("IANA time zone the expression is read in, e.g. Europe/Paris.")
          @Default(Defaults.TIME_ZONE)
          @Size(max = 64)
          @Pattern(Validation.TIME_ZONE_FORM)
          @ValidationRule(
              value = "timestamp('2000-01-01T00:00:00Z').getHours(self) >= 0",
              message = "spec.schedule[].timeZone must be an IANA time zone such as Europe/Paris")
          String timeZone,
      @JsonPropertyDescription("minCapacity from this action on.") @Min(0) Integer minCapacity,
      @JsonPropertyDescription("maxCapacity from this action on.") @Min(0) Integer maxCapacity,
      @JsonPropertyDescription("The action is not run before this time (RFC 3339).")
          @Pattern(Validation.RFC3339)
          String start,
      @JsonPropertyDescription("The action is not run after this time (RFC 3339).")
          @Pattern(Validation.RFC3339)
          String end) {}

  /** Idle behaviour on backend local. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Idle(
      @JsonPropertyDescription(
              "Seconds with no requests before the last copy is removed (when minCapacity is"
                  + " 0), 60 to 86400. Matches SageMaker's 15-minute scale-in alarm by default.")
          @Min(60)
          @Max(86400)
          @Default(Defaults.IDLE_SECONDS_TEXT)
          Integer scaleToZeroAfterSeconds) {}
}
