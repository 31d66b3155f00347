package dev.ebb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.testing.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

class CrdInstallIT {
  @Test
  void crdsAreEstablishedOnARealApiServer() {
    try (KubernetesClient client = EmbeddedApiServer.newClient()) {
      assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("34");
      assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
          .extracting(c -> c.getMetadata().getName())
          .contains(
              "inferenceendpoints.ebb.dev",
              "inferencecomponents.ebb.dev",
              "scalingpolicies.ebb.dev");
    }
  }
}
