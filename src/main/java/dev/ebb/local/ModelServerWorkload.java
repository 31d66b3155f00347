package dev.ebb.local;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceComponentSpec;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.ModelSpec;
import dev.ebb.api.v1alpha1.StartupSpec;
import dev.ebb.sagemaker.ModelFetch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Deployment and Service that run one InferenceComponent on the cluster under SageMaker's
 * container contract: the image is started with the argument {@code serve} and serves {@code GET
 * /ping} and {@code POST /invocations} on port 8080, with the model data in {@code /opt/ml/model},
 * fetched from S3 by an init container (Ebb's own fetcher) before the server starts. Pods run as
 * the endpoint's {@code spec.local.serviceAccountName} (for IRSA or Pod Identity) without a
 * Kubernetes API token, and get a memory-backed {@code /dev/shm}. Pure: the same component,
 * endpoint and fetcher settings always give the same objects.
 *
 * <p>The Deployment carries no {@code spec.replicas}: the copy count is written only through its
 * scale subresource (by the autoscaling loop, or from {@code spec.copies} when no policy owns it),
 * so this desired state never fights over it.
 */
public final class ModelServerWorkload {
  public static final int PORT = 8080;
  public static final String MODEL_DIR = "/opt/ml/model";

  /** The model server's container in a copy's pod. */
  public static final String SERVER_CONTAINER = "model-server";

  public static final String COMPONENT_LABEL = "ebb.dev/inference-component";
  public static final String ENDPOINT_LABEL = "ebb.dev/inference-endpoint";
  public static final String VARIANT_LABEL = "ebb.dev/variant";

  /** The init container that puts the model data into {@value #MODEL_DIR}. */
  public static final String SCRAPE_ANNOTATION = "prometheus.io/scrape";

  public static final String PORT_ANNOTATION = "prometheus.io/port";
  public static final String PATH_ANNOTATION = "prometheus.io/path";
  public static final String FETCH_CONTAINER = "fetch-model";

  /**
   * The model server's arguments. SageMaker starts a hosting container as {@code docker run IMAGE
   * serve}: the image's ENTRYPOINT receives {@code serve}, and SageMaker's own inference images
   * start their server only when given it (AWS, "Use your own inference code with hosting
   * services":
   * https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html). Passed as
   * args, not command, so the ENTRYPOINT still runs.
   */
  public static final List<String> SERVER_ARGS = List.of("serve");

  /**
   * Readiness: /ping every 10 s, 5 s to answer, 3 misses in a row. A copy leaves rotation only
   * after about 30 s without an answer, so a loaded server pausing (a long GC, a big batch) stays
   * in it.
   */
  static final int READINESS_PERIOD_SECONDS = 10;

  static final int READINESS_FAILURE_THRESHOLD = 3;

  /**
   * Startup: /ping every 5 s, 5 s to answer (never longer than the period, so the kubelet's probes
   * do not stretch the budget), for as many periods as the health-check timeout allows.
   */
  static final int STARTUP_PERIOD_SECONDS = 5;

  static final int PROBE_TIMEOUT_SECONDS = 5;

  /**
   * Both containers' {@code terminationMessagePolicy}: when a container fails without writing
   * {@code /dev/termination-log}, kubelet puts the tail of its log (at most 80 lines, 2 KiB) into
   * {@code lastState.terminated.message}, where the component's status reads why a copy keeps
   * failing ({@link FailingCopies}). Ebb's fetcher prints one line naming the URL and the reason; a
   * model server that will not start usually says why last.
   */
  static final String TERMINATION_MESSAGE_POLICY = "FallbackToLogsOnError";

  /** The memory-backed volume mounted at /dev/shm in the model server. */
  static final String SHARED_MEMORY_VOLUME = "dshm";

  /** The fetcher runs as the operator image's user (jboss, in Red Hat's OpenJDK images). */
  static final long FETCHER_USER = 185;

  private ModelServerWorkload() {}

  /** The name of a component's Deployment and Service. */
  public static String name(InferenceComponent component) {
    return component.getMetadata().getName();
  }

  /** Labels on the Deployment, the Service and every copy's pod. */
  public static Map<String, String> labels(InferenceComponent component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "ebb-model-server");
    labels.put("app.kubernetes.io/instance", component.getMetadata().getName());
    labels.put("app.kubernetes.io/managed-by", "ebb");
    labels.put(COMPONENT_LABEL, component.getMetadata().getName());
    labels.put(ENDPOINT_LABEL, component.getSpec().endpointRef().name());
    labels.put(VARIANT_LABEL, component.getSpec().variant());
    return labels;
  }

  /** Where a copy serves Prometheus metrics, if its component says so. */
  public static Optional<InferenceComponentSpec.Metrics> metrics(InferenceComponentSpec spec) {
    return Optional.ofNullable(spec.local()).map(InferenceComponentSpec.Local::metrics);
  }

  /** The conventional annotations Prometheus' Kubernetes discovery (and Ebb's scraper) read. */
  public static Map<String, String> scrapeAnnotations(InferenceComponentSpec spec) {
    return metrics(spec)
        .map(
            m ->
                Map.of(
                    SCRAPE_ANNOTATION, "true",
                    PORT_ANNOTATION, String.valueOf(m.port()),
                    PATH_ANNOTATION, m.pathOrDefault()))
        .orElse(Map.of());
  }

  private static List<ContainerPort> metricsPort(InferenceComponentSpec spec) {
    return metrics(spec)
        .filter(m -> m.port() != PORT)
        .map(
            m ->
                List.of(
                    new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                        .withName("metrics")
                        .withContainerPort(m.port())
                        .withProtocol("TCP")
                        .build()))
        .orElse(List.of());
  }

  /** The Deployment, without replicas (see the class comment). */
  public static Deployment deployment(
      InferenceComponent component, InferenceEndpoint endpoint, ModelFetcher fetcher) {
    InferenceComponentSpec spec = component.getSpec();
    ModelSpec model = spec.model();
    Map<String, String> labels = labels(component);
    Map<String, String> scrapeAnnotations = scrapeAnnotations(spec);
    var container =
        new ContainerBuilder()
            .withName(SERVER_CONTAINER)
            .withImage(model.image())
            .withArgs(SERVER_ARGS)
            .addNewPort()
            .withName("http")
            .withContainerPort(PORT)
            .withProtocol("TCP")
            .endPort()
            .addAllToPorts(metricsPort(spec))
            .withEnv(environment(model))
            .withResources(resources(spec.resources()))
            .withReadinessProbe(ping(READINESS_PERIOD_SECONDS, READINESS_FAILURE_THRESHOLD))
            .withStartupProbe(ping(STARTUP_PERIOD_SECONDS, startupPeriods(spec.startup())))
            .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
            .addNewVolumeMount()
            .withName("model")
            .withMountPath(MODEL_DIR)
            .withReadOnly(model.modelDataUrl() != null)
            .endVolumeMount()
            .addNewVolumeMount()
            .withName(SHARED_MEMORY_VOLUME)
            .withMountPath("/dev/shm")
            .endVolumeMount()
            .build();
    var pod =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name(component))
            .withNamespace(component.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(ownedBy(component))
            .endMetadata()
            .withNewSpec()
            .withProgressDeadlineSeconds(progressDeadlineSeconds(spec.startup()))
            .withNewSelector()
            .addToMatchLabels(COMPONENT_LABEL, component.getMetadata().getName())
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            // None at all without metrics: an empty map would read back as absent, a diff.
            .withAnnotations(scrapeAnnotations.isEmpty() ? null : scrapeAnnotations)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(serviceAccountName(endpoint))
            // A model server needs no Kubernetes API token. IRSA's and Pod Identity's webhooks
            // project their own token for AWS regardless.
            .withAutomountServiceAccountToken(false)
            .withContainers(container)
            .addNewVolume()
            .withName("model")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName(SHARED_MEMORY_VOLUME)
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity(sharedMemoryMb(spec.resources()) + "Mi"))
            .endEmptyDir()
            .endVolume()
            .withNodeSelector(nodeSelector(endpoint))
            .withTolerations(tolerations(endpoint))
            .endSpec()
            .endTemplate()
            .endSpec();
    if (model.modelDataUrl() != null) {
      pod.editSpec()
          .editTemplate()
          .editSpec()
          .withInitContainers(fetchContainer(model.modelDataUrl(), spec.startup(), fetcher))
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return pod.build();
  }

  /**
   * The init container that copies the model data into {@value #MODEL_DIR} within the download
   * timeout: Ebb's {@link ModelFetcher} (an S3 prefix object by object, a {@code .tar.gz} unpacked
   * as it streams), with the pod's credentials (its ServiceAccount's IRSA role or Pod Identity
   * association). Restricted Pod Security: it writes only to the model volume.
   */
  static Container fetchContainer(String modelDataUrl, StartupSpec startup, ModelFetcher fetcher) {
    List<EnvVar> env = new ArrayList<>();
    if (fetcher.s3Endpoint() != null && !fetcher.s3Endpoint().isBlank()) {
      env.add(new EnvVar(ModelFetch.ENDPOINT_ENV, fetcher.s3Endpoint(), null));
    }
    return new ContainerBuilder()
        .withName(FETCH_CONTAINER)
        .withImage(fetcher.image())
        .withCommand(ModelFetcher.command())
        .withArgs(ModelFetcher.args(modelDataUrl, MODEL_DIR, downloadTimeoutSeconds(startup)))
        .withEnv(env)
        .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
        .withResources(
            new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("512Mi"))
                .build())
        .withSecurityContext(restricted())
        .addNewVolumeMount()
        .withName("model")
        .withMountPath(MODEL_DIR)
        .endVolumeMount()
        .build();
  }

  /**
   * Restricted Pod Security for Ebb's own containers (the fetcher, the batcher): the operator
   * image's non-root user, no privilege escalation, a read-only root filesystem, no capabilities,
   * the runtime's seccomp profile.
   */
  static io.fabric8.kubernetes.api.model.SecurityContext restricted() {
    return new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(FETCHER_USER)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .addToDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * The size of /dev/shm in MiB: {@code resources.sharedMemoryMb}, else half of {@code memoryMb}.
   * Its pages count against the server's memory limit.
   */
  static int sharedMemoryMb(InferenceComponentSpec.Resources resources) {
    return resources.sharedMemoryMb() != null
        ? resources.sharedMemoryMb()
        : resources.memoryMb() / 2;
  }

  private static String serviceAccountName(InferenceEndpoint endpoint) {
    return Optional.ofNullable(endpoint.getSpec().local())
        .map(InferenceEndpointSpec.Local::serviceAccountName)
        .orElse(null);
  }

  /** A ClusterIP Service over the component's ready copies, on port 8080. */
  public static Service service(InferenceComponent component) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name(component))
        .withNamespace(component.getMetadata().getNamespace())
        .withLabels(labels(component))
        .withOwnerReferences(ownedBy(component))
        .endMetadata()
        .withNewSpec()
        .addToSelector(COMPONENT_LABEL, component.getMetadata().getName())
        .addNewPort()
        .withName("http")
        .withPort(PORT)
        .withNewTargetPort("http")
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * The component controls its Deployment, Service and NetworkPolicy: Kubernetes deletes them with
   * it.
   */
  static OwnerReference ownedBy(io.fabric8.kubernetes.api.model.HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static int downloadTimeoutSeconds(StartupSpec startup) {
    return startup == null ? StartupSpec.DEFAULT_SECONDS : startup.modelDownloadTimeout();
  }

  private static List<EnvVar> environment(ModelSpec model) {
    List<EnvVar> env = new ArrayList<>();
    // SageMaker's containers read these; local copies see the same contract.
    env.add(new EnvVar("SAGEMAKER_BIND_TO_PORT", String.valueOf(PORT), null));
    env.add(new EnvVar("SM_MODEL_DIR", MODEL_DIR, null));
    new TreeMap<>(Optional.ofNullable(model.environment()).orElse(Map.of()))
        .forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    return env;
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
      InferenceComponentSpec.Resources resources) {
    return resources(resources.memoryMb(), resources.cpuCores(), resources.acceleratorCount());
  }

  /**
   * A model server's requests and limits: memory as both (a server over it is killed, not slowed),
   * CPU as a request only, GPUs ({@code nvidia.com/gpu}) as both, as extended resources must be.
   */
  static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
      int memoryMb, Double cpuCores, Integer acceleratorCount) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    Quantity memory = new Quantity(memoryMb + "Mi");
    requests.put("memory", memory);
    limits.put("memory", memory);
    if (cpuCores != null) {
      Quantity cpu =
          new Quantity(java.math.BigDecimal.valueOf(cpuCores).stripTrailingZeros().toPlainString());
      requests.put("cpu", cpu);
    }
    int gpus = acceleratorCount == null ? 0 : acceleratorCount;
    if (gpus > 0) {
      // Extended resources are requested through limits (requests default to them).
      limits.put("nvidia.com/gpu", new Quantity(String.valueOf(gpus)));
      requests.put("nvidia.com/gpu", new Quantity(String.valueOf(gpus)));
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static Probe ping(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath("/ping")
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
        .build();
  }

  /**
   * How long a copy may take to become ready before Kubernetes reports the Deployment stuck
   * (ProgressDeadlineExceeded): the model download's bound and the startup probe's budget, plus
   * {@value #SCHEDULING_MARGIN_SECONDS} s to schedule the pod (a GPU node may have to be added) and
   * pull the image. Until then a copy that is not ready counts as starting and is never scaled
   * away.
   */
  static int progressDeadlineSeconds(StartupSpec startup) {
    return downloadTimeoutSeconds(startup)
        + startupPeriods(startup) * STARTUP_PERIOD_SECONDS
        + SCHEDULING_MARGIN_SECONDS;
  }

  static final int SCHEDULING_MARGIN_SECONDS = 600;

  /** The startup probe's failure threshold: the health-check timeout in whole probe periods. */
  static int startupPeriods(StartupSpec startup) {
    int seconds = startup == null ? StartupSpec.DEFAULT_SECONDS : startup.healthCheckTimeout();
    return Math.max(1, (seconds + STARTUP_PERIOD_SECONDS - 1) / STARTUP_PERIOD_SECONDS);
  }

  private static Map<String, String> nodeSelector(InferenceEndpoint endpoint) {
    return Optional.ofNullable(endpoint.getSpec().local())
        .map(l -> l.nodeSelector())
        .map(TreeMap::new)
        .orElse(new TreeMap<>());
  }

  private static List<Toleration> tolerations(InferenceEndpoint endpoint) {
    return Optional.ofNullable(endpoint.getSpec().local())
        .map(l -> l.tolerations())
        .orElse(List.of())
        .stream()
        .map(
            t ->
                new TolerationBuilder()
                    .withKey(t.key())
                    .withOperator(t.operator())
                    .withValue(t.value())
                    .withEffect(t.effect())
                    .withTolerationSeconds(t.tolerationSeconds())
                    .build())
        .toList();
  }
}
