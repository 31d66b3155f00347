package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;
import java.util.Map;

/** Observed state of an InferenceComponent. Built in one place by the component reconciler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Observed state of the component, written by Ebb.")
public record InferenceComponentStatus(
    @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Conditions: Ready (always present), Reconciling, Stalled, and on backend local"
                + " ScaledToZero and CopiesSchedulable.")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "One word for humans and printer columns: SageMaker's component status on backend"
                + " sagemaker; Serving, ScaledToZero or Pending (copies starting or failing) on backend"
                + " local; Pending while its endpoint is missing, Invalid when it cannot be placed. Automate against"
                + " conditions, not this.")
        String state,
    @JsonPropertyDescription("Name of the SageMaker inference component.")
        String inferenceComponentName,
    @JsonPropertyDescription("ARN of the SageMaker inference component.")
        String inferenceComponentArn,
    @JsonPropertyDescription("SageMaker's InferenceComponentStatus, verbatim.")
        String sageMakerStatus,
    @JsonPropertyDescription("SageMaker's FailureReason, verbatim, when the component failed.")
        String failureReason,
    @JsonPropertyDescription("Copies running now and being converged to.") Copies copies,
    @JsonPropertyDescription(
            "Backend local: the most recent copy's cold start, measured from its pod's"
                + " conditions, and how long each phase took.")
        ColdStart lastColdStart,
    @JsonPropertyDescription(
            "Label selector of this component's copies (for the scale subresource and"
                + " autoscalers).")
        @LabelSelector
        String selector,
    @JsonPropertyDescription(
            "Backend sagemaker: a key of the specification (model, resources, startup) Ebb last"
                + " asked SageMaker to deploy. After SageMaker rolled an update back (Stalled,"
                + " reason RolledBack), Ebb does not deploy the same specification again until"
                + " the spec changes.")
        String lastDeployedSpecification,
    @JsonPropertyDescription(
            "Backend sagemaker: set while AWS calls fail in a way a retry can mend, with when Ebb"
                + " tries again (the wait doubles with each failure).")
        RetryStatus retry,
    @JsonPropertyDescription(
            "Backend sagemaker: the SageMaker models Ebb made, or is about to make, for this"
                + " component and has not deleted yet. Each is recorded before it is created (so"
                + " a name here may not exist yet), so that a deletion finds every one by name"
                + " (no List call).")
        List<String> models)
    implements ConditionedStatus {

  /** Copy counts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Copies(
      @JsonPropertyDescription("Copies serving now.") @StatusReplicas Integer current,
      @JsonPropertyDescription("Copies being converged to.") Integer desired) {}

  /** One cold start, measured. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ColdStart(
      @JsonPropertyDescription("The copy's pod.") String pod,
      @JsonPropertyDescription("When the copy was asked for: its pod's creation (RFC 3339).")
          String startedAt,
      @JsonPropertyDescription("Seconds from the pod's creation to the copy being ready.")
          Double seconds,
      @JsonPropertyDescription(
              "Seconds spent in each phase, in order: scheduled (waiting for a node),"
                  + " modelFetched (the init container copying the model data), containerStarted"
                  + " (image pull and start), ready (the server loading the model until /ping"
                  + " answers). Kubernetes records these instants to the second.")
          Map<String, Double> phases) {}
}
