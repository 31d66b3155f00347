package dev.ebb.gateway.copies;

import dev.ebb.local.ComponentKey;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where {@link CopyRouter} learns a component's copies: on backend local {@link CopyProbes} over
 * {@link CopyWatch}; on backend sagemaker the pass-through's DescribeInferenceComponent poll; a
 * hand-written double in tests.
 */
public interface CopySource {
  /**
   * Starts; {@code holding} tells whether requests are held for a component, {@code onChange} hears
   * every change of a component's routable copies.
   */
  void start(Predicate<ComponentKey> holding, Consumer<ComponentKey> onChange);

  /** The addresses requests for {@code component} may go to now. */
  List<String> routable(ComponentKey component);

  /**
   * The copies whose pod is Ready: what the policy engine counts copies by (0: nothing to count).
   */
  int ready(ComponentKey component);

  /** Requests are held for {@code component}: look for its next copy until none are. */
  void probeWhileHolding(ComponentKey component);

  /** The component is gone. */
  void forget(ComponentKey component);
}
