package dev.ebb.testing;

/** Manifests the backend local ITs share. */
public final class LocalManifests {
  private LocalManifests() {}

  /**
   * A local endpoint {@code cpu} and a component {@code tiny} on it (no model data, no GPU), as a
   * multi-document YAML ending with a separator.
   */
  public static String cpuComponent(int copies) {
    return cpuComponent(copies, "");
  }

  /** The same, with the endpoint's {@code spec.local} settings (flow style, without braces). */
  public static String cpuComponent(int copies, String local) {
    return cpuComponent(copies, local, "");
  }

  /**
   * The same, with the endpoint's {@code spec.local} settings and extra lines of its spec (each
   * indented by two spaces and ending with a newline), e.g. {@code spec.access}.
   */
  public static String cpuComponent(int copies, String local, String moreSpec) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: cpu}
        spec:
          backend: local
          variants: [{name: AllTraffic}]
          local: {%s}
        %s---
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
        .formatted(local, moreSpec, copies);
  }
}
