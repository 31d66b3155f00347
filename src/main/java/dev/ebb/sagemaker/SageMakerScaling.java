package dev.ebb.sagemaker;

import dev.ebb.sagemaker.ScalingRecipes.Desired;
import dev.ebb.sagemaker.ScalingRecipes.DesiredAction;
import dev.ebb.sagemaker.ScalingRecipes.DesiredAlarm;
import dev.ebb.sagemaker.ScalingRecipes.DesiredPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * The Application Auto Scaling and CloudWatch calls behind a ScalingPolicy on SageMaker. One pass
 * reads what exists (target, policies, scheduled actions, alarms), then puts whatever differs from
 * the recipe and deletes what Ebb made that the recipe no longer has. Every write is an idempotent
 * upsert or delete by a deterministic name, so a crash between any two calls is repaired by the
 * next pass. Nothing here waits: these APIs are synchronous.
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
   * Converges AWS to {@code desired}.
   *
   * @param applyBounds whether to (re)register the target's min/max when it is already registered:
   *     only after a spec change, because scheduled actions move the bounds between edits
   */
  public Outcome converge(Desired desired, String alarmBase, boolean applyBounds) {
    String resourceId = desired.target().resourceId();
    ScalableDimension dimension = desired.target().dimension();
    List<String> changes = new ArrayList<>();
    Observed observed = Observed.empty(resourceId);
    try {
      observed = observe(resourceId, dimension, alarmBase);
      Optional<Bounds> bounds = observed.bounds();
      Bounds wanted = new Bounds(desired.minCapacity(), desired.maxCapacity());
      if (bounds.isEmpty() || (applyBounds && !bounds.get().equals(wanted))) {
        register(resourceId, dimension, wanted);
        changes.add("RegisterScalableTarget " + resourceId);
        bounds = Optional.of(wanted);
      }
      Map<String, String> arns = new LinkedHashMap<>();
      List<String> trackingAlarms = new ArrayList<>();
      for (DesiredPolicy policy : desired.policies()) {
        ScalingPolicy existing = observed.policies().get(policy.name());
        if (existing != null && same(policy, existing)) {
          arns.put(policy.name(), existing.policyARN());
          existing.alarms().forEach(a -> trackingAlarms.add(a.alarmName()));
          continue;
        }
        var put = putPolicy(resourceId, dimension, policy);
        changes.add("PutScalingPolicy " + policy.name());
        arns.put(policy.name(), put.policyARN());
        put.alarms().forEach(a -> trackingAlarms.add(a.alarmName()));
      }
      for (DesiredAlarm alarm : desired.alarms()) {
        String arn = arns.get(alarm.policyName());
        MetricAlarm existing = observed.alarms().get(alarm.name());
        if (existing == null || !same(alarm, arn, existing)) {
          putAlarm(alarm, arn);
          changes.add("PutMetricAlarm " + alarm.name());
        }
      }
      for (DesiredAction action : desired.actions()) {
        ScheduledAction existing = observed.actions().get(action.name());
        if (existing == null || !same(action, existing)) {
          putAction(resourceId, dimension, action);
          changes.add("PutScheduledAction " + action.name());
        }
      }
      // What Ebb made and the recipe no longer has: alarms before the policies they fire.
      Set<String> alarmNames = names(desired.alarms(), DesiredAlarm::name);
      List<String> staleAlarms =
          observed.alarms().keySet().stream().filter(n -> !alarmNames.contains(n)).toList();
      if (!staleAlarms.isEmpty()) {
        deleteAlarms(staleAlarms);
        changes.add("DeleteAlarms " + staleAlarms);
      }
      Set<String> policyNames = names(desired.policies(), DesiredPolicy::name);
      for (String stale : observed.policies().keySet()) {
        if (!policyNames.contains(stale)) {
          deletePolicy(resourceId, dimension, stale);
          changes.add("DeleteScalingPolicy " + stale);
        }
      }
      Set<String> actionNames = names(desired.actions(), DesiredAction::name);
      for (String stale : observed.actions().keySet()) {
        if (!actionNames.contains(stale)) {
          deleteAction(resourceId, dimension, stale);
          changes.add("DeleteScheduledAction " + stale);
        }
      }
      List<String> reported = new ArrayList<>(alarmNames);
      reported.addAll(trackingAlarms);
      return new Outcome(
          new Applied(resourceId, bounds, arns, alarmStates(reported), List.copyOf(actionNames)),
          changes,
          Optional.empty());
    } catch (AwsCallException e) {
      return new Outcome(observed.applied(), changes, Optional.of(e.failure()));
    }
  }

  /**
   * Removes everything Ebb made for a policy: its alarms, then its scaling policies and scheduled
   * actions, then the scalable target. Needs only names, so it works after the target is gone.
   */
  public Outcome teardown(ScalingRecipes.Target target, String alarmBase) {
    String resourceId = target.resourceId();
    ScalableDimension dimension = target.dimension();
    List<String> changes = new ArrayList<>();
    Observed observed = Observed.empty(resourceId);
    try {
      observed = observe(resourceId, dimension, alarmBase);
      if (!observed.alarms().isEmpty()) {
        deleteAlarms(List.copyOf(observed.alarms().keySet()));
        changes.add("DeleteAlarms " + observed.alarms().keySet());
      }
      for (String policy : observed.policies().keySet()) {
        deletePolicy(resourceId, dimension, policy);
        changes.add("DeleteScalingPolicy " + policy);
      }
      for (String action : observed.actions().keySet()) {
        deleteAction(resourceId, dimension, action);
        changes.add("DeleteScheduledAction " + action);
      }
      if (observed.bounds().isPresent()) {
        Calls.call(
            "DeregisterScalableTarget",
            () ->
                autoScaling
                    .get()
                    .deregisterScalableTarget(
                        r ->
                            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                                .resourceId(resourceId)
                                .scalableDimension(dimension)));
        changes.add("DeregisterScalableTarget " + resourceId);
      }
      return new Outcome(
          new Applied(resourceId, Optional.empty(), Map.of(), List.of(), List.of()),
          changes,
          Optional.empty());
    } catch (AwsCallException e) {
      return new Outcome(observed.applied(), changes, Optional.of(e.failure()));
    }
  }

  // --- reads -------------------------------------------------------------------------------

  /** What exists now; policies, actions and alarms only Ebb's (by name prefix). */
  private record Observed(
      String resourceId,
      Optional<Bounds> bounds,
      Map<String, ScalingPolicy> policies,
      Map<String, ScheduledAction> actions,
      Map<String, MetricAlarm> alarms) {

    static Observed empty(String resourceId) {
      return new Observed(resourceId, Optional.empty(), Map.of(), Map.of(), Map.of());
    }

    Applied applied() {
      return new Applied(
          resourceId,
          bounds,
          policies.values().stream()
              .collect(
                  Collectors.toMap(
                      ScalingPolicy::policyName,
                      ScalingPolicy::policyARN,
                      (a, b) -> a,
                      TreeMap::new)),
          alarms.values().stream()
              .map(a -> new AlarmState(a.alarmName(), a.stateValueAsString()))
              .toList(),
          List.copyOf(actions.keySet()));
    }
  }

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
    return new Observed(resourceId, bounds, policies, actions, alarms);
  }

  private List<AlarmState> alarmStates(List<String> names) {
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

  private static Bounds bounds(ScalableTarget target) {
    return new Bounds(target.minCapacity(), target.maxCapacity());
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    Map<String, T> out = new TreeMap<>();
    items.forEach(i -> out.put(name.apply(i), i));
    return out;
  }

  private static <T> Set<String> names(List<T> items, Function<T, String> name) {
    return items.stream().map(name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  // --- comparisons -------------------------------------------------------------------------

  private static boolean same(DesiredPolicy desired, ScalingPolicy existing) {
    return desired.type() == existing.policyType()
        && Objects.equals(
            desired.targetTracking(), existing.targetTrackingScalingPolicyConfiguration())
        && Objects.equals(desired.stepScaling(), existing.stepScalingPolicyConfiguration());
  }

  private static boolean same(DesiredAlarm desired, String policyArn, MetricAlarm existing) {
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
        && desired.treatMissingData().equals(existing.treatMissingData())
        && List.of(policyArn).equals(existing.alarmActions());
  }

  private static boolean same(DesiredAction desired, ScheduledAction existing) {
    return desired.schedule().equals(existing.schedule())
        && Objects.equals(desired.timeZone(), existing.timezone())
        && Objects.equals(desired.start(), existing.startTime())
        && Objects.equals(desired.end(), existing.endTime())
        && Objects.equals(desired.action(), existing.scalableTargetAction());
  }

  // --- writes ------------------------------------------------------------------------------

  private void register(String resourceId, ScalableDimension dimension, Bounds bounds) {
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

  private record PutPolicyResult(String policyARN, List<Alarm> alarms) {}

  private PutPolicyResult putPolicy(
      String resourceId, ScalableDimension dimension, DesiredPolicy policy) {
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
    return new PutPolicyResult(response.policyARN(), response.alarms());
  }

  private void putAlarm(DesiredAlarm alarm, String policyArn) {
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

  private void putAction(String resourceId, ScalableDimension dimension, DesiredAction action) {
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

  private void deleteAlarms(List<String> names) {
    Calls.call("DeleteAlarms", () -> cloudWatch.get().deleteAlarms(r -> r.alarmNames(names)));
  }

  private void deletePolicy(String resourceId, ScalableDimension dimension, String name) {
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

  private void deleteAction(String resourceId, ScalableDimension dimension, String name) {
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
}
