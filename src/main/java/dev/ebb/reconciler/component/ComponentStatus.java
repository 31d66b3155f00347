package dev.ebb.reconciler.component;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceComponentStatus;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Variant;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.local.FailingCopies;
import dev.ebb.local.UnschedulableCopies;
import dev.ebb.local.WakeRule;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import dev.ebb.reconciler.tenancy.TenancyCheck;
import dev.ebb.sagemaker.SageMakerComponents.ComponentDescription;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The one place an InferenceComponent's status is built: a pure function of what was observed. */
public final class ComponentStatus {
  private ComponentStatus() {}

  /** Label carried by a component's copies; the scale subresource's selector matches it. */
  public static final String COMPONENT_LABEL = "ebb.dev/inference-component";

  public static final String STATE_PENDING = "Pending";
  public static final String STATE_INVALID = "Invalid";
  public static final String STATE_SERVING = "Serving";
  public static final String STATE_SCALED_TO_ZERO = "ScaledToZero";

  public static InferenceComponentStatus desired(
      InferenceComponent component, Optional<InferenceEndpoint> endpoint, Instant now) {
    var conditions = Conditions.of(component, now);
    String state = placement(component, endpoint, conditions);
    return withNothingRunning(component, conditions.list(), state);
  }

  /**
   * Whether the component can be placed on {@code endpoint}: it exists, has the component's
   * variant, and the variant is instance-backed. Otherwise {@link #desired} says why not.
   */
  public static boolean placeable(
      InferenceComponent component, Optional<InferenceEndpoint> endpoint) {
    return endpoint.isPresent()
        && unsupportedField(component, endpoint.get()).isEmpty()
        && endpoint.get().getSpec().variants().stream()
            .anyMatch(
                v -> v.name().equals(component.getSpec().variant()) && v.serverless() == null);
  }

  /** While the endpoint is not yet in service: components can only be placed on a live one. */
  public static InferenceComponentStatus endpointNotReady(
      InferenceComponent component, String endpointName, Instant now) {
    String message =
        "Waiting for InferenceEndpoint "
            + component.getSpec().endpointRef().name()
            + " (SageMaker endpoint "
            + endpointName
            + ") to be in service.";
    var conditions =
        Conditions.of(component, now)
            .set(Condition.READY, false, Reasons.ENDPOINT_NOT_READY, message)
            .list();
    return withNothingRunning(component, conditions, STATE_PENDING);
  }

  /**
   * Outside its namespace's tenancy rights: Stalled with the check's reason, and no AWS call made.
   * The component's name and ARN from an earlier pass stay (a deletion still knows what Ebb
   * created); SageMaker's status goes, since Ebb no longer looks at it.
   */
  public static InferenceComponentStatus notPermitted(
      InferenceComponent component, TenancyCheck.Denied denied, Instant now) {
    var conditions =
        Conditions.of(component, now)
            .set(Condition.READY, false, denied.reason(), denied.message())
            .set(Condition.STALLED, true, denied.reason(), denied.message())
            .list();
    var previous = Optional.ofNullable(component.getStatus());
    return new InferenceComponentStatus(
        component.getMetadata().getGeneration(),
        conditions,
        STATE_PENDING,
        previous.map(InferenceComponentStatus::inferenceComponentName).orElse(null),
        previous.map(InferenceComponentStatus::inferenceComponentArn).orElse(null),
        null,
        null,
        new InferenceComponentStatus.Copies(0, null),
        null,
        selector(component),
        previousLastDeployed(component),
        null,
        previousModels(component));
  }

  /** Whether the status records a SageMaker inference component Ebb created or deployed. */
  public static boolean provisioned(InferenceComponent component) {
    var status = component.getStatus();
    return status != null
        && (status.inferenceComponentArn() != null || status.lastDeployedSpecification() != null);
  }

