package dev.ebb.local;

import dev.ebb.api.v1alpha1.InferenceComponent;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

/**
 * The NetworkPolicy that keeps a component's copies reachable only through the gateway: it selects
 * the component's pods and admits ingress, on any port, only from Ebb's own pods ({@link
 * GatewayPods}: their namespace and labels). Without it any pod of the cluster could call a model
 * Service directly, around {@code spec.access}. Kubelet probes are not pod traffic and still reach
 * the copies. It is owned by the component (garbage-collected with it) and named like its
 * Deployment and Service. Pure.
 *
 * <p>A NetworkPolicy is only as good as the cluster's network plugin: one that does not enforce
 * them (e.g. the plain bridge plugin) accepts the object and lets everything through.
 */
public final class ModelNetworkPolicy {
  /** Kubernetes sets this label on every namespace (1.21+): the namespace by name. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private ModelNetworkPolicy() {}

  public static NetworkPolicy of(InferenceComponent component, GatewayPods gateway) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(ModelServerWorkload.name(component))
        .withNamespace(component.getMetadata().getNamespace())
        .withLabels(ModelServerWorkload.labels(component))
        .withOwnerReferences(ModelServerWorkload.ownedBy(component))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels(ModelServerWorkload.COMPONENT_LABEL, component.getMetadata().getName())
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewNamespaceSelector()
        .addToMatchLabels(NAMESPACE_NAME_LABEL, gateway.namespace())
        .endNamespaceSelector()
        .withNewPodSelector()
        .addToMatchLabels(gateway.labels())
        .endPodSelector()
        .endFrom()
        .endIngress()
        .endSpec()
        .build();
  }
}
