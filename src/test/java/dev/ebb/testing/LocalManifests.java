package dev.ebb.testing;

/** Manifests the backend local ITs share. */
public final class LocalManifests {
  private LocalManifests() {}

  /**
   * The endpoint's {@code spec.access} in the manifests below unless a test gives its own: open to
   * every caller, since these tests are about serving, not access (an endpoint without {@code
   * spec.access} accepts only ServiceAccount tokens of its namespace; GatewayAccessIT tests that).
   */
  public static final String PUBLIC = "  access: {public: true}\n";

  /**
   * A public local endpoint {@code cpu} ({@link #PUBLIC}) and a component {@code tiny} on it (no
   * model data, no GPU), as a multi-document YAML ending with a separator.
   */
  public static String cpuComponent(int copies) {
    return cpuComponent(copies, "");
  }

  /** The same, with the endpoint's {@code spec.local} settings (flow style, without braces). */
  public static String cpuComponent(int copies, String local) {
    return cpuComponent(copies, local, PUBLIC);
  }

  /**
   * The same, with the endpoint's {@code spec.local} settings and extra lines of its spec (each
   * indented by two spaces and ending with a newline), e.g. {@code spec.access}; without {@link
   * #PUBLIC} among them the endpoint has the default access (ServiceAccount tokens of its
   * namespace) or the one they give.
   */
  public static String cpuComponent(int copies, String local, String moreSpec) {
    return component(copies, local, moreSpec, "{memoryMb: 512}");
  }

  /**
   * The same endpoint and component, but each copy asks for one GPU ({@code acceleratorCount: 1},
   * so its pod requests {@code nvidia.com/gpu: 1}; see {@link FakeNodeAgent#gpus}).
   */
  public static String gpuComponent(int copies) {
    return component(copies, "", PUBLIC, "{memoryMb: 512, acceleratorCount: 1}");
  }

  /**
   * The same endpoint and component, with model data to fetch ({@value #MODEL_DATA_URL}), so each
   * copy's pod has the fetch-model init container (see {@link FakeNodeAgent#failFetches}).
   */
  public static String fetchingComponent(int copies) {
    return component(
        copies,
        "",
        PUBLIC,
        "{memoryMb: 512}",
        "{image: 'ghcr.io/example/tiny-model-server:1', modelDataUrl: '" + MODEL_DATA_URL + "'}");
  }

  /** The model data of {@link #fetchingComponent}. */
  public static final String MODEL_DATA_URL = "s3://models/tiny/model.tar.gz";

  private static String component(int copies, String local, String moreSpec, String resources) {
    return component(
        copies, local, moreSpec, resources, "{image: 'ghcr.io/example/tiny-model-server:1'}");
  }

  private static String component(
      int copies, String local, String moreSpec, String resources, String model) {
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
          model: %s
          resources: %s
          copies: %d
        ---
        """
        .formatted(local, moreSpec, model, resources, copies);
  }

  /**
   * A ScalingPolicy {@code tiny} on the component {@code tiny}: 0 to {@code maxCapacity} copies,
   * woken from zero by one copy on demand, as a YAML document.
   */
  public static String wakePolicy(int maxCapacity) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: tiny}
        spec:
          targetRef: {kind: InferenceComponent, name: tiny}
          minCapacity: 0
          maxCapacity: %d
          scaleFromZero: {adjustment: 1}
        """
        .formatted(maxCapacity);
  }

  /** The same, which also scales to zero after {@code idleSeconds} without requests. */
  public static String wakePolicy(int maxCapacity, int idleSeconds) {
    return wakePolicy(maxCapacity)
        + "  idle: {scaleToZeroAfterSeconds: %d}\n".formatted(idleSeconds);
  }

  /** Waits until the autoscaling loop tracks policy {@code tiny} of {@code ns}. */
  public static void awaitPolicyTracked(TestNamespace ns) {
    awaitPolicyTracked(ns.client(), ns.name(), ns.timeout());
  }

  /** Waits until the autoscaling loop tracks policy {@code tiny} (its status says so). */
  public static void awaitPolicyTracked(
      io.fabric8.kubernetes.client.KubernetesClient client,
      String namespace,
      java.time.Duration timeout) {
    org.awaitility.Awaitility.await()
        .atMost(timeout)
        .until(
            () ->
                client
                    .resources(dev.ebb.api.v1alpha1.ScalingPolicy.class)
                    .inNamespace(namespace)
                    .withName("tiny")
                    .get(),
            p -> p != null && p.getStatus() != null && p.getStatus().local() != null);
  }

  /** Waits until the component {@code tiny} of {@code ns} has {@code n} ready copies. */
  public static void awaitReadyCopies(TestNamespace ns, int n) {
    awaitReadyCopies(ns.client(), ns.name(), n, ns.timeout());
  }

  /** Waits until the component {@code tiny}'s Deployment reports {@code n} ready copies. */
  public static void awaitReadyCopies(
      io.fabric8.kubernetes.client.KubernetesClient client,
      String namespace,
      int n,
      java.time.Duration timeout) {
    org.awaitility.Awaitility.await()
        .atMost(timeout)
        .until(
            () -> client.apps().deployments().inNamespace(namespace).withName("tiny").get(),
            d ->
                d != null
                    && d.getStatus() != null
                    && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() == n);
  }
}
