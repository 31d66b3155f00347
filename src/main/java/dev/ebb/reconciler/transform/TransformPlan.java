package dev.ebb.reconciler.transform;

import java.util.Optional;
import java.util.Set;

/**
 * Decides the next step of a SageMaker batch transform. Pure, like the endpoint and component
 * plans. A transform runs once: its model is created, then its job; when the job ends (Completed,
 * Failed or Stopped) the model, which only served the job, is deleted and nothing is left but the
 * job's record, which SageMaker keeps and cannot delete.
 */
public final class TransformPlan {
  private TransformPlan() {}

  /** Job states in which SageMaker is still working. */
  static final Set<String> RUNNING = Set.of("InProgress", "Stopping");

  /**
   * What SageMaker reported: the job ({@code job} empty: confirmed absent) and whether the model of
   * the job's name exists.
   */
  public record Observed(Optional<ObservedJob> job, boolean modelExists) {}

  /** The job as DescribeTransformJob reports it. */
  public record ObservedJob(String status, String failureReason) {}

  public sealed interface Step {}

  public record CreateModel() implements Step {}

  public record CreateJob() implements Step {}

  public record StopJob() implements Step {}

  public record DeleteModel() implements Step {}

  /** SageMaker is working (InProgress, Stopping): look again later. */
  public record Wait(String status) implements Step {}

  /** The job ended and its model is gone: nothing is left to do, ever. */
  public record Ended(String status, String failureReason) implements Step {}

  /** Teardown found nothing left to stop or delete. */
  public record Released() implements Step {}

  public static Step next(Observed observed) {
    if (observed.job().isEmpty()) {
      return observed.modelExists() ? new CreateJob() : new CreateModel();
    }
    ObservedJob job = observed.job().get();
    if (RUNNING.contains(job.status())) {
      return new Wait(job.status());
    }
    if (observed.modelExists()) {
      return new DeleteModel();
    }
    return new Ended(job.status(), job.failureReason());
  }

  /**
   * Teardown when the object is deleted. {@code retain}: the job runs on and keeps its model;
   * otherwise a running job is stopped, and its model deleted once it no longer runs.
   */
  public static Step nextTeardown(Observed observed, boolean retain) {
    if (retain) {
      return new Released();
    }
    Optional<ObservedJob> job = observed.job();
    if (job.isPresent() && "InProgress".equals(job.get().status())) {
      return new StopJob();
    }
    if (job.isPresent() && "Stopping".equals(job.get().status())) {
      return new Wait("Stopping");
    }
    return observed.modelExists() ? new DeleteModel() : new Released();
  }
}
