package dev.ebb.sagemaker;

import dev.ebb.sagemaker.ScalingRecipes.Desired;
import dev.ebb.sagemaker.ScalingRecipes.DesiredAction;
import dev.ebb.sagemaker.ScalingRecipes.DesiredAlarm;
import dev.ebb.sagemaker.ScalingRecipes.DesiredPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.Alarm;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * The Application Auto Scaling and CloudWatch calls behind a ScalingPolicy on SageMaker: one read
 * of what exists, compared with the recipe ({@link #find}), and one method per write. The policy
 * reconciler's plan decides which write comes next. Every write is an idempotent upsert or delete
 * by a deterministic name, so a crash between any two calls is repaired by the next pass. Nothing
 * here waits: these APIs are synchronous.
 */
public final class SageMakerScaling {
  private final Supplier<ApplicationAutoScalingClient> autoScaling;
  private final Supplier<CloudWatchClient> cloudWatch;

  public SageMakerScaling(
      Supplier<ApplicationAutoScalingClient> autoScaling, Supplier<CloudWatchClient> cloudWatch) {
    this.autoScaling = autoScaling;
    this.cloudWatch = cloudWatch;
  }

  /** One alarm and its CloudWatch state. */
  public record AlarmState(String name, String state) {}

  /** What exists in AWS for one policy after a pass. */
  public record Applied(
      String resourceId,
      Optional<Bounds> bounds,
      Map<String, String> policyArns,
      List<AlarmState> alarms,
      List<String> scheduledActions) {

    public boolean isEmpty() {
      return bounds.isEmpty()
          && policyArns.isEmpty()
          && alarms.isEmpty()
          && scheduledActions.isEmpty();
    }
  }

  /** The registered target's bounds, as Application Auto Scaling holds them now. */
  public record Bounds(int min, int max) {}

  /**
   * What a pass did.
   *
   * @param applied what exists after the pass (as far as it got)
   * @param changes the writes made, in order (operation and name)
   * @param failure the AWS failure that ended the pass early
   */
  public record Outcome(Applied applied, List<String> changes, Optional<AwsFailure> failure) {
    /** A pass that found nothing and did nothing. */
    public static Outcome nothing() {
      return new Outcome(
          new Applied(null, Optional.empty(), Map.of(), List.of(), List.of()),
          List.of(),
          Optional.empty());
    }

    /** A pass that failed before its first call (for example, no region is known). */
    public static Outcome failedBeforeStart(AwsFailure failure) {
      return new Outcome(nothing().applied(), List.of(), Optional.of(failure));
    }
  }

  /**
   * What exists for one scalable target, compared with a recipe: only what Ebb made (names with its
   * prefix, alarms under the policy's alarm base). {@code bounds} empty: not registered.
   */
  public record Found(
      Optional<Bounds> bounds,
      Map<String, Policy> policies,
      Map<String, Alarm> alarms,
      Map<String, Boolean> actions) {

    /**
     * A scaling policy: its ARN, whether its configuration is the recipe's, and the alarms
     * Application Auto Scaling made for it (target tracking).
     */
    public record Policy(String arn, boolean matches, List<String> alarms) {}

    /** An alarm: whether its definition is the recipe's, the actions it fires, its state. */
    public record Alarm(boolean matches, List<String> actions, String state) {}

    public static Found nothing() {
      return new Found(Optional.empty(), Map.of(), Map.of(), Map.of());
    }

    /** What exists, as the policy's status reports it. */
    public Applied applied(String resourceId, List<AlarmState> alarmStates) {
      Map<String, String> arns = new TreeMap<>();
      policies.forEach((name, p) -> arns.put(name, p.arn()));
      return new Applied(resourceId, bounds, arns, alarmStates, List.copyOf(actions.keySet()));
    }

    /** The states of the alarms found, as read with them. */
    public List<AlarmState> alarmStates() {
      return alarms.entrySet().stream()
          .map(e -> new AlarmState(e.getKey(), e.getValue().state()))
          .toList();
    }
  }

  /**
   * Reads what exists for {@code target} and compares it with {@code recipe} (null for a teardown,
   * where only names matter).
   */
  public Found find(ScalingRecipes.Target target, String alarmBase, Desired recipe) {
    Observed observed = observe(target.resourceId(), target.dimension(), alarmBase);
    Map<String, DesiredPolicy> policies =
        recipe == null ? Map.of() : byName(recipe.policies(), DesiredPolicy::name);
    Map<String, DesiredAlarm> alarms =
        recipe == null ? Map.of() : byName(recipe.alarms(), DesiredAlarm::name);
    Map<String, DesiredAction> actions =
        recipe == null ? Map.of() : byName(recipe.actions(), DesiredAction::name);
    Map<String, Found.Policy> foundPolicies = new TreeMap<>();
    observed
        .policies()
        .forEach(
            (name, p) ->
                foundPolicies.put(
                    name,
                    new Found.Policy(
                        p.policyARN(),
                        policies.containsKey(name) && same(policies.get(name), p),
                        p.alarms().stream().map(Alarm::alarmName).toList())));
    Map<String, Found.Alarm> foundAlarms = new TreeMap<>();
    observed
        .alarms()
        .forEach(
            (name, a) ->
                foundAlarms.put(
                    name,
                    new Found.Alarm(
                        alarms.containsKey(name) && same(alarms.get(name), a),
                        List.copyOf(a.alarmActions()),
                        a.stateValueAsString())));
    Map<String, Boolean> foundActions = new TreeMap<>();
    observed
        .actions()
        .forEach(
            (name, a) ->
                foundActions.put(name, actions.containsKey(name) && same(actions.get(name), a)));
    return new Found(observed.bounds(), foundPolicies, foundAlarms, foundActions);
  }

  /** The states of {@code names}, as CloudWatch reports them now. */
  public List<AlarmState> alarmStates(List<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    Map<String, String> states =
        Calls.call(
            "DescribeAlarms",
            () ->
                cloudWatch
                    .get()
                    .describeAlarmsPaginator(r -> r.alarmNames(names))
                    .metricAlarms()
                    .stream()
                    .collect(
                        Collectors.toMap(
                            MetricAlarm::alarmName, MetricAlarm::stateValueAsString, (a, b) -> a)));
    return names.stream()
        .filter(states::containsKey)
        .map(n -> new AlarmState(n, states.get(n)))
        .toList();
  }

  // --- reads -------------------------------------------------------------------------------

  private record Observed(
      Optional<Bounds> bounds,
      Map<String, ScalingPolicy> policies,
      Map<String, ScheduledAction> actions,
      Map<String, MetricAlarm> alarms) {}

  private Observed observe(String resourceId, ScalableDimension dimension, String alarmBase) {
    Optional<Bounds> bounds =
        Calls.call(
            "DescribeScalableTargets",
            () ->
                autoScaling
                    .get()
                    .describeScalableTargetsPaginator(
                        r ->
                            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                                .resourceIds(resourceId)
                                .scalableDimension(dimension))
                    .scalableTargets()
                    .stream()
                    .filter(t -> resourceId.equals(t.resourceId()))
                    .findFirst()
                    .map(SageMakerScaling::bounds));
    Map<String, ScalingPolicy> policies =
        Calls.call(
            "DescribeScalingPolicies",
            () ->
                byName(
                    autoScaling
                        .get()
                        .describeScalingPoliciesPaginator(
                            r ->
                                r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                                    .resourceId(resourceId)
                                    .scalableDimension(dimension))
                        .scalingPolicies()
                        .stream()
                        .filter(p -> p.policyName().startsWith(ScalingRecipes.PREFIX))
                        .toList(),
                    ScalingPolicy::policyName));
    Map<String, ScheduledAction> actions =
        Calls.call(
            "DescribeScheduledActions",
            () ->
                byName(
                    autoScaling
                        .get()
                        .describeScheduledActionsPaginator(
                            r ->
                                r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                                    .resourceId(resourceId)
                                    .scalableDimension(dimension))
                        .scheduledActions()
                        .stream()
                        .filter(a -> a.scheduledActionName().startsWith(ScalingRecipes.PREFIX))
                        .toList(),
                    ScheduledAction::scheduledActionName));
    Map<String, MetricAlarm> alarms =
        Calls.call(
            "DescribeAlarms",
            () ->
                byName(
                    cloudWatch
                        .get()
                        .describeAlarmsPaginator(r -> r.alarmNamePrefix(alarmBase + "-"))
                        .metricAlarms()
                        .stream()
                        .toList(),
                    MetricAlarm::alarmName));
    return new Observed(bounds, policies, actions, alarms);
  }

  private static Bounds bounds(ScalableTarget target) {
    return new Bounds(target.minCapacity(), target.maxCapacity());
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    Map<String, T> out = new TreeMap<>();
    items.forEach(i -> out.put(name.apply(i), i));
    return out;
  }

  // --- comparisons -------------------------------------------------------------------------

  private static boolean same(DesiredPolicy desired, ScalingPolicy existing) {
    return desired.type() == existing.policyType()
        && Objects.equals(
            desired.targetTracking(), existing.targetTrackingScalingPolicyConfiguration())
        && Objects.equals(desired.stepScaling(), existing.stepScalingPolicyConfiguration());
  }

  /** The alarm's definition; the policy it fires is the plan's to compare (its ARN may change). */
  private static boolean same(DesiredAlarm desired, MetricAlarm existing) {
    Map<String, String> dimensions = new TreeMap<>();
    existing.dimensions().forEach(d -> dimensions.put(d.name(), d.value()));
    return desired.namespace().equals(existing.namespace())
        && desired.metricName().equals(existing.metricName())
        && desired.dimensions().equals(dimensions)
        && desired.statistic().equals(existing.statisticAsString())
        && Objects.equals(desired.periodSeconds(), existing.period())
        && Objects.equals(desired.evaluationPeriods(), existing.evaluationPeriods())
        && Objects.equals(desired.datapointsToAlarm(), existing.datapointsToAlarm())
        && Objects.equals(desired.threshold(), existing.threshold())
        && desired.comparison().equals(existing.comparisonOperatorAsString())
        && desired.treatMissingData().equals(existing.treatMissingData());
  }

  private static boolean same(DesiredAction desired, ScheduledAction existing) {
    return desired.schedule().equals(existing.schedule())
        && Objects.equals(desired.timeZone(), existing.timezone())
        && Objects.equals(desired.start(), existing.startTime())
        && Objects.equals(desired.end(), existing.endTime())
        && Objects.equals(desired.action(), existing.scalableTargetAction());
  }

  // --- writes ------------------------------------------------------------------------------

  public void register(ScalingRecipes.Target target, Bounds bounds) {
    String resourceId = target.resourceId();
    ScalableDimension dimension = target.dimension();
    Calls.call(
        "RegisterScalableTarget",
        () ->
            autoScaling
                .get()
                .registerScalableTarget(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(resourceId)
                            .scalableDimension(dimension)
                            .minCapacity(bounds.min())
                            .maxCapacity(bounds.max())));
  }

  /** Puts {@code policy}; what exists afterwards (its ARN, the alarms AWS made for it). */
  public Found.Policy putPolicy(ScalingRecipes.Target target, DesiredPolicy policy) {
    String resourceId = target.resourceId();
    ScalableDimension dimension = target.dimension();
    var response =
        Calls.call(
            "PutScalingPolicy",
            () ->
                autoScaling
                    .get()
                    .putScalingPolicy(
                        r ->
                            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                                .resourceId(resourceId)
                                .scalableDimension(dimension)
                                .policyName(policy.name())
                                .policyType(policy.type())
                                .targetTrackingScalingPolicyConfiguration(policy.targetTracking())
                                .stepScalingPolicyConfiguration(policy.stepScaling())));
    return new Found.Policy(
        response.policyARN(), true, response.alarms().stream().map(Alarm::alarmName).toList());
  }

  public void putAlarm(DesiredAlarm alarm, String policyArn) {
    Calls.call(
        "PutMetricAlarm",
        () ->
            cloudWatch
                .get()
                .putMetricAlarm(
                    r ->
                        r.alarmName(alarm.name())
                            .alarmDescription(
                                "Fires the Application Auto Scaling policy "
                                    + alarm.policyName()
                                    + " (managed by Ebb).")
                            .namespace(alarm.namespace())
                            .metricName(alarm.metricName())
                            .dimensions(
                                alarm.dimensions().entrySet().stream()
                                    .map(
                                        e ->
                                            Dimension.builder()
                                                .name(e.getKey())
                                                .value(e.getValue())
                                                .build())
                                    .toList())
                            .statistic(alarm.statistic())
                            .period(alarm.periodSeconds())
                            .evaluationPeriods(alarm.evaluationPeriods())
                            .datapointsToAlarm(alarm.datapointsToAlarm())
                            .threshold(alarm.threshold())
                            .comparisonOperator(alarm.comparison())
                            .treatMissingData(alarm.treatMissingData())
                            .alarmActions(policyArn)));
  }

  public void putAction(ScalingRecipes.Target target, DesiredAction action) {
    String resourceId = target.resourceId();
    ScalableDimension dimension = target.dimension();
    Calls.call(
        "PutScheduledAction",
        () ->
            autoScaling
                .get()
                .putScheduledAction(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(resourceId)
                            .scalableDimension(dimension)
                            .scheduledActionName(action.name())
                            .schedule(action.schedule())
                            .timezone(action.timeZone())
                            .startTime(action.start())
                            .endTime(action.end())
                            .scalableTargetAction(action.action())));
  }

  public void deleteAlarms(List<String> names) {
    Calls.call("DeleteAlarms", () -> cloudWatch.get().deleteAlarms(r -> r.alarmNames(names)));
  }

  public void deletePolicy(ScalingRecipes.Target target, String name) {
    String resourceId = target.resourceId();
    ScalableDimension dimension = target.dimension();
    Calls.call(
        "DeleteScalingPolicy",
        () ->
            autoScaling
                .get()
                .deleteScalingPolicy(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(resourceId)
                            .scalableDimension(dimension)
                            .policyName(name)));
  }

  public void deleteAction(ScalingRecipes.Target target, String name) {
    String resourceId = target.resourceId();
    ScalableDimension dimension = target.dimension();
    Calls.call(
        "DeleteScheduledAction",
        () ->
            autoScaling
                .get()
                .deleteScheduledAction(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(resourceId)
                            .scalableDimension(dimension)
                            .scheduledActionName(name)));
  }

  public void deregister(ScalingRecipes.Target target) {
    Calls.call(
        "DeregisterScalableTarget",
        () ->
            autoScaling
                .get()
                .deregisterScalableTarget(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(target.resourceId())
                            .scalableDimension(target.dimension())));
  }
}
