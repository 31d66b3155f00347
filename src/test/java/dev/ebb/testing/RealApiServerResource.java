package dev.ebb.testing;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} operator at the shared real API server (CRDs installed), so the
 * reconcilers run exactly as in production: informers, server-side apply, status subresource.
 */
public class RealApiServerResource implements QuarkusTestResourceLifecycleManager {
  private static final String PREFIX = "quarkus.kubernetes-client.";

  @Override
  public Map<String, String> start() {
    Config config = EmbeddedApiServer.config();
    Map<String, String> properties = new HashMap<>();
    properties.put(PREFIX + "api-server-url", config.getMasterUrl());
    properties.put(PREFIX + "trust-certs", "false");
    // kube-api-test's kubeconfig names certificate files; inline data is handled for other setups.
    putEither(properties, "ca-cert", config.getCaCertFile(), config.getCaCertData());
    putEither(properties, "client-cert", config.getClientCertFile(), config.getClientCertData());
    putEither(properties, "client-key", config.getClientKeyFile(), config.getClientKeyData());
    if (config.getClientKeyAlgo() != null) {
      properties.put(PREFIX + "client-key-algo", config.getClientKeyAlgo());
    }
    return properties;
  }

  private static void putEither(
      Map<String, String> properties, String key, String file, String data) {
    if (file != null) {
      properties.put(PREFIX + key + "-file", file);
    } else if (data != null) {
      properties.put(PREFIX + key + "-data", data);
    }
  }

  @Override
  public void stop() {
    // The server is shared by the whole JVM and stopped by its shutdown hook.
  }
}
