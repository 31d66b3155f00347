package dev.ebb.reconciler.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The warning about a public endpoint: only while its status does not say Public yet. */
class PublicAccessWarningTest {
  private static InferenceEndpoint endpoint(String access, String statusAccess) {
    InferenceEndpoint endpoint =
        Serialization.unmarshal(
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: open, namespace: ml, generation: 2, uid: u-1}
            spec: {backend: local, variants: [{name: AllTraffic}]%s}
            """
                .formatted(access),
            InferenceEndpoint.class);
    if (statusAccess != null) {
      endpoint.setStatus(
          new InferenceEndpointStatus(
              2L,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              statusAccess,
              null,
              null,
              null));
    }
    return endpoint;
  }

  @Test
  void aPublicEndpointWhoseStatusDoesNotSaySoYetIsWarnedAbout() {
    assertThat(PublicAccessWarning.message(endpoint(", access: {public: true}", null)))
        .hasValueSatisfying(
            m -> assertThat(m).contains("ml/open (generation 2)").contains("without a credential"));
    assertThat(PublicAccessWarning.message(endpoint(", access: {public: true}", "ServiceAccounts")))
        .isPresent();
  }

  @Test
  void noWarningOnceTheStatusSaysPublicOrWhenTheEndpointIsNotPublic() {
    assertThat(PublicAccessWarning.message(endpoint(", access: {public: true}", "Public")))
        .isEmpty();
    assertThat(PublicAccessWarning.message(endpoint("", null))).isEmpty();
    assertThat(
            PublicAccessWarning.message(
                endpoint(", access: {apiKeys: {secretRef: {name: k}}}", null)))
        .isEmpty();
  }

  @Test
  void oncePerGenerationEvenBeforeTheStatusSaysPublic() {
    PublicAccessWarning warning = new PublicAccessWarning();
    InferenceEndpoint open = endpoint(", access: {public: true}", null);

    assertThat(warning.logIfNew(open)).isTrue();
    assertThat(warning.logIfNew(open)).as("the same generation, status not yet back").isFalse();
    open.getMetadata().setGeneration(3L);
    assertThat(warning.logIfNew(open)).as("a new generation still public").isTrue();
    assertThat(warning.logIfNew(endpoint(", access: {public: true}", "Public"))).isFalse();

    // Closed, then opened again at the same generation number seen before: warned again.
    assertThat(warning.logIfNew(endpoint("", null))).isFalse();
    open.getMetadata().setGeneration(2L);
    assertThat(warning.logIfNew(open)).isTrue();
  }
}
