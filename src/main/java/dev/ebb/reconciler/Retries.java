package dev.ebb.reconciler;

import dev.ebb.api.v1alpha1.ConditionedStatus;
import dev.ebb.api.v1alpha1.RetryStatus;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Exponential backoff across passes for AWS failures a retry can mend: the first retry after the
 * schedule's transitioning poll, each next one after twice the last, capped at {@code cap}, plus
 * the schedule's jitter, different per object and per attempt. The state lives in the object's
 * status ({@link RetryStatus}), so a restart or a leader change neither resets nor repeats it, and
 * the user sees when the next attempt is. A spec change starts afresh at once.
 */
public final class Retries {
  /** Doublings beyond which the cap holds anyway (keeps the shift in range). */
  private static final int MAX_DOUBLINGS = 30;

  private final PollSchedule schedule;
  private final Duration cap;

  public Retries(PollSchedule schedule, Duration cap) {
    this.schedule = schedule;
    Duration base = schedule.transitioning();
    this.cap = cap.compareTo(base) < 0 ? base : cap;
  }

  /**
   * The retry after a pass of generation {@code generation} that ended as {@code end}, given the
   * status it started from: null unless the pass ended in a retryable failure.
   */
  RetryStatus after(
      PassEnd end,
      RetryStatus previous,
      Long previousGeneration,
      Long generation,
      Instant now,
      String uid) {
    if (end.failure().isEmpty() || !end.failure().get().kind().retryable()) {
      return null;
    }
    boolean sameSpec = previous != null && Objects.equals(previousGeneration, generation);
    int failures = sameSpec && previous.failures() != null ? previous.failures() + 1 : 1;
    return new RetryStatus(failures, now.plus(delay(failures, uid)).toString());
  }

  /** The wait after {@code failures} failed passes in a row. */
  Duration delay(int failures, String uid) {
    int doublings = Math.min(Math.max(failures - 1, 0), MAX_DOUBLINGS);
    long millis = Math.min(cap.toMillis(), schedule.transitioning().toMillis() << doublings);
    return schedule.spread(Duration.ofMillis(millis), uid + "#" + failures);
  }

  /** {@link #after(PassEnd, RetryStatus, Long, Long, Instant, String)} for {@code object}. */
  public <S extends ConditionedStatus> RetryStatus after(
      PassEnd end, CustomResource<?, S> object, Instant now) {
    S previous = object.getStatus();
    return after(
        end,
        previous == null ? null : previous.retry(),
        previous == null ? null : previous.observedGeneration(),
        object.getMetadata().getGeneration(),
        now,
        object.getMetadata().getUid());
  }

  /** {@link #waiting(RetryStatus, Long, Long, Instant)} for {@code object}, by its status. */
  public static <S extends ConditionedStatus> Optional<Duration> waiting(
      CustomResource<?, S> object, Instant now) {
    S status = object.getStatus();
    return status == null
        ? Optional.empty()
        : waiting(
            status.retry(), status.observedGeneration(), object.getMetadata().getGeneration(), now);
  }

  /**
   * How long a pass must still wait before calling AWS: while the last pass of this same generation
   * failed and its next attempt is ahead. Empty when it may call now.
   */
  static Optional<Duration> waiting(
      RetryStatus retry, Long observedGeneration, Long generation, Instant now) {
    if (retry == null
        || retry.nextAttemptTime() == null
        || !Objects.equals(observedGeneration, generation)) {
      return Optional.empty();
    }
    Duration left = untilNextAttempt(retry, now);
    return left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /**
   * When to look again after a pass: at the next attempt when it failed, else as {@code end} says.
   */
  public Optional<Duration> nextLook(RetryStatus retry, PassEnd end, String uid, Instant now) {
    return retry != null ? Optional.of(untilNextAttempt(retry, now)) : end.nextLook(schedule, uid);
  }

  private static Duration untilNextAttempt(RetryStatus retry, Instant now) {
    Duration left = Duration.between(now, Instant.parse(retry.nextAttemptTime()));
    return left.isNegative() ? Duration.ZERO : left;
  }
}
