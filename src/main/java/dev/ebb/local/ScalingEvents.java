package dev.ebb.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;

/**
 * Where the local autoscaler tells of what it did (the Flink autoscaler's event handler port): a
 * Kubernetes Event on the policy in the operator, a list in a test. It is given, not looked up, so
 * {@code local} needs nothing from the reconcilers.
 */
public interface ScalingEvents {
  /**
   * One scaling activity on {@code policy}.
   *
   * @param direction {@code ScaledOut} or {@code ScaledIn}, the event's reason
   */
  void scaled(HasMetadata policy, String direction, String message, Instant at);
}
