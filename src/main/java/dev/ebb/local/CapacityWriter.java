package dev.ebb.local;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Where the local autoscaler writes a decision (the Flink autoscaler's executor port): the
 * Deployment's scale subresource in the operator, a list in a test.
 */
public interface CapacityWriter {
  /**
   * Sets {@code deployment}'s replicas to {@code copies}.
   *
   * @throws RuntimeException when the write was refused (the decision did not take effect)
   */
  void scale(Deployment deployment, int copies);
}
