package dev.ebb.sagemaker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Ebb's own limit on SageMaker List calls, shared by every reconciler of the process: a token
 * bucket that holds up to {@code burst} calls and refills at {@code perSecond}. Passes find what
 * Ebb made by name; a List is left only where a name cannot say (an object an earlier Ebb made
 * without recording its models, the components on an endpoint before it is deleted), and an upgrade
 * or a mass delete could otherwise send a burst of them, each paginating through the account. A
 * List that finds the bucket empty is not made: the pass ends as throttled, and the reconciler
 * tries again with its backoff. Never blocks.
 */
public final class ListBudget {
  /** The process's budget: 5 List calls per second, 20 at once. */
  static final ListBudget SHARED = new ListBudget(Clock.systemUTC(), 5, 20);

  /** The error code of a List that Ebb did not make because the budget was spent. */
  public static final String ERROR_CODE = "EbbListBudgetSpent";

  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private double tokens;
  private Instant refilled;

  ListBudget(Clock clock, double perSecond, double burst) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.refilled = clock.instant();
  }

  /** Takes one call from the budget; false when it is spent (nothing is taken then). */
  synchronized boolean tryTake() {
    Instant now = clock.instant();
    double elapsed = Math.max(0, Duration.between(refilled, now).toNanos() / 1e9);
    tokens = Math.min(burst, tokens + elapsed * perSecond);
    refilled = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /** The failure a pass ends with when {@code operation} finds the budget spent. */
  AwsFailure spent(String operation) {
    return new AwsFailure(
        AwsErrorKind.THROTTLED,
        ERROR_CODE,
        "Ebb makes at most "
            + (int) perSecond
            + " SageMaker List calls per second ("
            + (int) burst
            + " at once); this "
            + operation
            + " waits for a later pass.",
        operation);
  }
}
