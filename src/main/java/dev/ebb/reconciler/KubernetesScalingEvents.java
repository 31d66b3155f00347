package dev.ebb.reconciler;

import dev.ebb.local.ScalingEvents;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Singleton;
import java.time.Instant;

/** The local autoscaler's activities as Normal Events on the ScalingPolicy. */
@Singleton
public class KubernetesScalingEvents implements ScalingEvents {
  private final KubernetesClient client;

  public KubernetesScalingEvents(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void scaled(HasMetadata policy, String direction, String message, Instant at) {
    Events.record(client, policy, "Normal", direction, message, at);
  }
}
