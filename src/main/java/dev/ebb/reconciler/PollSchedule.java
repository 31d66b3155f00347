package dev.ebb.reconciler;

import java.time.Duration;

/**
 * When to look at an object's cloud resources again. The spread is a fixed fraction per object
 * (from its UID), so each object keeps a steady rhythm, different objects are spread out, and tests
 * are deterministic.
 */
public final class PollSchedule {
  private final Duration transitioning;
  private final Duration steady;
  private final double jitter;

  public PollSchedule(Duration transitioning, Duration steady, double jitter) {
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
    this.transitioning = transitioning;
    this.steady = steady;
    this.jitter = jitter;
  }

  /** The delay before the next look at an object whose resources are changing state. */
  public Duration whileTransitioning(String uid) {
    return spread(transitioning, uid);
  }

  /** The delay before the next drift check of a steady object. */
  public Duration whileSteady(String uid) {
    return spread(steady, uid);
  }

  /** The delay of the first look after a failed pass: {@link Retries} doubles it from there. */
  Duration transitioning() {
    return transitioning;
  }

  /** {@code base} plus this schedule's jitter, a stable fraction of it per {@code key}. */
  Duration spread(Duration base, String key) {
    // A stable fraction in [0, 1) per key.
    double fraction = (Integer.toUnsignedLong(key.hashCode()) % 10_000) / 10_000.0;
    return base.plusMillis(Math.round(base.toMillis() * jitter * fraction));
  }
}
