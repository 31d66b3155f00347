package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.api.v1alpha1.InferenceComponent;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A component's NetworkPolicy: its pods, and only Ebb's pods as a source. */
class ModelNetworkPolicyTest {
  private static final InferenceComponent COMPONENT =
      Serialization.unmarshal(
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceComponent
          metadata: {name: llama-8b, namespace: models, uid: 0f6c6c5e-0000-4000-8000-000000000001}
          spec:
            endpointRef: {name: llama}
            variant: AllTraffic
            model: {image: tgi:2}
            resources: {memoryMb: 16384}
          """,
          InferenceComponent.class);

  private static final GatewayPods EBB =
      new GatewayPods(
          "ebb-system",
          Map.of("app.kubernetes.io/name", "ebb", "app.kubernetes.io/instance", "ebb"));

  @Test
  void selectsTheComponentsPodsAndAdmitsOnlyEbbsPodsInEbbsNamespace() {
    NetworkPolicy policy = ModelNetworkPolicy.of(COMPONENT, EBB);

    assertThat(policy.getMetadata().getName()).isEqualTo("llama-8b");
    assertThat(policy.getMetadata().getNamespace()).isEqualTo("models");
    assertThat(policy.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("InferenceComponent");
              assertThat(o.getUid()).isEqualTo("0f6c6c5e-0000-4000-8000-000000000001");
              assertThat(o.getController()).isTrue();
            });
    // The same selector as the Service's: exactly this component's copies.
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(ModelServerWorkload.service(COMPONENT).getSpec().getSelector());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).singleElement();
    assertThat(policy.getSpec().getIngress().get(0).getPorts()).isNullOrEmpty();
    NetworkPolicyPeer from = policy.getSpec().getIngress().get(0).getFrom().get(0);
    assertThat(policy.getSpec().getIngress().get(0).getFrom()).hasSize(1);
    // One peer with both selectors: pods with Ebb's labels AND in Ebb's namespace.
    assertThat(from.getNamespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "ebb-system"));
    assertThat(from.getPodSelector().getMatchLabels()).isEqualTo(EBB.labels());
  }

  @Test
  void gatewayPodsAreKnownOnlyWhenEnabledWithNamespaceAndSelector() {
    assertThat(
            GatewayPods.of(
                true,
                Optional.of("ebb-system"),
                Optional.of("app.kubernetes.io/name=ebb, app.kubernetes.io/instance=prod")))
        .hasValue(
            new GatewayPods(
                "ebb-system",
                Map.of("app.kubernetes.io/name", "ebb", "app.kubernetes.io/instance", "prod")));
    assertThat(GatewayPods.of(false, Optional.of("ebb-system"), Optional.of("a=b"))).isEmpty();
    assertThat(GatewayPods.of(true, Optional.empty(), Optional.of("a=b"))).isEmpty();
    assertThat(GatewayPods.of(true, Optional.of("ebb-system"), Optional.empty())).isEmpty();
    assertThatThrownBy(() -> GatewayPods.of(true, Optional.of("x"), Optional.of("a!=b")))
        .hasMessageContaining("ebb.local.network-policy.gateway-selector");
  }
}
