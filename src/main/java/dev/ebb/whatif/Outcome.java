package dev.ebb.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What became of one request of the trace.
 *
 * @param waited how long it waited for a copy before it was sent (zero when a copy was ready)
 * @param failure why it was answered with an error instead, if it was
 */
public record Outcome(Instant arrived, Duration waited, Optional<Failure> failure) {

  /** Why a request failed, with the status the gateway answers. */
  public enum Failure {
    /** The policy has no scaleFromZero, or a schedule holds max capacity at 0: 4xx at once. */
    REFUSED_AT_ZERO(400),
    /** The component's held-request bound was reached: 429. */
    QUEUE_FULL(429),
    /** The gateway's bound on held bytes was reached: 429. */
    HELD_BYTES_FULL(429),
    /** No copy was ready within the cold-start timeout: 504. */
    TIMED_OUT(504),
    /** Backend sagemaker without Ebb's gateway: SageMaker refuses a request at zero copies. */
    NO_CAPACITY(400);

    private final int status;

    Failure(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  static Outcome sent(Instant arrived, Instant sent) {
    return new Outcome(arrived, Duration.between(arrived, sent), Optional.empty());
  }

  static Outcome failed(Instant arrived, Instant failed, Failure why) {
    return new Outcome(arrived, Duration.between(arrived, failed), Optional.of(why));
  }

  public boolean failed() {
    return failure.isPresent();
  }
}
