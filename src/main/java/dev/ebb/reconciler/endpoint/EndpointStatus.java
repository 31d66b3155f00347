package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointStatus;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import java.time.Instant;

/** The one place an InferenceEndpoint's status is built: a pure function of what was observed. */
public final class EndpointStatus {
  private EndpointStatus() {}

  /** The state summary while no backend has provisioned anything. */
  public static final String STATE_NOT_PROVISIONED = "NotProvisioned";

  public static InferenceEndpointStatus desired(InferenceEndpoint endpoint, Instant now) {
    var previous = endpoint.getStatus();
    Long generation = endpoint.getMetadata().getGeneration();
    String why = notProvisionedMessage(endpoint.getSpec().backend());
    var conditions =
        Conditions.after(previous == null ? null : previous.conditions(), generation, now)
            .set(Condition.READY, false, Reasons.NOT_PROVISIONED, why)
            .set(Condition.STALLED, true, Reasons.BACKEND_NOT_IMPLEMENTED, why)
            .list();
    return new InferenceEndpointStatus(
        generation, conditions, STATE_NOT_PROVISIONED, null, null, null, null, null, null, null);
  }

  static String notProvisionedMessage(Backend backend) {
    return switch (backend) {
      case SAGEMAKER ->
          "The spec is valid, but this version of Ebb does not provision backend sagemaker yet:"
              + " nothing was created in AWS.";
      case LOCAL ->
          "The spec is valid, but this version of Ebb does not run backend local yet: no pods"
              + " were created.";
    };
  }
}
