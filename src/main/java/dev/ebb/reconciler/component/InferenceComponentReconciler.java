package dev.ebb.reconciler.component;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
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
 * Reconciles InferenceComponents: resolves endpointRef and variant, and is woken when the
 * referenced endpoint appears, changes or goes.
 */
@ControllerConfiguration(name = "inferencecomponent")
public class InferenceComponentReconciler implements Reconciler<InferenceComponent> {
  private final Clock clock;

  public InferenceComponentReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, InferenceComponent>> prepareEventSources(
      EventSourceContext<InferenceComponent> context) {
    return List.of(
        References.to(
            InferenceEndpoint.class, context, c -> Optional.of(c.getSpec().endpointRef().name())));
  }

  @Override
  public UpdateControl<InferenceComponent> reconcile(
      InferenceComponent component, Context<InferenceComponent> context) {
    Optional<InferenceEndpoint> endpoint = context.getSecondaryResource(InferenceEndpoint.class);
    return StatusPatch.ifChanged(
        component, ComponentStatus.desired(component, endpoint, clock.instant()));
  }
}
