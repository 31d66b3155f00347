package dev.ebb.local;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The port through which the gateway feeds backend local's policy engine: per-component metrics
 * ({@link ComponentMetrics}), and demand, which is also a signal: requests held for a component at
 * zero copies make the autoscaling loop evaluate its policies at once, not on the next tick.
 */
@ApplicationScoped
public class LocalMetrics {
  private final Clock clock;
  private final Map<ComponentKey, ComponentMetrics> components = new ConcurrentHashMap<>();
  private volatile Consumer<ComponentKey> demandListener = key -> {};

  public LocalMetrics(Clock clock) {
    this.clock = clock;
  }

  /** The metrics of one component (created on first use). */
  public ComponentMetrics of(ComponentKey component) {
    return components.computeIfAbsent(component, k -> new ComponentMetrics(clock));
  }

  /**
   * {@code held} requests for {@code component} are waiting for a copy. A positive count counts as
   * a request and wakes the component's policies now.
   */
  public void holding(ComponentKey component, int held) {
    ComponentMetrics metrics = of(component);
    metrics.holding(held);
    if (held > 0) {
      metrics.requestArrived();
      demandListener.accept(component);
    }
  }

  /**
   * Another gateway replica, {@code source}, holds {@code held} requests for {@code component}: its
   * demand counts as this replica's would, and wakes the component's policies now.
   */
  public void remoteHolding(String source, ComponentKey component, int held) {
    of(component).remoteHolding(source, held);
    if (held > 0) {
      demandListener.accept(component);
    }
  }

  /** Every component with metrics on this replica. */
  public Map<ComponentKey, ComponentMetrics> all() {
    return Map.copyOf(components);
  }

  /** Drops a component's metrics (its object is gone). */
  public void forget(ComponentKey component) {
    components.remove(component);
  }

  /** Who is told about demand: the autoscaling loop. */
  void onDemand(Consumer<ComponentKey> listener) {
    this.demandListener = listener;
  }
}
