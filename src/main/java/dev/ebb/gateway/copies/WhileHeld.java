package dev.ebb.gateway.copies;

import dev.ebb.local.ComponentKey;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A task run per component every {@code period} while requests are held for it: how a {@link
 * CopySource} looks for a component's next copy (probing its starting copies on backend local,
 * DescribeInferenceComponent on backend sagemaker). The first held request starts it; the first run
 * that finds nothing held stops it, so a component nobody waits for costs nothing.
 */
public final class WhileHeld {
  private final Vertx vertx;
  private final Duration period;
  private final Predicate<ComponentKey> holding;
  private final Consumer<ComponentKey> onStart;
  private final Consumer<ComponentKey> task;
  private final Map<ComponentKey, Long> timers = new ConcurrentHashMap<>();

  /**
   * @param holding whether requests are held for a component now
   * @param onStart runs each time the task starts for a component (once per spell of holding)
   * @param task runs every {@code period} while requests are held
   */
  public WhileHeld(
      Vertx vertx,
      Duration period,
      Predicate<ComponentKey> holding,
      Consumer<ComponentKey> onStart,
      Consumer<ComponentKey> task) {
    this.vertx = vertx;
    this.period = period;
    this.holding = holding;
    this.onStart = onStart;
    this.task = task;
  }

  /** Requests are held for {@code component}: runs the task until none are (if not running yet). */
  public void start(ComponentKey component) {
    timers.computeIfAbsent(
        component,
        k -> {
          onStart.accept(k);
          return vertx.setPeriodic(period.toMillis(), id -> tick(k, id));
        });
  }

  public boolean running(ComponentKey component) {
    return timers.containsKey(component);
  }

  /** The component is gone: no more runs. */
  public void stop(ComponentKey component) {
    Long timer = timers.remove(component);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  public void stopAll() {
    timers.keySet().forEach(this::stop);
  }

  private void tick(ComponentKey component, long timer) {
    if (holding.test(component)) {
      task.accept(component);
      return;
    }
    vertx.cancelTimer(timer);
    timers.remove(component, timer);
    // A request held between the test and the removal found the timer still there: start again.
    if (holding.test(component)) {
      start(component);
    }
  }
}
