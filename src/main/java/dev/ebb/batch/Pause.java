package dev.ebb.batch;

import java.time.Duration;

/** Waiting, a port so tests step a clock instead of sleeping. */
@FunctionalInterface
public interface Pause {
  void sleep(Duration duration) throws InterruptedException;

  Pause REAL = d -> Thread.sleep(d.toMillis());
}
