package dev.ebb.reconciler;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Beans the reconcilers share. A Clock is injected so tests can control time. */
public class ReconcilerBeans {
  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
