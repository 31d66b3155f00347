package dev.ebb.testing;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * ServiceAccount tokens as a caller of the gateway gets them (a TokenRequest, as {@code kubectl
 * create token} or a projected volume does): what an endpoint without {@code spec.access} accepts.
 */
public final class ServiceAccountTokens {
  private ServiceAccountTokens() {}

  /** The gateway's default token audience ({@code ebb.gateway.token-audience}). */
  public static final String GATEWAY_AUDIENCE = "ebb-gateway";

  /**
   * A 10-minute token of ServiceAccount {@code namespace/name} (created if missing) for {@code
   * audience}; null: the API server's own audience.
   */
  public static String issue(
      KubernetesClient client, String namespace, String name, String audience) {
    var account =
        client
            .serviceAccounts()
            .inNamespace(namespace)
            .resource(
                new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build());
    if (account.get() == null) {
      account.create();
    }
    var spec = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L);
    if (audience != null) {
      spec.withAudiences(audience);
    }
    return client
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(name)
        .tokenRequest(spec.endSpec().build())
        .getStatus()
        .getToken();
  }
}
