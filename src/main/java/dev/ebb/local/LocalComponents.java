package dev.ebb.local;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * Writes a component's Deployment and Service, and its NetworkPolicy when the gateway's pods are
 * known ({@link ModelNetworkPolicy}). The desired state is server-side applied by the field manager
 * {@value #FIELD_MANAGER} and never includes {@code spec.replicas}; the copy count is set by a
 * plain create and afterwards only through the scale subresource (both ordinary updates, not
 * applies), so neither write undoes the other.
 */
public final class LocalComponents {
  public static final String FIELD_MANAGER = "ebb";

  private LocalComponents() {}

  /**
   * Brings the Deployment and Service (and, with {@code gateway}, the NetworkPolicy) to their
   * desired state; a missing Deployment is created with {@code initialCopies}. Without {@code
   * gateway} no NetworkPolicy is written, and one written before is left alone (it goes with the
   * component).
   *
   * @return the Deployment as the API server holds it after the apply
   */
  public static Deployment apply(
      KubernetesClient client,
      InferenceComponent component,
      InferenceEndpoint endpoint,
      ModelFetcher fetcher,
      Optional<Deployment> existing,
      int initialCopies,
      Optional<GatewayPods> gateway) {
    // The policy first: a copy should never be reachable around the gateway, even briefly.
    gateway.ifPresent(
        pods ->
            client
                .resource(ModelNetworkPolicy.of(component, pods))
                .fieldManager(FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply());
    Deployment desired = ModelServerWorkload.deployment(component, endpoint, fetcher);
    if (existing.isEmpty()) {
      Deployment first =
          new DeploymentBuilder(desired).editSpec().withReplicas(initialCopies).endSpec().build();
      try {
        client.resource(first).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // Created by an earlier pass the informer had not seen yet: apply below as usual.
      }
    }
    Deployment applied =
        client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    client
        .resource(ModelServerWorkload.service(component))
        .fieldManager(FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
    return applied;
  }

  /**
   * Sets the copy count through the Deployment's scale subresource: one merge patch, no read first
   * (waking from zero waits on this call). The patch goes through {@code resource(deployment)}: by
   * name alone, fabric8 would GET the Deployment before patching (a round trip, and a permission
   * the Helm chart does not grant).
   */
  public static void scale(KubernetesClient client, Deployment deployment, int copies) {
    client
        .resource(deployment)
        .subresource("scale")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + copies + "}}");
  }
}
