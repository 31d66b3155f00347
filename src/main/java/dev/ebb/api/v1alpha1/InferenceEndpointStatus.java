package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of an InferenceEndpoint. Built in one place by the endpoint reconciler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Observed state of the endpoint, written by Ebb.")
public record InferenceEndpointStatus(
    @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Conditions: Ready (always present), Reconciling, Stalled, and on backend local"
                + " ScaledToZero.")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "One word for humans and printer columns: SageMaker's endpoint status on backend"
                + " sagemaker; Pending, Serving or ScaledToZero on backend local;"
                + " NotProvisioned while no backend has created anything. Automate against"
                + " conditions, not this.")
        String state,
    @JsonPropertyDescription("Name of the SageMaker endpoint this object manages.")
        String endpointName,
    @JsonPropertyDescription(
            "ARN of the SageMaker endpoint, once Ebb knows the endpoint is this object's own"
                + " (created, tagged or adopted by it, within its namespace's tenancy rights). The"
                + " gateway invokes a SageMaker endpoint only for an object whose status has it.")
        String endpointArn,
    @JsonPropertyDescription("SageMaker's EndpointStatus, verbatim (e.g. Creating, InService).")
        String endpointStatus,
    @JsonPropertyDescription("SageMaker's FailureReason, verbatim, when the endpoint failed.")
        String failureReason,
    @JsonPropertyDescription(
            "The endpoint config in service: content-addressed, so an unchanged spec never"
                + " makes a new one.")
        String endpointConfigName,
    @JsonPropertyDescription(
            "The endpoint config Ebb last asked SageMaker to deploy. It differs from"
                + " endpointConfigName while a deployment runs, and after SageMaker rolled one"
                + " back (Stalled, reason RolledBack): Ebb does not deploy it again until the spec"
                + " changes.")
        String lastDeployedConfigName,
    @JsonPropertyDescription(
            "Where clients invoke the endpoint: on backend sagemaker, SageMaker Runtime's"
                + " InvokeEndpoint URL (InvokeEndpointAsync's for an async endpoint), set once the"
                + " endpoint exists.")
        String url,
    @JsonPropertyDescription("Per-variant live numbers, as read from the backend.")
        List<VariantStatus> variants,
    @JsonPropertyDescription(
            "Who the gateway lets call the endpoint, from spec.access: Public (every caller),"
                + " ServiceAccounts (also when spec.access is omitted: tokens of this namespace),"
                + " ApiKeys, or ApiKeys,ServiceAccounts.")
        String access,
    @JsonPropertyDescription(
            "Backend sagemaker: set while AWS calls fail in a way a retry can mend, with when Ebb"
                + " tries again (the wait doubles with each failure).")
        RetryStatus retry,
    @JsonPropertyDescription(
            "Backend sagemaker: the SageMaker models Ebb made, or is about to make, for this"
                + " endpoint and has not deleted yet. Each is recorded here before it is created"
                + " (so a name here may not exist yet): the operator finds them by name (no List"
                + " call), and a crash at any point leaves none it does not know of.")
        List<String> models,
    @JsonPropertyDescription(
            "Backend sagemaker: the endpoint configs Ebb made, or is about to make, for this"
                + " endpoint and has not deleted yet, recorded before each is created, as for"
                + " models.")
        List<String> endpointConfigs)
    implements ConditionedStatus {

  /** Live state of one variant. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VariantStatus(
      @JsonPropertyDescription("Variant name.") String name,
      @JsonPropertyDescription("Instances running now.") Integer currentInstanceCount,
      @JsonPropertyDescription("Instances being converged to.") Integer desiredInstanceCount,
      @JsonPropertyDescription("Traffic weight in effect now.") Double currentWeight,
      @JsonPropertyDescription("Traffic weight being converged to.") Double desiredWeight) {}
}