  /** Status of a SageMaker inference component after one convergence pass. */
  public static InferenceComponentStatus sagemaker(
      InferenceComponent component,
      SageMakerComponentTarget target,
      SageMakerComponentConverger.Outcome outcome,
      RetryStatus retry,
      Instant now) {
    var conditions = Conditions.of(component, now);
    var described = outcome.component();
    if (outcome.failure().isPresent()) {
      conditions.awsFailure(outcome.failure().get(), retry);
    } else if (outcome.end().settled()) {
      conditions.set(
          Condition.READY,
          true,
          Reasons.IN_SERVICE,
          "Inference component " + target.componentName() + " is in service.");
    } else if (outcome.last() instanceof ComponentPlan.Failed failed) {
      String message = "SageMaker reports the component Failed: " + failed.reason();
      conditions.stalled(Reasons.COMPONENT_FAILED, message);
    } else if (outcome.last() instanceof ComponentPlan.RolledBack rolledBack) {
      String message =
          "SageMaker rolled the update of inference component "
              + target.componentName()
              + " back; it runs its previous specification. SageMaker says: "
              + rolledBack.failureReason()
              + " Ebb does not deploy this specification again: a change to the spec deploys.";
      conditions.stalled(Reasons.ROLLED_BACK, message);
    } else if (outcome.last() instanceof ComponentPlan.NotOwned notOwned) {
      String message =
          "SageMaker inference component "
              + notOwned.componentName()
              + " exists and was not created by this object; Ebb leaves it alone. Set"
              + " spec.sagemaker.adopt: true to take it over, or choose another"
              + " inferenceComponentName.";
      conditions.stalled(Reasons.COMPONENT_NOT_OWNED, message);
    } else if (outcome.last() instanceof ComponentPlan.Wait wait) {
      String message = "SageMaker reports the component " + wait.status() + ".";
      conditions
          .set(Condition.READY, false, wait.status(), message)
          .set(Condition.RECONCILING, true, wait.status(), message);
    } else {
      // A pass that only recorded a model's name has not created it: it says so.
      String message =
          outcome.recordFirst()
              ? "Converging SageMaker resources (recorded the model to create in status.models;"
                  + " creating it next)."
              : "Converging SageMaker resources (last step: "
                  + (outcome.last() == null ? "none" : outcome.last().getClass().getSimpleName())
                  + ").";
      conditions
          .set(Condition.READY, false, Reasons.PROVISIONING, message)
          .set(Condition.RECONCILING, true, Reasons.PROVISIONING, message);
    }
    return new InferenceComponentStatus(
        component.getMetadata().getGeneration(),
        conditions.list(),
        described.map(ComponentDescription::status).orElse(STATE_PENDING),
        target.componentName(),
        described.map(ComponentDescription::arn).orElse(null),
        described.map(ComponentDescription::status).orElse(null),
        described.map(ComponentDescription::failureReason).orElse(null),
        new InferenceComponentStatus.Copies(
            described.map(ComponentDescription::currentCopies).orElse(0),
            described.map(ComponentDescription::desiredCopies).orElse(null)),
        null,
        selector(component),
        lastDeployed(component, target, outcome),
        retry,
        outcome.models());
  }

  /**
   * The specification Ebb last asked SageMaker to deploy: the one this pass created or updated the
   * component with, else what the status said before. (A crash between the call and this status
   * costs one repeated update of a specification that is then rolled back again.)
   */
  static String lastDeployed(
      InferenceComponent component,
      SageMakerComponentTarget target,
      SageMakerComponentConverger.Outcome outcome) {
    if (outcome.failure().isEmpty()
        && (outcome.last() instanceof ComponentPlan.UpdateComponent
            || outcome.last() instanceof ComponentPlan.CreateComponent)) {
      return target.specificationKey();
    }
    return previousLastDeployed(component);
  }

  /** The models the status records (kept by every pass that does not look at SageMaker). */
  static List<String> previousModels(InferenceComponent component) {
    return component.getStatus() == null ? null : component.getStatus().models();
  }

  private static String previousLastDeployed(InferenceComponent component) {
    return component.getStatus() == null ? null : component.getStatus().lastDeployedSpecification();
  }

  /**
   * Status of a component on backend local, from its Deployment and its copies' pods.
   *
   * <p>When not every copy asked for is ready, Ready's reason says why, most actionable first:
   * {@code CopiesFailing} (a copy keeps failing: its data or image needs fixing), {@code
   * Unschedulable} (no node has room), else {@code CopiesStarting}. The message counts each kind.
   * Ready is True as long as one copy serves; Reconciling is True meanwhile (kubelet keeps
   * retrying, and a fix outside the spec heals a failing copy, so it is never Stalled). Failing
   * copies beyond those asked for (a rollout's new pods while the old ones serve) leave the reason
   * at {@code Serving}, and its message names them.
   *
   * <p>A failing copy's description carries its restart count and current state, which change with
   * each of kubelet's back-offs, so the status is rewritten then (a couple of writes per back-off,
   * which tops out at 5 minutes: no more than kubelet's own writes of the pod's status). Accepted:
   * the count growing is how the reader sees that kubelet is still retrying. The reason, and so the
   * Warning event, does not flap with the back-off ({@link FailingCopies}).
   *
   * @param ready copies whose pods are ready
   * @param desired the Deployment's replicas
   * @param unschedulable the copies the scheduler cannot place, longest waiting first
   * @param failing the copies that keep failing, longest failing first
   * @param unschedulableTimeout how long such a copy counts as starting ({@code
   *     ebb.local.unschedulable-timeout})
   * @param coldStart the latest copy's cold start, if one was ever measured
   */
  public static InferenceComponentStatus local(
      InferenceComponent component,
      int ready,
      int desired,
      List<UnschedulableCopies.Waiting> unschedulable,
      List<FailingCopies.Failing> failing,
      Duration unschedulableTimeout,
      InferenceComponentStatus.ColdStart coldStart,
      Instant now) {
    return local(
        component,
        ready,
        desired,
        unschedulable,
        failing,
        unschedulableTimeout,
        coldStart,
        new WakeRule.NoPolicy(),
        now);
  }

