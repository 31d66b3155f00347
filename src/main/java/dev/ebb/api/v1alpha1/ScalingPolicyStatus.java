package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of a ScalingPolicy. Built in one place by the policy reconciler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Observed state of the policy, written by Ebb.")
public record ScalingPolicyStatus(
    @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration,
    @JsonPropertyDescription("Conditions: Ready (always present), Reconciling and Stalled.")
        List<Condition> conditions,
    @JsonPropertyDescription("Capacity of the target now (copies or instances).")
        Integer currentCapacity,
    @JsonPropertyDescription("Capacity the target is being scaled to.") Integer desiredCapacity,
    @JsonPropertyDescription("The most recent scaling decision and why it was taken.")
        ScalingActivity lastScalingActivity,
    @JsonPropertyDescription(
            "What was generated in Application Auto Scaling and CloudWatch (backend sagemaker).")
        GeneratedAwsObjects sagemaker,
    @JsonPropertyDescription(
            "The state of Ebb's policy engine worth keeping across operator restarts (backend"
                + " local).")
        EngineStatus local,
    @JsonPropertyDescription(
            "Backend sagemaker: set while AWS calls fail in a way a retry can mend, with when Ebb"
                + " tries again (the wait doubles with each failure).")
        RetryStatus retry)
    implements ConditionedStatus {

  /** A scaling decision. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScalingActivity(
      @JsonPropertyDescription("When it happened (RFC 3339).") String time,
      @JsonPropertyDescription("Capacity before.") Integer from,
      @JsonPropertyDescription("Capacity after.") Integer to,
      @JsonPropertyDescription("Why, e.g. which metric or schedule caused it.") String cause,
      @JsonPropertyDescription(
              "What made the engine evaluate (backend local): Tick (the periodic evaluation),"
                  + " Demand (requests held at zero copies) or PolicyChange.")
          String trigger) {}

  /** Backend local: what the policy engine keeps between evaluations. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EngineStatus(
      @JsonPropertyDescription(
              "Min capacity in force: spec.minCapacity, or what a scheduled action last set.")
          Integer minCapacity,
      @JsonPropertyDescription(
              "Max capacity in force: spec.maxCapacity, or what a scheduled action last set.")
          Integer maxCapacity,
      @JsonPropertyDescription(
              "Scheduled actions up to this instant are reflected in the capacity in force; after"
                  + " an operator restart, those that fired since are replayed (RFC 3339).")
          String schedulesEvaluatedAt,
      @JsonPropertyDescription("Last scale-out, for cooldowns (RFC 3339).") String lastScaleOut,
      @JsonPropertyDescription("Last scale-in, for cooldowns (RFC 3339).") String lastScaleIn) {}

  /** The AWS objects a policy compiled to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GeneratedAwsObjects(
      @JsonPropertyDescription("AWS region the objects are in.") String region,
      @JsonPropertyDescription(
              "ResourceId of the Application Auto Scaling scalable target, e.g."
                  + " inference-component/NAME.")
          String scalableTarget,
      @JsonPropertyDescription("ARNs of the scaling policies.") List<String> policyArns,
      @JsonPropertyDescription("CloudWatch alarms and their states.") List<AlarmStatus> alarms,
      @JsonPropertyDescription("Names of the scheduled actions.") List<String> scheduledActions) {}

  /** One alarm. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AlarmStatus(
      @JsonPropertyDescription("Alarm name.") String name,
      @JsonPropertyDescription("OK, ALARM or INSUFFICIENT_DATA.") String state) {}
}
