package dev.ebb.gateway.copies;

import dev.ebb.local.ComponentKey;
import dev.ebb.local.CopyLoad;
import dev.ebb.local.LocalMetrics;
import java.util.function.Consumer;

/**
 * Backend local's demand: the policy engine hears every change of held requests at once ({@link
 * LocalMetrics#holding}), and so do the peers ({@link HeldDemand}); once a second it also gets what
 * it tracks per component, concurrent requests and invocations per copy.
 */
final class PolicyEngineDemand implements Demand {
  private final LocalMetrics metrics;
  private final Consumer<HeldDemand> peers;

  PolicyEngineDemand(LocalMetrics metrics, Consumer<HeldDemand> peers) {
    this.metrics = metrics;
    this.peers = peers;
  }

  @Override
  public void arrived(ComponentKey component) {
    metrics.of(component).requestArrived();
  }

  @Override
  public void holding(ComponentKey component, int held) {
    metrics.holding(component, held);
    peers.accept(new HeldDemand(component, held));
  }

  @Override
  public void load(ComponentKey component, CopyLoad load) {
    load.recordInto(metrics.of(component));
  }

  @Override
  public void forget(ComponentKey component) {
    metrics.forget(component);
  }
}
