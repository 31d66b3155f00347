package dev.ebb.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The operator's clock in {@code @QuarkusTest}s: real time plus an offset a test may move, so a
 * schedule can be driven to "Friday 18:00 in Paris" while everything else (informers, the loop's
 * tick, the fake node agent) runs in real time. The offset is zero unless a test sets it, and a
 * test that sets it resets it.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** From now on, the clock reads {@code instant} and runs on from there. */
  public void setTo(Instant instant) {
    offset = Duration.between(Instant.now(), instant);
  }

  /** Moves the clock forward by {@code by}. */
  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  public void reset() {
    offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
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
