package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;

/** Reconciles InferenceEndpoints: today, validation status only (no backend is provisioned). */
@ControllerConfiguration(name = "inferenceendpoint")
public class InferenceEndpointReconciler implements Reconciler<InferenceEndpoint> {
  private final Clock clock;

  public InferenceEndpointReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<InferenceEndpoint> reconcile(
      InferenceEndpoint endpoint, Context<InferenceEndpoint> context) {
    return StatusPatch.ifChanged(endpoint, EndpointStatus.desired(endpoint, clock.instant()));
  }
}