  /** The reason of the ScaledToZero condition: what a request does now. */
  static String wakeReason(WakeRule wake) {
    if (wake instanceof WakeRule.Wakes) {
      return Reasons.WAKES_ON_REQUEST;
    }
    if (wake instanceof WakeRule.NoScaleFromZero) {
      return Reasons.NO_SCALE_FROM_ZERO;
    }
    if (wake instanceof WakeRule.ParkedBySchedule) {
      return Reasons.PARKED_BY_SCHEDULE;
    }
    return Reasons.NO_SCALING_POLICY;
  }

  /**
   * As above, for a component whose requests at zero copies follow {@code wake} (which the
   * ScaledToZero message states).
   */
  public static InferenceComponentStatus local(
      InferenceComponent component,
      int ready,
      int desired,
      List<UnschedulableCopies.Waiting> unschedulable,
      List<FailingCopies.Failing> failing,
      Duration unschedulableTimeout,
      InferenceComponentStatus.ColdStart coldStart,
      WakeRule wake,
      Instant now) {
    var conditions = Conditions.of(component, now);
    String state;
    String reason;
    if (desired == 0) {
      state = STATE_SCALED_TO_ZERO;
      reason = Reasons.SCALED_TO_ZERO;
      String message = wake.scaledToZero();
      conditions
          .set(Condition.READY, true, reason, message)
          .set(Condition.SCALED_TO_ZERO, true, wakeReason(wake), message);
    } else if (ready >= desired) {
      state = STATE_SERVING;
      reason = Reasons.SERVING;
      conditions
          .set(
              Condition.READY,
              true,
              reason,
              ready
                  + " of "
                  + desired
                  + " copies ready on this cluster"
                  + (failing.isEmpty()
                      ? "."
                      : sentence(
                          "; " + failing.size() + " more failing: " + failing.get(0).describe())))
          .set(Condition.SCALED_TO_ZERO, false, reason, "Copies are running.");
    } else if (!failing.isEmpty() || !unschedulable.isEmpty()) {
      // Not Ready for this unless no copy serves: a copy that is ready still serves.
      state = ready > 0 ? STATE_SERVING : STATE_PENDING;
      reason = failing.isEmpty() ? Reasons.UNSCHEDULABLE : Reasons.COPIES_FAILING;
      int starting = desired - ready - failing.size() - unschedulable.size();
      StringBuilder message = new StringBuilder().append(ready).append(" of ").append(desired);
      message.append(" copies ready");
      if (!failing.isEmpty()) {
        message
            .append("; ")
            .append(failing.size())
            .append(" failing: ")
            .append(failing.get(0).describe());
      }
      if (!unschedulable.isEmpty()) {
        message
            .append("; ")
            .append(unschedulable.size())
            .append(" cannot be scheduled: ")
            .append(unschedulable.get(0).message());
      }
      String told =
          sentence(message.toString()) + (starting > 0 ? " The others are starting." : "");
      conditions
          .set(Condition.READY, ready > 0, reason, told)
          .set(Condition.RECONCILING, true, reason, told)
          .set(Condition.SCALED_TO_ZERO, false, reason, "Copies are asked for.");
    } else {
      state = ready > 0 ? STATE_SERVING : STATE_PENDING;
      reason = Reasons.COPIES_STARTING;
      String message =
          ready
              + " of "
              + desired
              + " copies ready; the others are starting (scheduling, fetching the model,"
              + " waiting for /ping).";
      conditions
          .set(Condition.READY, ready > 0, reason, message)
          .set(Condition.RECONCILING, true, reason, message)
          .set(Condition.SCALED_TO_ZERO, false, reason, "Copies are starting.");
    }
    if (unschedulable.isEmpty()) {
      conditions.set(Condition.COPIES_SCHEDULABLE, true, reason, "No copy is waiting for a node.");
    } else {
      conditions.set(
          Condition.COPIES_SCHEDULABLE,
          false,
          Reasons.UNSCHEDULABLE,
          unschedulableMessage(unschedulable, unschedulableTimeout));
    }
    return new InferenceComponentStatus(
        component.getMetadata().getGeneration(),
        conditions.list(),
        state,
        null,
        null,
        null,
        null,
        new InferenceComponentStatus.Copies(ready, desired),
        coldStart,
        selector(component),
        null,
        null,
        null);
  }

