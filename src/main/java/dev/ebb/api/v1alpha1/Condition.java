package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A status condition shaped like Kubernetes' {@code metav1.Condition}, so kstatus, Argo CD, Flux
 * and {@code kubectl wait --for=condition=Ready} read it without special cases.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @JsonPropertyDescription(
            "Type of the condition, CamelCase: Ready, Reconciling, Stalled, ScaledToZero or"
                + " CopiesSchedulable.")
        @Required
        @Size(max = 316)
        String type,
    @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
        @Required
        @Pattern("^(True|False|Unknown)$")
        String status,
    @JsonPropertyDescription(
            "The generation of the object that this condition was computed from. A value lower"
                + " than metadata.generation means the condition is out of date.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "When the condition last changed status (RFC 3339). Unchanged while only the reason"
                + " or message change.")
        @Required
        String lastTransitionTime,
    @JsonPropertyDescription(
            "A CamelCase, machine-readable reason for the condition's last transition, e.g."
                + " EndpointNotFound.")
        @Required
        @Size(min = 1, max = 1024)
        String reason,
    @JsonPropertyDescription("A human-readable message with details about the transition.")
        @Size(max = 32768)
        String message) {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String SCALED_TO_ZERO = "ScaledToZero";

  /**
   * Backend local: False while the scheduler cannot place some of a component's copies (their pods
   * are PodScheduled=False, reason Unschedulable).
   */
  public static final String COPIES_SCHEDULABLE = "CopiesSchedulable";

  /**
   * ScalingPolicy with schedules: False while a scheduled action names a wall-clock time that a
   * daylight-saving change skips in its time zone within the next 400 days (it does not fire then).
   */
  public static final String SCHEDULES_FIRE_AS_WRITTEN = "SchedulesFireAsWritten";
}
