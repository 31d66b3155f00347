package dev.ebb.reconciler.transform;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.BatchTransformStatus;
import dev.ebb.api.v1alpha1.BatchTransformStatus.Progress;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import dev.ebb.reconciler.tenancy.TenancyCheck;
import dev.ebb.reconciler.transform.TransformPlan.Ended;
import dev.ebb.sagemaker.SageMakerTransformJobs.JobDescription;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Builds a BatchTransform's status: the one place it is made. */
public final class TransformStatus {
  private TransformStatus() {}

  /**
   * After a pass on backend sagemaker. The phase is SageMaker's job status once the job exists;
   * before, Pending. A job that ended is Ready only when it Completed; Failed and Stopped stall it,
   * since nothing but a new object runs it again.
   */
  public static BatchTransformStatus sagemaker(
      BatchTransform transform,
      String jobName,
      SageMakerTransformConverger.Outcome outcome,
      RetryStatus retry,
      Instant now) {
    BatchTransformStatus previous = transform.getStatus();
    Optional<JobDescription> job = outcome.job();
    // A job just created is described by the next pass; what the last pass saw stays till then.
    String phase = job.map(JobDescription::status).orElse("Pending");
    String failureReason = job.map(JobDescription::failureReason).orElse(null);
    Conditions conditions = Conditions.of(transform, now);
    if (outcome.failure().isPresent()) {
      conditions.awsFailure(outcome.failure().get(), retry);
    } else if (outcome.last() instanceof Ended ended) {
      ended(conditions, ended.status(), ended.failureReason());
    } else if (job.isEmpty()) {
      conditions
          .set(
              Condition.READY,
              false,
              Reasons.TRANSFORM_STARTING,
              "Creating the SageMaker model and transform job " + jobName + ".")
          .set(Condition.RECONCILING, true, Reasons.TRANSFORM_STARTING, "Starting.");
    } else {
      String message = "SageMaker transform job " + jobName + " is " + phase + ".";
      conditions
          .set(Condition.READY, false, Reasons.TRANSFORM_RUNNING, message)
          .set(Condition.RECONCILING, true, Reasons.TRANSFORM_RUNNING, message);
    }
    return new BatchTransformStatus(
        transform.getMetadata().getGeneration(),
        conditions.list(),
        phase,
        jobName,
        job.map(JobDescription::arn).orElse(previous == null ? null : previous.transformJobArn()),
        null,
        failureReason,
        job.map(JobDescription::startTime).map(TransformStatus::time).orElse(null),
        job.map(JobDescription::endTime).map(TransformStatus::time).orElse(null),
        null,
        retry);
  }

  /**
   * After a pass on backend local, from the Job and what its workers reported. {@code phase}:
   * Pending (no pod started yet), InProgress, Completed or Failed.
   */
  public static BatchTransformStatus local(
      BatchTransform transform,
      String jobName,
      String phase,
      dev.ebb.local.BatchResults results,
      String failureReason,
      String startTime,
      String completionTime,
      Instant now) {
    Conditions conditions = Conditions.of(transform, now);
    switch (phase) {
      case "Completed", "Failed" -> ended(conditions, phase, failureReason);
      case "InProgress" -> {
        String message =
            "Job "
                + jobName
                + " is transforming its input (kubectl logs job/"
                + jobName
                + " -c batcher).";
        conditions
            .set(Condition.READY, false, Reasons.TRANSFORM_RUNNING, message)
            .set(Condition.RECONCILING, true, Reasons.TRANSFORM_RUNNING, message);
      }
      default -> {
        String message = "Job " + jobName + " is starting its workers.";
        conditions
            .set(Condition.READY, false, Reasons.TRANSFORM_STARTING, message)
            .set(Condition.RECONCILING, true, Reasons.TRANSFORM_STARTING, message);
      }
    }
    Progress progress =
        results.workers() == 0
            ? null
            : progress(
                results.objectsDone(),
                results.objectsTotal(),
                results.recordsDone(),
                results.recordsFailed());
    return new BatchTransformStatus(
        transform.getMetadata().getGeneration(),
        conditions.list(),
        phase,
        null,
        null,
        jobName,
        failureReason,
        startTime,
        completionTime,
        progress,
        null);
  }

  /** The conditions of a job that ended as {@code phase}. */
  static Conditions ended(Conditions conditions, String phase, String failureReason) {
    switch (phase) {
      case "Completed" ->
          conditions.set(
              Condition.READY,
              true,
              Reasons.TRANSFORM_COMPLETED,
              "Every input object is transformed.");
      case "Failed" ->
          conditions.stalled(
              Reasons.TRANSFORM_FAILED,
              "The transform failed: "
                  + (failureReason == null ? "no reason given" : failureReason)
                  + ". Create a new BatchTransform to run it again.");
      default ->
          conditions.stalled(
              Reasons.TRANSFORM_STOPPED,
              "The transform was stopped before it finished. Create a new BatchTransform to run it"
                  + " again.");
    }
    return conditions;
  }

  /** Outside its namespace's tenancy rights: Stalled, no AWS call made. */
  public static BatchTransformStatus notPermitted(
      BatchTransform transform, TenancyCheck.Denied denied, Instant now) {
    return stalled(transform, denied.reason(), denied.message(), now);
  }

  /** No execution role for SageMaker: Stalled, nothing created. */
  public static BatchTransformStatus roleMissing(BatchTransform transform, Instant now) {
    return stalled(
        transform,
        Reasons.EXECUTION_ROLE_MISSING,
        "No IAM role for SageMaker: set spec.sagemaker.executionRoleArn, or install Ebb with a"
            + " default role (ebb.aws.default-execution-role-arn). Nothing was created in AWS.",
        now);
  }

  /** While the object is deleted: what teardown is doing. */
  public static BatchTransformStatus deleting(
      BatchTransform transform, String message, Instant now) {
    BatchTransformStatus previous = transform.getStatus();
    var conditions =
        Conditions.of(transform, now)
            .set(Condition.READY, false, Reasons.DELETING, message)
            .set(Condition.RECONCILING, true, Reasons.DELETING, message)
            .list();
    return previous == null
        ? new BatchTransformStatus(
            transform.getMetadata().getGeneration(),
            conditions,
            "Pending",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null)
        : new BatchTransformStatus(
            previous.observedGeneration(),
            conditions,
            previous.phase(),
            previous.transformJobName(),
            previous.transformJobArn(),
            previous.jobName(),
            previous.failureReason(),
            previous.startTime(),
            previous.completionTime(),
            previous.progress(),
            previous.retry());
  }

  private static BatchTransformStatus stalled(
      BatchTransform transform, String reason, String message, Instant now) {
    BatchTransformStatus previous = transform.getStatus();
    return new BatchTransformStatus(
        transform.getMetadata().getGeneration(),
        Conditions.of(transform, now).stalled(reason, message).list(),
        previous == null || previous.phase() == null ? "Pending" : previous.phase(),
        previous == null ? null : previous.transformJobName(),
        previous == null ? null : previous.transformJobArn(),
        previous == null ? null : previous.jobName(),
        previous == null ? null : previous.failureReason(),
        previous == null ? null : previous.startTime(),
        previous == null ? null : previous.completionTime(),
        previous == null ? null : previous.progress(),
        null);
  }

  /** Progress as done/total. */
  public static Progress progress(
      int objectsDone, int objectsTotal, long recordsDone, long recordsFailed) {
    return new Progress(
        objectsDone + "/" + objectsTotal, objectsDone, objectsTotal, recordsDone, recordsFailed);
  }

  private static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