  /**
   * How many copies wait for a node, since when, the scheduler's word on the longest waiting one,
   * and until when it holds back scale-in. Instants only (no "for N minutes"), so the message
   * changes when the situation does, not with the clock.
   */
  static String unschedulableMessage(
      List<UnschedulableCopies.Waiting> unschedulable, Duration unschedulableTimeout) {
    UnschedulableCopies.Waiting first = unschedulable.get(0);
    int n = unschedulable.size();
    String since = first.since().truncatedTo(ChronoUnit.SECONDS).toString();
    String until =
        first.startingUntil(unschedulableTimeout).truncatedTo(ChronoUnit.SECONDS).toString();
    return (n == 1
            ? "1 copy cannot be scheduled since " + since
            : n + " copies cannot be scheduled, the first since " + since)
        + ": "
        + first.message()
        + (n == 1 ? " It counts" : " The first counts")
        + " as starting until "
        + until
        + " (ebb.local.unschedulable-timeout): a ScalingPolicy does not scale it away before"
        + " then.";
  }

  /** {@code text}, ending with a full stop unless it ends a sentence already. */
  private static String sentence(String text) {
    return text.endsWith(".") || text.endsWith("!") || text.endsWith("?") ? text : text + ".";
  }

  private static InferenceComponentStatus withNothingRunning(
      InferenceComponent component, List<Condition> conditions, String state) {
    return new InferenceComponentStatus(
        component.getMetadata().getGeneration(),
        conditions,
        state,
        null,
        null,
        null,
        null,
        new InferenceComponentStatus.Copies(0, null),
        null,
        selector(component),
        previousLastDeployed(component),
        null,
        previousModels(component));
  }

  private static String selector(InferenceComponent component) {
    return COMPONENT_LABEL + "=" + component.getMetadata().getName();
  }

  /** Sets the conditions that describe where the component stands; returns the state word. */
  private static String placement(
      InferenceComponent component, Optional<InferenceEndpoint> endpoint, Conditions conditions) {
    String endpointName = component.getSpec().endpointRef().name();
    String variantName = component.getSpec().variant();
    if (endpoint.isEmpty()) {
      conditions.set(
          Condition.READY,
          false,
          Reasons.ENDPOINT_NOT_FOUND,
          "InferenceEndpoint "
              + endpointName
              + " does not exist in namespace "
              + component.getMetadata().getNamespace()
              + "; the component waits for it.");
      return STATE_PENDING;
    }
    Optional<Variant> variant =
        endpoint.get().getSpec().variants().stream()
            .filter(v -> v.name().equals(variantName))
            .findFirst();
    if (variant.isEmpty()) {
      String known =
          endpoint.get().getSpec().variants().stream()
              .map(Variant::name)
              .collect(Collectors.joining(", "));
      return invalid(
          conditions,
          Reasons.VARIANT_NOT_FOUND,
          "InferenceEndpoint "
              + endpointName
              + " has no variant "
              + variantName
              + " (its variants: "
              + known
              + "); set spec.variant.");
    }
    if (variant.get().serverless() != null) {
      return invalid(
          conditions,
          Reasons.INCOMPATIBLE_VARIANT,
          "Variant "
              + variantName
              + " of InferenceEndpoint "
              + endpointName
              + " is serverless; inference components need an instance-backed variant.");
    }
    Optional<String> unsupported = unsupportedField(component, endpoint.get());
    if (unsupported.isPresent()) {
      return invalid(conditions, Reasons.UNSUPPORTED_FIELD, unsupported.get());
    }
    // Both backends provision every component that can be placed, so this is never reached.
    throw new IllegalStateException(
        "component " + component.getMetadata().getName() + " can be placed: its backend runs it");
  }

  /**
   * A field of the component its endpoint's backend would ignore. Admission cannot tell (the
   * backend is the endpoint's), so the component says so and nothing is provisioned.
   */
  static Optional<String> unsupportedField(
      InferenceComponent component, InferenceEndpoint endpoint) {
    boolean local = endpoint.getSpec().backend() == dev.ebb.api.v1alpha1.Backend.LOCAL;
    String field =
        local && component.getSpec().sagemaker() != null
            ? "spec.sagemaker"
            : !local && component.getSpec().local() != null ? "spec.local" : null;
    if (field == null) {
      return Optional.empty();
    }
    return Optional.of(
        field
            + " is only read on backend "
            + (local ? "sagemaker" : "local")
            + ", and InferenceEndpoint "
            + endpoint.getMetadata().getName()
            + " runs on backend "
            + (local ? "local" : "sagemaker")
            + ": remove it (nothing is provisioned until then).");
  }

  private static String invalid(Conditions conditions, String reason, String message) {
    conditions
        .set(Condition.READY, false, reason, message)
        .set(Condition.STALLED, true, reason, message);
    return STATE_INVALID;
  }
}
