package dev.ebb.simulator;

import java.time.Duration;

/**
 * How long each asynchronous SageMaker transition takes. Evaluated lazily against the simulator's
 * clock: a resource reports its new status on the first call made after the delay has passed.
 *
 * @param endpointCreate Creating to InService (or Failed)
 * @param endpointUpdate Updating to InService, for UpdateEndpoint and weight/capacity changes
 * @param endpointDelete Deleting to gone
 * @param componentCreate inference component Creating to InService (or Failed)
 * @param componentUpdate UpdateInferenceComponent: Updating to InService
 * @param componentDelete inference component Deleting to gone
 * @param copiesScaleOut CurrentCopyCount rising to DesiredCopyCount (instances included)
 * @param copiesScaleIn CurrentCopyCount falling to DesiredCopyCount
 * @param transformJob a batch transform job InProgress to Completed (or Failed): the transform
 *     runs, in simulated time, when this has passed
 * @param transformStop StopTransformJob: Stopping to Stopped
 */
public record Delays(
    Duration endpointCreate,
    Duration endpointUpdate,
    Duration endpointDelete,
    Duration componentCreate,
    Duration componentUpdate,
    Duration componentDelete,
    Duration copiesScaleOut,
    Duration copiesScaleIn,
    Duration transformJob,
    Duration transformStop) {

  /** Short delays: every transitional status is observable, and a test waits seconds. */
  public static Delays defaults() {
    return new Delays(
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1));
  }

  /** Every transition completes on the next call. */
  public static Delays none() {
    return uniform(Duration.ZERO);
  }

  public static Delays uniform(Duration delay) {
    return new Delays(delay, delay, delay, delay, delay, delay, delay, delay, delay, delay);
  }

  /**
   * Roughly what AWS reports for an LLM on a GPU instance: minutes to create an endpoint, about 4
   * minutes for a copy to come back from zero (instance provisioning plus model start), about 15
   * minutes for copies to scale in; a batch transform job 6 minutes (instances are provisioned for
   * each job), 1 minute to stop.
   */
  public static Delays realistic() {
    return new Delays(
        Duration.ofMinutes(6),
        Duration.ofMinutes(8),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        Duration.ofMinutes(4),
        Duration.ofMinutes(15),
        Duration.ofMinutes(6),
        Duration.ofMinutes(1));
  }

  public Delays withEndpointCreate(Duration d) {
    return new Delays(
        d,
        endpointUpdate,
        endpointDelete,
        componentCreate,
        componentUpdate,
        componentDelete,
        copiesScaleOut,
        copiesScaleIn,
        transformJob,
        transformStop);
  }

  public Delays withEndpointUpdate(Duration d) {
    return new Delays(
        endpointCreate,
        d,
        endpointDelete,
        componentCreate,
        componentUpdate,
        componentDelete,
        copiesScaleOut,
        copiesScaleIn,
        transformJob,
        transformStop);
  }

  public Delays withCopies(Duration scaleOut, Duration scaleIn) {
    return new Delays(
        endpointCreate,
        endpointUpdate,
        endpointDelete,
        componentCreate,
        componentUpdate,
        componentDelete,
        scaleOut,
        scaleIn,
        transformJob,
        transformStop);
  }

  /** A batch transform job's run (InProgress to Completed or Failed) and its stop. */
  public Delays withTransform(Duration run, Duration stop) {
    return new Delays(
        endpointCreate,
        endpointUpdate,
        endpointDelete,
        componentCreate,
        componentUpdate,
        componentDelete,
        copiesScaleOut,
        copiesScaleIn,
        run,
        stop);
  }
}
