package dev.ebb.local;

/** Manifests the backend local ITs share. */
final class LocalManifests {
  private LocalManifests() {}

  /**
   * A local endpoint {@code cpu} and a component {@code tiny} on it (no model data, no GPU), as a
   * multi-document YAML ending with a separator.
   */
  static String cpuComponent(int copies) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: cpu}
        spec:
          backend: local
          variants: [{name: AllTraffic}]
        ---
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: tiny}
        spec:
          endpointRef: {name: cpu}
          model: {image: 'ghcr.io/example/tiny-model-server:1'}
          resources: {memoryMb: 512}
          copies: %d
        ---
        """
        .formatted(copies);
  }
}
