package dev.ebb.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of {@link SimulatorResource}'s simulator: wall time, unless a test freezes it to move
 * it by hand (hours of SageMaker's scaling in seconds) and resumes it after. It never goes back:
 * resumed, it runs on from where the test left it.
 */
public final class SimulatorClock extends Clock {
  private volatile Duration offset = Duration.ZERO;
  private volatile Instant frozen;

  /** Stops the clock where it is; from now on only {@link #advance} moves it. */
  public synchronized void freeze() {
    if (frozen == null) {
      frozen = instant();
    }
  }

  /** Moves the clock forward by {@code by}. */
  public synchronized void advance(Duration by) {
    if (frozen != null) {
      frozen = frozen.plus(by);
    } else {
      offset = offset.plus(by);
    }
  }

  /**
   * Freezes the clock at the next Monday 10:00 UTC (forward only), so a test's schedules see the
   * same week day whatever day it runs on: the samples' scheduled actions fire on Friday evening
   * and Monday morning, Paris time.
   */
  public synchronized void freezeAtNextMonday() {
    freeze();
    java.time.ZonedDateTime now = frozen.atZone(ZoneOffset.UTC);
    java.time.ZonedDateTime monday =
        now.with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.MONDAY))
            .withHour(10)
            .withMinute(0)
            .withSecond(0)
            .withNano(0);
    frozen = monday.toInstant();
  }

  /** Lets the clock run in real time again, from where it stands. */
  public synchronized void resume() {
    if (frozen != null) {
      offset = Duration.between(Instant.now(), frozen);
      frozen = null;
    }
  }

  @Override
  public Instant instant() {
    Instant f = frozen;
    return f != null ? f : Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
