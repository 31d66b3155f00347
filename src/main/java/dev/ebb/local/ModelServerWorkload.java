package dev.ebb.local;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceComponentSpec;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ModelSpec;
import dev.ebb.api.v1alpha1.StartupSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
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
 * container contract: the image serves {@code GET /ping} and {@code POST /invocations} on port
 * 8080, with the model data in {@code /opt/ml/model}, fetched from S3 by an init container before
 * the server starts. Pure: the same component and endpoint always give the same objects.
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

  /** Readiness is probed this often; the startup probe's budget is counted in these periods. */
  static final int PROBE_PERIOD_SECONDS = 10;

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

  /** The Deployment, without replicas (see the class comment). */
  public static Deployment deployment(
      InferenceComponent component, InferenceEndpoint endpoint, String fetcherImage) {
    InferenceComponentSpec spec = component.getSpec();
    ModelSpec model = spec.model();
    Map<String, String> labels = labels(component);
    var container =
        new ContainerBuilder()
            .withName(SERVER_CONTAINER)
            .withImage(model.image())
            .addNewPort()
            .withName("http")
            .withContainerPort(PORT)
            .withProtocol("TCP")
            .endPort()
            .withEnv(environment(model))
            .withResources(resources(spec.resources()))
            .withReadinessProbe(ping(PROBE_PERIOD_SECONDS, 1))
            .withStartupProbe(ping(PROBE_PERIOD_SECONDS, startupPeriods(spec.startup())))
            .addNewVolumeMount()
            .withName("model")
            .withMountPath(MODEL_DIR)
            .withReadOnly(model.modelDataUrl() != null)
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
            .endMetadata()
            .withNewSpec()
            .withContainers(container)
            .addNewVolume()
            .withName("model")
            .withNewEmptyDir()
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
          .addNewInitContainer()
          .withName("fetch-model")
          .withImage(fetcherImage)
          .withCommand("sh", "-c", fetchScript(model.modelDataUrl(), spec.startup()))
          .addNewVolumeMount()
          .withName("model")
          .withMountPath(MODEL_DIR)
          .endVolumeMount()
          .endInitContainer()
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return pod.build();
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

  /** The component controls its Deployment and Service: Kubernetes deletes them with it. */
  private static OwnerReference ownedBy(InferenceComponent component) {
    return new OwnerReferenceBuilder()
        .withApiVersion(component.getApiVersion())
        .withKind(component.getKind())
        .withName(component.getMetadata().getName())
        .withUid(component.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * Downloads the model data into /opt/ml/model within the download timeout: an S3 prefix with
   * {@code aws s3 sync} (uncompressed artifacts load fastest), a {@code .tar.gz} copied and
   * unpacked.
   */
  static String fetchScript(String modelDataUrl, StartupSpec startup) {
    int timeout =
        Optional.ofNullable(startup).map(StartupSpec::modelDownloadTimeoutSeconds).orElse(3600);
    String quoted = "'" + modelDataUrl.replace("'", "'\\''") + "'";
    String fetch =
        modelDataUrl.endsWith(".tar.gz")
            ? "aws s3 cp "
                + quoted
                + " /tmp/model.tar.gz && tar -xzf /tmp/model.tar.gz -C "
                + MODEL_DIR
                + " && rm /tmp/model.tar.gz"
            : "aws s3 sync " + quoted + " " + MODEL_DIR;
    return "set -e; timeout " + timeout + " sh -c \"" + fetch.replace("\"", "\\\"") + "\"";
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
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    Quantity memory = new Quantity(resources.memoryMb() + "Mi");
    requests.put("memory", memory);
    limits.put("memory", memory);
    if (resources.cpuCores() != null) {
      Quantity cpu =
          new Quantity(
              java.math.BigDecimal.valueOf(resources.cpuCores())
                  .stripTrailingZeros()
                  .toPlainString());
      requests.put("cpu", cpu);
    }
    int gpus = resources.acceleratorCount() == null ? 0 : resources.acceleratorCount();
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
        .withTimeoutSeconds(2)
        .build();
  }

  /** The startup probe allows the health-check timeout, in probe periods. */
  /**
   * How long a copy may take to become ready before Kubernetes reports the Deployment stuck
   * (ProgressDeadlineExceeded): the model download and the startup probe's bounds, plus {@value
   * #SCHEDULING_MARGIN_SECONDS} s to schedule the pod (a GPU node may have to be added) and pull
   * the image. Until then a copy that is not ready counts as starting and is never scaled away.
   */
  static int progressDeadlineSeconds(StartupSpec startup) {
    int download =
        Optional.ofNullable(startup).map(StartupSpec::modelDownloadTimeoutSeconds).orElse(3600);
    int health =
        Optional.ofNullable(startup).map(StartupSpec::healthCheckTimeoutSeconds).orElse(3600);
    return download + health + SCHEDULING_MARGIN_SECONDS;
  }

  static final int SCHEDULING_MARGIN_SECONDS = 600;

  static int startupPeriods(StartupSpec startup) {
    int seconds =
        Optional.ofNullable(startup).map(StartupSpec::healthCheckTimeoutSeconds).orElse(3600);
    return Math.max(1, (seconds + PROBE_PERIOD_SECONDS - 1) / PROBE_PERIOD_SECONDS);
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
