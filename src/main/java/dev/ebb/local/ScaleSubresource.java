package dev.ebb.local;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Singleton;

/** Decisions written through the Deployment's scale subresource, as HPA and KEDA do. */
@Singleton
public class ScaleSubresource implements CapacityWriter {
  private final KubernetesClient client;

  public ScaleSubresource(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void scale(Deployment deployment, int copies) {
    LocalComponents.scale(client, deployment, copies);
  }
}
