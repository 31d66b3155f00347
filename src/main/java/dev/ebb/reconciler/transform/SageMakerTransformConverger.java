package dev.ebb.reconciler.transform;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.reconciler.PassEnd;
import dev.ebb.reconciler.transform.TransformPlan.CreateJob;
import dev.ebb.reconciler.transform.TransformPlan.CreateModel;
import dev.ebb.reconciler.transform.TransformPlan.DeleteModel;
import dev.ebb.reconciler.transform.TransformPlan.Ended;
import dev.ebb.reconciler.transform.TransformPlan.Observed;
import dev.ebb.reconciler.transform.TransformPlan.ObservedJob;
import dev.ebb.reconciler.transform.TransformPlan.Released;
import dev.ebb.reconciler.transform.TransformPlan.Step;
import dev.ebb.reconciler.transform.TransformPlan.StopJob;
import dev.ebb.reconciler.transform.TransformPlan.Wait;
import dev.ebb.sagemaker.AwsCallException;
import dev.ebb.sagemaker.AwsFailure;
import dev.ebb.sagemaker.SageMakerTransformJobs;
import dev.ebb.sagemaker.SageMakerTransformJobs.JobDescription;
import java.util.Optional;
import java.util.function.Function;

/**
 * One pass of a SageMaker batch transform: one Describe of the job and one of its model, then plan
 * steps until one sets SageMaker in motion. Never waits and never lists: the job and its model
 * carry one deterministic name ({@code SageMakerNames.transformJobName}), so a crash between any
 * two calls leaves nothing a later pass cannot find by name.
 */
public final class SageMakerTransformConverger {
  static final int MAX_STEPS = 4;

  /**
   * What one pass did and saw.
   *
   * @param job the job as last described (before this pass's own change, if any)
   */
  public record Outcome(
      Step last, boolean acted, Optional<JobDescription> job, Optional<AwsFailure> failure) {

    public PassEnd end() {
      boolean settled = (last instanceof Ended || last instanceof Released) && !acted;
      return new PassEnd(failure, settled, false);
    }

    /** Whether the job ended and nothing is left to do (no further look needed). */
    public boolean ended() {
      return failure.isEmpty() && last instanceof Ended;
    }
  }

  /** The arguments a create needs: the object, its job's name, role and tags. */
  public record Target(
      BatchTransform owner,
      String jobName,
      String executionRoleArn,
      java.util.Map<String, String> userTags) {}

  private SageMakerTransformConverger() {}

  public static Outcome converge(Target target, SageMakerTransformJobs ops) {
    return run(target.jobName(), ops, TransformPlan::next, target);
  }

  public static Outcome teardown(String jobName, boolean retain, SageMakerTransformJobs ops) {
    if (retain) {
      return new Outcome(new Released(), false, Optional.empty(), Optional.empty());
    }
    return run(jobName, ops, o -> TransformPlan.nextTeardown(o, false), null);
  }

  private static Outcome run(
      String jobName, SageMakerTransformJobs ops, Function<Observed, Step> plan, Target target) {
    Optional<JobDescription> job = Optional.empty();
    Step step = null;
    boolean acted = false;
    try {
      job = ops.describe(jobName);
      boolean model = ops.models().exists(jobName);
      Optional<ObservedJob> observed = job.map(j -> new ObservedJob(j.status(), j.failureReason()));
      for (int i = 0; i < MAX_STEPS; i++) {
        step = plan.apply(new Observed(observed, model));
        if (step instanceof Wait || step instanceof Ended || step instanceof Released) {
          break;
        }
        acted = true;
        if (step instanceof CreateModel) {
          var owner = target.owner();
          ops.models()
              .create(
                  jobName,
                  owner.getSpec().model(),
                  target.executionRoleArn(),
                  owner,
                  target.userTags());
          model = true;
        } else if (step instanceof DeleteModel) {
          ops.models().delete(jobName);
          model = false;
        } else if (step instanceof CreateJob) {
          var owner = target.owner();
          ops.create(jobName, jobName, owner.getSpec(), owner, target.userTags());
          break; // the job is in motion: the next look comes from SageMaker
        } else if (step instanceof StopJob) {
          ops.stop(jobName);
          break;
        } else {
          throw new IllegalStateException("not an action: " + step);
        }
      }
      return new Outcome(step, acted, job, Optional.empty());
    } catch (AwsCallException e) {
      return new Outcome(step, acted, job, Optional.of(e.failure()));
    }
  }
}
