package dev.ebb.reconciler;

import dev.ebb.sagemaker.AwsFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * How one convergence pass ended, in the terms every reconciler acts on, whatever kind of cloud
 * resource it converges.
 *
 * @param failure the AWS failure that ended the pass early
 * @param settled nothing was left to do and nothing was changed
 * @param needsSpecChange the resource is stuck until someone changes a spec (it failed, or it is
 *     someone else's)
 */
public record PassEnd(Optional<AwsFailure> failure, boolean settled, boolean needsSpecChange) {

  /**
   * When to look again: soon while the cloud is busy or after a retryable failure, rarely when
   * settled, never (until the spec changes) when only a spec change can help.
   */
  public Optional<Duration> nextLook(PollSchedule schedule, String uid) {
    if (failure.isPresent()) {
      return failure.get().kind().retryable()
          ? Optional.of(schedule.whileTransitioning(uid))
          : Optional.empty();
    }
    if (needsSpecChange) {
      return Optional.empty();
    }
    return Optional.of(settled ? schedule.whileSteady(uid) : schedule.whileTransitioning(uid));
  }

  /** Whether a teardown pass found nothing left to remove. */
  public boolean finished() {
    return failure.isEmpty() && settled;
  }
}
