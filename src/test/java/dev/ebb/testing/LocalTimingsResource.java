package dev.ebb.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/**
 * Backend local's bounds shortened for tests: a copy the scheduler cannot place, or one that keeps
 * failing, counts as starting for {@link #UNSCHEDULABLE_TIMEOUT} instead of minutes. Like every
 * {@code @QuarkusTestResource} here it holds for every {@code @QuarkusTest} (they share one
 * application); only copies that {@link FakeNodeAgent} reports unschedulable (with {@link
 * FakeNodeAgent#gpus}) or failing (with {@link FakeNodeAgent#failFetches}) are affected.
 */
public class LocalTimingsResource implements QuarkusTestResourceLifecycleManager {
  public static final Duration UNSCHEDULABLE_TIMEOUT = Duration.ofSeconds(5);

  @Override
  public Map<String, String> start() {
    return Map.of("ebb.local.unschedulable-timeout", UNSCHEDULABLE_TIMEOUT.toSeconds() + "s");
  }

  @Override
  public void stop() {}
}
