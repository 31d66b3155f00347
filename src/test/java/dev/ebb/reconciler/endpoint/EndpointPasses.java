package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.sagemaker.DeploymentAlarms;
import dev.ebb.sagemaker.SageMakerEndpoints;
import java.time.Instant;
import java.util.Optional;

/** Convergence passes over a SageMaker endpoint as the reconciler runs them, for tests. */
public final class EndpointPasses {
  private EndpointPasses() {}

  /**
   * Passes until one settles (in service on the spec, nothing changed), each writing the object's
   * status as the reconciler does: what Ebb made is known from {@code status.models} and {@code
   * status.endpointConfigs} between passes.
   */
  public static void untilSettled(
      InferenceEndpoint endpoint, SageMakerEndpoints ops, DeploymentAlarms alarms) {
    SageMakerTarget target = SageMakerTarget.of(endpoint, Optional.empty()).orElseThrow();
    for (int i = 0; i < 20; i++) {
      var outcome = SageMakerEndpointConverger.converge(endpoint, target, ops, alarms);
      endpoint.setStatus(
          EndpointStatus.sagemaker(
              endpoint, target, outcome, Optional.empty(), null, Instant.now()));
      if (outcome.end().settled()) {
        return;
      }
    }
    throw new AssertionError("endpoint did not converge");
  }
}
