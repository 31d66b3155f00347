package dev.ebb.gateway.copies;

import dev.ebb.local.ComponentKey;
import dev.ebb.local.CopyLoad;

/**
 * What one plane's demand drives, as {@link CopyRouter} reports it. The hold queue is the same on
 * both planes; what listens to it is not. Backend local's policy engine scales on it, so it hears
 * every request and every change of held requests, and the peers hear them too ({@link
 * PolicyEngineDemand}). On backend sagemaker nobody listens: SageMaker counts its own invocations,
 * and the pass-through wakes a component itself ({@link #NONE}).
 */
public interface Demand {
  /** A request arrived for {@code component} (sent or held). */
  void arrived(ComponentKey component);

  /** {@code held} requests are held for {@code component} now; more than 0 wakes it. */
  void holding(ComponentKey component, int held);

  /** Once a second, per component with a ready copy: its requests in flight and per minute. */
  void load(ComponentKey component, CopyLoad load);

  /** The component is gone. */
  void forget(ComponentKey component);

  /** Nobody listens. */
  Demand NONE =
      new Demand() {
        @Override
        public void arrived(ComponentKey component) {}

        @Override
        public void holding(ComponentKey component, int held) {}

        @Override
        public void load(ComponentKey component, CopyLoad load) {}

        @Override
        public void forget(ComponentKey component) {}
      };
}
