package dev.ebb.reconciler.policy;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Variant;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetRef;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.AlarmStatus;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.GeneratedAwsObjects;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.ScalingActivity;
import dev.ebb.local.LocalAutoscaler;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import dev.ebb.sagemaker.SageMakerScaling;
import dev.ebb.scaling.Bounds;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** The one place a ScalingPolicy's status is built: a pure function of what was observed. */
public final class PolicyStatus {
  private PolicyStatus() {}

  /** Capacity of the target as Ebb last read it from AWS (copies or instances). */
  public record Capacity(Integer current, Integer desired) {
    public static final Capacity UNKNOWN = new Capacity(null, null);
  }

  /**
   * Backend local: the policy engine evaluates the policy on the component's Deployment.
   *
   * @param view what the autoscaling loop knows: bounds in force, last activity, whether the
   *     Deployment exists yet
   */
  public static ScalingPolicyStatus local(
      ScalingPolicy policy, LocalAutoscaler.View view, Capacity capacity, Instant now) {
    var conditions = Conditions.of(policy, now);
    String component = policy.getSpec().targetRef().name();
    Bounds bounds = view.persisted().bounds();
    if (!view.targetFound()) {
      String message =
          "InferenceComponent "
              + component
              + " has no Deployment yet; the policy engine starts scaling it once it does.";
      conditions
          .set(Condition.READY, false, Reasons.TARGET_NOT_READY, message)
          .set(Condition.RECONCILING, true, Reasons.TARGET_NOT_READY, message);
    } else {
      conditions.set(
          Condition.READY,
          true,
          Reasons.APPLIED,
          "Ebb's policy engine scales InferenceComponent "
              + component
              + " between "
              + bounds.min()
              + " and "
              + bounds.max()
              + " copies"
              + (bounds.equals(
                      new Bounds(policy.getSpec().minCapacity(), policy.getSpec().maxCapacity()))
                  ? "."
                  : " (set by a scheduled action).")
              + " It evaluates every few seconds, and at once on demand at zero copies.");
    }
    var persisted = view.persisted();
    var engine =
        new ScalingPolicyStatus.EngineStatus(
            bounds.min(),
            bounds.max(),
            persisted.boundsEvaluatedAt().toString(),
            persisted.lastScaleOut().map(Instant::toString).orElse(null),
            persisted.lastScaleIn().map(Instant::toString).orElse(null));
    ScalingActivity activity =
        view.lastActivity()
            .map(
                a ->
                    new ScalingActivity(
                        a.time().toString(), a.from(), a.to(), a.cause(), a.trigger().name()))
            .orElse(lastActivity(policy));
    return build(policy, conditions, capacity, activity, null, engine, null);
  }

  /** The engine state kept in a policy's status, for the loop to resume from after a restart. */
  public static Optional<LocalAutoscaler.Persisted> persisted(ScalingPolicy policy) {
    var status = policy.getStatus();
    if (status == null
        || status.local() == null
        || !Objects.equals(status.observedGeneration(), policy.getMetadata().getGeneration())) {
      return Optional.empty(); // never evaluated, or the spec changed since: start afresh
    }
    var local = status.local();
    return Optional.of(
        new LocalAutoscaler.Persisted(
            new Bounds(local.minCapacity(), local.maxCapacity()),
            Instant.parse(local.schedulesEvaluatedAt()),
            Optional.ofNullable(local.lastScaleOut()).map(Instant::parse),
            Optional.ofNullable(local.lastScaleIn()).map(Instant::parse)));
  }

  /** A spec the policy engine cannot evaluate (what admission cannot check, e.g. a schedule). */
  public static ScalingPolicyStatus invalidSpec(ScalingPolicy policy, String why, Instant now) {
    var conditions = Conditions.of(policy, now).stalled(Reasons.INVALID_SPEC, why);
    return build(policy, conditions, Capacity.UNKNOWN, null);
  }

  /** Backend local: a metric the policy reads is measured by nothing here (the why names it). */
  public static ScalingPolicyStatus metricUnavailable(
      ScalingPolicy policy, String why, Instant now) {
    var conditions = Conditions.of(policy, now).stalled(Reasons.METRIC_UNAVAILABLE, why);
    return build(policy, conditions, Capacity.UNKNOWN, null);
  }

  /** A policy on a variant of a local endpoint: instances are SageMaker's; locally, copies are. */
  public static ScalingPolicyStatus unsupportedTarget(ScalingPolicy policy, Instant now) {
    String message =
        "InferenceEndpoint "
            + policy.getSpec().targetRef().name()
            + " runs on backend local, which has no instances to scale: target its"
            + " InferenceComponents (targetRef.kind: InferenceComponent) instead.";
    var conditions = Conditions.of(policy, now).stalled(Reasons.UNSUPPORTED_TARGET, message);
    return build(policy, conditions, Capacity.UNKNOWN, null);
  }

