package dev.ebb.whatif;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Simulated time: it moves only when the simulation moves it, and only forward. */
final class SimulatedClock extends Clock {
  private Instant now;

  SimulatedClock(Instant start) {
    this.now = start;
  }

  void moveTo(Instant to) {
    if (to.isBefore(now)) {
      throw new IllegalStateException("simulated time cannot go back from " + now + " to " + to);
    }
    now = to;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The same simulated time, read in {@code zone}. */
  @Override
  public Clock withZone(ZoneId zone) {
    SimulatedClock time = this;
    return new Clock() {
      @Override
      public Instant instant() {
        return time.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return time.withZone(other);
      }
    };
  }
}
