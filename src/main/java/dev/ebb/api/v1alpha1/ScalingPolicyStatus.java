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
        GeneratedAwsObjects sagemaker)
    implements ConditionedStatus {

  /** A scaling decision. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScalingActivity(
      @JsonPropertyDescription("When it happened (RFC 3339).") String time,
      @JsonPropertyDescription("Capacity before.") Integer from,
      @JsonPropertyDescription("Capacity after.") Integer to,
      @JsonPropertyDescription("Why, e.g. which metric or schedule caused it.") String cause) {}

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
