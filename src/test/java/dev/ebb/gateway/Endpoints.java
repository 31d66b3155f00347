package dev.ebb.gateway;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Endpoints as the handlers' tests need them. */
public final class Endpoints {
  private Endpoints() {}

  /** An endpoint {@code ns/name} with {@code spec} (YAML flow mappings, e.g. "backend: local"). */
  public static InferenceEndpoint endpoint(String name, String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: %s, namespace: ns}
        spec: {%s}
        """
            .formatted(name, spec),
        InferenceEndpoint.class);
  }
}
