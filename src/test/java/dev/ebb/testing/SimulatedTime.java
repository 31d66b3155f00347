package dev.ebb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Moving a simulator's frozen {@link SimulatorClock} while the operator runs in real time: a step
 * of simulated time, then a pause in real time so the operator's polls (every second while
 * something is in transition) see it, until a condition holds.
 */
public final class SimulatedTime {
  private SimulatedTime() {}

  /**
   * Advances {@code clock} by {@code step}, pausing {@code pauseMillis} after each, until {@code
   * done}; fails once more than {@code most} simulated time has passed. Answers the time passed.
   */
  public static Duration advanceUntil(
      SimulatorClock clock, Duration step, long pauseMillis, BooleanSupplier done, Duration most)
      throws InterruptedException {
    Duration passed = Duration.ZERO;
    while (!done.getAsBoolean()) {
      assertThat(passed).as("simulated time spent waiting").isLessThanOrEqualTo(most);
      clock.advance(step);
      passed = passed.plus(step);
      Thread.sleep(pauseMillis);
    }
    return passed;
  }
}
