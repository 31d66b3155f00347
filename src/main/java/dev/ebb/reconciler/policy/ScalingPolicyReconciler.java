package dev.ebb.reconciler.policy;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.reconciler.References;
import dev.ebb.reconciler.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles ScalingPolicies: resolves targetRef, and is woken when the target component or
 * endpoint appears, changes or goes.
 */
@ControllerConfiguration(name = "scalingpolicy")
public class ScalingPolicyReconciler implements Reconciler<ScalingPolicy> {
  private final Clock clock;

  public ScalingPolicyReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ScalingPolicy>> prepareEventSources(
      EventSourceContext<ScalingPolicy> context) {
    return List.of(
        References.to(
            InferenceComponent.class, context, p -> targetName(p, TargetKind.InferenceComponent)),
        References.to(
            InferenceEndpoint.class, context, p -> targetName(p, TargetKind.InferenceEndpoint)));
  }

  private static Optional<String> targetName(ScalingPolicy policy, TargetKind kind) {
    var target = policy.getSpec().targetRef();
    return target.kind() == kind ? Optional.of(target.name()) : Optional.empty();
  }

  @Override
  public UpdateControl<ScalingPolicy> reconcile(
      ScalingPolicy policy, Context<ScalingPolicy> context) {
    return StatusPatch.ifChanged(
        policy,
        PolicyStatus.desired(
            policy,
            context.getSecondaryResource(InferenceComponent.class),
            context.getSecondaryResource(InferenceEndpoint.class),
            clock.instant()));
  }
}
