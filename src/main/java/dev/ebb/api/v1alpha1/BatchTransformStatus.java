package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Set;

/** Observed state of a BatchTransform. Built in one place by the transform reconciler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Observed state of the transform, written by Ebb.")
public record BatchTransformStatus(
    @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Conditions: Ready (True once the job completed), Reconciling while it starts, runs"
                + " or Ebb retries AWS, Stalled when it failed, was stopped or was refused.")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "Pending (not started), InProgress, Stopping, Completed, Failed or Stopped: SageMaker's"
                + " TransformJobStatus on backend sagemaker; the Job's on backend local. Automate"
                + " against conditions, not this.")
        String phase,
    @JsonPropertyDescription(
            "Backend sagemaker: the transform job's name (also its model's), derived from"
                + " namespace, name and UID.")
        String transformJobName,
    @JsonPropertyDescription("Backend sagemaker: the transform job's ARN.") String transformJobArn,
    @JsonPropertyDescription(
            "Backend local: the Kubernetes Job running the workers (kubectl logs job/NAME -c"
                + " batcher).")
        String jobName,
    @JsonPropertyDescription("Why the job failed, verbatim from SageMaker or the batcher.")
        String failureReason,
    @JsonPropertyDescription("When the job started transforming (RFC 3339).") String startTime,
    @JsonPropertyDescription("When the job ended (RFC 3339).") String completionTime,
    @JsonPropertyDescription(
            "How far the job got. Backend local: the workers' own counts, as each worker ends"
                + " (objects of workers still running are not counted yet). Backend sagemaker:"
                + " absent, since DescribeTransformJob reports no progress.")
        Progress progress,
    @JsonPropertyDescription(
            "Backend sagemaker: set while AWS calls fail in a way a retry can mend, with when Ebb"
                + " tries again (the wait doubles with each failure).")
        RetryStatus retry)
    implements ConditionedStatus {

  /** Phases after which nothing changes any more. */
  public static final Set<String> ENDED = Set.of("Completed", "Failed", "Stopped");

  /** Work done of work known. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Progress(
      @JsonPropertyDescription("Input objects done of all input objects, as done/total.")
          String objects,
      @JsonPropertyDescription("Input objects whose output is written.") Integer objectsDone,
      @JsonPropertyDescription("Input objects in the job.") Integer objectsTotal,
      @JsonPropertyDescription("Records whose results are written.") Long recordsDone,
      @JsonPropertyDescription("Records the model failed on.") Long recordsFailed) {}

  /** Whether the job ended (Completed, Failed or Stopped). */
  public boolean ended() {
    return phase != null && ENDED.contains(phase);
  }
}