  /**
   * The status when the target cannot be resolved (TargetNotFound, VariantNotFound); empty when it
   * resolves.
   */
  public static Optional<ScalingPolicyStatus> unresolved(
      ScalingPolicy policy,
      Optional<InferenceComponent> component,
      Optional<InferenceEndpoint> endpoint,
      Instant now) {
    var conditions = Conditions.of(policy, now);
    TargetRef target = policy.getSpec().targetRef();
    String namespace = policy.getMetadata().getNamespace();
    boolean found =
        target.kind() == TargetKind.InferenceComponent
            ? component.isPresent()
            : endpoint.isPresent();
    if (!found) {
      conditions.set(
          Condition.READY,
          false,
          Reasons.TARGET_NOT_FOUND,
          target.kind()
              + " "
              + target.name()
              + " does not exist in namespace "
              + namespace
              + "; the policy waits for it. Nothing is left in AWS for it.");
      return Optional.of(build(policy, conditions, Capacity.UNKNOWN, null));
    }
    if (target.kind() == TargetKind.InferenceEndpoint
        && endpoint.get().getSpec().variants().stream()
            .noneMatch(v -> v.name().equals(target.variant()))) {
      String message =
          "InferenceEndpoint "
              + target.name()
              + " has no variant "
              + target.variant()
              + " (its variants: "
              + endpoint.get().getSpec().variants().stream()
                  .map(Variant::name)
                  .collect(Collectors.joining(", "))
              + "); set spec.targetRef.variant.";
      conditions.stalled(Reasons.VARIANT_NOT_FOUND, message);
      return Optional.of(build(policy, conditions, Capacity.UNKNOWN, null));
    }
    return Optional.empty();
  }

  /** The target exists but is not in service in SageMaker yet: nothing can be registered on it. */
  public static ScalingPolicyStatus targetNotReady(ScalingPolicy policy, String why, Instant now) {
    var conditions =
        Conditions.of(policy, now)
            .set(Condition.READY, false, Reasons.TARGET_NOT_READY, why)
            .set(Condition.RECONCILING, true, Reasons.TARGET_NOT_READY, why);
    return build(policy, conditions, Capacity.UNKNOWN, previousObjects(policy));
  }

  /** minCapacity 0 on a target SageMaker cannot take to zero. */
  public static ScalingPolicyStatus cannotScaleToZero(
      ScalingPolicy policy, String why, Instant now) {
    var conditions = Conditions.of(policy, now).stalled(Reasons.CANNOT_SCALE_TO_ZERO, why);
    return build(policy, conditions, Capacity.UNKNOWN, previousObjects(policy));
  }

  /** Status after a pass that converged (or tried to converge) the recipe. */
  public static ScalingPolicyStatus sagemaker(
      ScalingPolicy policy,
      String region,
      SageMakerScaling.Outcome outcome,
      Capacity capacity,
      RetryStatus retry,
      Instant now) {
    var conditions = Conditions.of(policy, now);
    var applied = outcome.applied();
    if (outcome.failure().isPresent()) {
      conditions.awsFailure(outcome.failure().get(), retry);
    } else {
      String message =
          "Scalable target "
              + applied.resourceId()
              + applied.bounds().map(b -> " (" + b.min() + ".." + b.max() + ")").orElse("")
              + " with "
              + applied.policyArns().size()
              + " scaling policies, "
              + applied.alarms().size()
              + " alarms and "
              + applied.scheduledActions().size()
              + " scheduled actions in place"
              + (outcome.changes().isEmpty()
                  ? "."
                  : " (changed: " + String.join(", ", outcome.changes()) + ").");
      conditions.set(Condition.READY, true, Reasons.APPLIED, message);
    }
    return build(
        policy,
        conditions,
        capacity,
        lastActivity(policy),
        recorded(policy, region, outcome),
        null,
        retry);
  }

  /**
   * What the status records for a later teardown. A failed pass that found nothing (its first read
   * failed, or it failed before any call) has not seen AWS, so it keeps what an earlier pass
   * recorded: forgetting it would leave the objects behind when the target is deleted first, as
   * then nothing else says where they are.
   */
  static GeneratedAwsObjects recorded(
      ScalingPolicy policy, String region, SageMakerScaling.Outcome outcome) {
    if (outcome.failure().isPresent() && outcome.applied().isEmpty()) {
      return previousObjects(policy);
    }
    return objects(region, outcome.applied());
  }

  /** The AWS objects that exist after a pass, for status and for a later teardown. */
  static GeneratedAwsObjects objects(String region, SageMakerScaling.Applied applied) {
    if (applied.isEmpty()) {
      return null;
    }
    return new GeneratedAwsObjects(
        region,
        applied.resourceId(),
        List.copyOf(applied.policyArns().values()),
        applied.alarms().stream().map(a -> new AlarmStatus(a.name(), a.state())).toList(),
        applied.scheduledActions());
  }

  private static GeneratedAwsObjects previousObjects(ScalingPolicy policy) {
    return policy.getStatus() == null ? null : policy.getStatus().sagemaker();
  }

  private static ScalingActivity lastActivity(ScalingPolicy policy) {
    return policy.getStatus() == null ? null : policy.getStatus().lastScalingActivity();
  }

  private static ScalingPolicyStatus build(
      ScalingPolicy policy, Conditions conditions, Capacity capacity, GeneratedAwsObjects objects) {
    return build(policy, conditions, capacity, lastActivity(policy), objects, null, null);
  }

  /** The one place a policy's status is assembled. */
  private static ScalingPolicyStatus build(
      ScalingPolicy policy,
      Conditions conditions,
      Capacity capacity,
      ScalingActivity activity,
      GeneratedAwsObjects objects,
      ScalingPolicyStatus.EngineStatus engine,
      RetryStatus retry) {
    ScheduleGaps.set(policy, conditions);
    return new ScalingPolicyStatus(
        policy.getMetadata().getGeneration(),
        conditions.list(),
        capacity.current(),
        capacity.desired(),
        activity,
        objects,
        engine,
        retry);
  }
}
