package dev.ebb.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.BatchTransformSpec;
import dev.ebb.api.v1alpha1.ModelSpec;
import dev.ebb.batch.BatchCommand;
import dev.ebb.batch.BatchJob;
import dev.ebb.sagemaker.ModelFetch;
import dev.ebb.sagemaker.SageMakerNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A BatchTransform on backend local as a Kubernetes Job: one pod per instance (an Indexed Job, each
 * worker taking its share of the input objects by its index), each pod running the model server
 * under SageMaker's container contract beside Ebb's batcher, which does what SageMaker's batch
 * transform does around a container ({@code dev.ebb.batch}, {@code docs/batch-local.md}).
 *
 * <p>The model server is a native sidecar (an init container with {@code restartPolicy: Always}):
 * kubelet starts it first, waits for its startup probe ({@code GET /ping}), then starts the
 * batcher, and stops the server once the batcher exits, so the pod, and the Job, end with the
 * transform. The batcher writes its final progress to its termination-message file, which kubelet
 * keeps in the pod's status: that is how the operator learns each worker's result without reading
 * logs or reaching into the pod.
 */
public final class BatchWorkload {
  public static final String TRANSFORM_LABEL = "ebb.dev/batch-transform";
  public static final String BATCHER_CONTAINER = "batcher";

  /** Where a worker's batcher serves its progress to the operator ({@link BatchProgressProbe}). */
  public static final int PROGRESS_PORT = 8081;

  static final String SCRATCH_DIR = "/var/lib/ebb-batch";
  static final String TERMINATION_LOG = "/dev/termination-log";

  /** The batcher's JVM: the fetcher's flags (a small JVM, read-only root filesystem). */
  static final List<String> JVM_FLAGS = ModelFetcher.JVM_FLAGS;

  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private BatchWorkload() {}

  /**
   * The Job's name: the object's when it leaves room for the pod suffixes the Job controller adds
   * (its {@code job-name} label is at most 63 characters), else a cut name and a hash of the whole.
   */
  public static String name(BatchTransform transform) {
    String name = transform.getMetadata().getName();
    if (name.length() <= 52) {
      return name;
    }
    return name.substring(0, 43).replaceAll("[-.]+$", "") + "-" + SageMakerNames.hash(name, 8);
  }

  public static Map<String, String> labels(BatchTransform transform) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "ebb-batch-transform");
    labels.put("app.kubernetes.io/instance", name(transform));
    labels.put("app.kubernetes.io/managed-by", "ebb");
    labels.put(TRANSFORM_LABEL, name(transform));
    return labels;
  }

  /** The Job for {@code transform}; the batcher runs from {@code fetcher}'s image (Ebb's own). */
  public static Job job(BatchTransform transform, ModelFetcher fetcher) {
    BatchTransformSpec spec = transform.getSpec();
    int workers = spec.resources().instanceCount() == null ? 1 : spec.resources().instanceCount();
    Map<String, String> labels = labels(transform);
    List<Container> init = new ArrayList<>();
    if (spec.model().modelDataUrl() != null) {
      init.add(
          withCredentials(
              ModelServerWorkload.fetchContainer(spec.model().modelDataUrl(), null, fetcher),
              spec));
    }
    init.add(modelServer(spec));
    return new JobBuilder()
        .withNewMetadata()
        .withName(name(transform))
        .withNamespace(transform.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(ownedBy(transform))
        .endMetadata()
        .withNewSpec()
        .withCompletionMode("Indexed")
        .withCompletions(workers)
        .withParallelism(workers)
        // A transform fails as SageMaker's does, once: the batcher already retried each request.
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(
            Optional.ofNullable(spec.local())
                .map(BatchTransformSpec.Local::serviceAccountName)
                .orElse(null))
        .withAutomountServiceAccountToken(false)
        .withInitContainers(init)
        .withContainers(batcher(spec, fetcher))
        .addNewVolume()
        .withName("model")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("scratch")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The NetworkPolicy of a transform's workers: ingress only from Ebb's own pods ({@code gateway}),
   * and only to the batcher's progress port. The batcher calls the model server over the pod's
   * loopback and nothing else needs to reach a worker (kubelet's probes are not pod traffic), so
   * the model server is closed to the rest of the cluster. Egress (S3) is untouched. Owned by the
   * transform, like the Job.
   */
  public static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy networkPolicy(
      BatchTransform transform, GatewayPods gateway) {
    return new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(name(transform))
        .withNamespace(transform.getMetadata().getNamespace())
        .withLabels(labels(transform))
        .withOwnerReferences(ownedBy(transform))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .addToMatchLabels(TRANSFORM_LABEL, name(transform))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewNamespaceSelector()
        .addToMatchLabels(ModelNetworkPolicy.NAMESPACE_NAME_LABEL, gateway.namespace())
        .endNamespaceSelector()
        .withNewPodSelector()
        .addToMatchLabels(gateway.labels())
        .endPodSelector()
        .endFrom()
        .addNewPort()
        .withProtocol("TCP")
        .withNewPort(PROGRESS_PORT)
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }

  /** The model server: started with {@code serve}, ready when {@code /ping} answers. */
  static Container modelServer(BatchTransformSpec spec) {
    ModelSpec model = spec.model();
    return new ContainerBuilder()
        .withName(ModelServerWorkload.SERVER_CONTAINER)
        .withImage(model.image())
        .withArgs(ModelServerWorkload.SERVER_ARGS)
        // A native sidecar: it runs beside the batcher and stops when the batcher is done.
        .withRestartPolicy("Always")
        .addNewPort()
        .withName("http")
        .withContainerPort(ModelServerWorkload.PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(serverEnvironment(spec))
        .withResources(resources(spec.resources()))
        .withStartupProbe(
            new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/ping")
                .withNewPort("http")
                .endHttpGet()
                .withPeriodSeconds(ModelServerWorkload.STARTUP_PERIOD_SECONDS)
                .withTimeoutSeconds(ModelServerWorkload.PROBE_TIMEOUT_SECONDS)
                .withFailureThreshold(120)
                .build())
        .withTerminationMessagePolicy(ModelServerWorkload.TERMINATION_MESSAGE_POLICY)
        .addNewVolumeMount()
        .withName("model")
        .withMountPath(ModelServerWorkload.MODEL_DIR)
        .withReadOnly(model.modelDataUrl() != null)
        .endVolumeMount()
        .build();
  }

  /**
   * What SageMaker sets in a batch transform's container (its batch-transform container contract),
   * then the model's environment, then the transform's own ({@code spec.environment}).
   */
  static List<EnvVar> serverEnvironment(BatchTransformSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SAGEMAKER_BIND_TO_PORT", String.valueOf(ModelServerWorkload.PORT));
    env.put("SM_MODEL_DIR", ModelServerWorkload.MODEL_DIR);
    env.put("SAGEMAKER_BATCH", "true");
    if (spec.batchStrategy() != null) {
      env.put("SAGEMAKER_BATCH_STRATEGY", spec.batchStrategy().name());
    }
    if (spec.maxPayloadInMB() != null) {
      env.put("SAGEMAKER_MAX_PAYLOAD_IN_MB", String.valueOf(spec.maxPayloadInMB()));
    }
    if (spec.maxConcurrentTransforms() != null) {
      env.put(
          "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS", String.valueOf(spec.maxConcurrentTransforms()));
    }
    new TreeMap<>(Optional.ofNullable(spec.model().environment()).orElse(Map.of()))
        .forEach(env::put);
    new TreeMap<>(Optional.ofNullable(spec.environment()).orElse(Map.of())).forEach(env::put);
    List<EnvVar> vars = new ArrayList<>();
    env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
    return vars;
  }

  /** Ebb's batcher, from the operator's image, given its job document in the environment. */
  static Container batcher(BatchTransformSpec spec, ModelFetcher fetcher) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar(BatchCommand.JOB_ENV, document(spec), null));
    env.add(new EnvVar(BatchCommand.SCRATCH_ENV, SCRATCH_DIR, null));
    env.add(new EnvVar(BatchCommand.RESULT_ENV, TERMINATION_LOG, null));
    env.add(new EnvVar(BatchCommand.PROGRESS_PORT_ENV, String.valueOf(PROGRESS_PORT), null));
    if (fetcher.s3Endpoint() != null && !fetcher.s3Endpoint().isBlank()) {
      env.add(new EnvVar(ModelFetch.ENDPOINT_ENV, fetcher.s3Endpoint(), null));
    }
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(ModelFetcher.CLASSPATH);
    command.add(BatchCommand.class.getName());
    Container batcher =
        new ContainerBuilder()
            .withName(BATCHER_CONTAINER)
            .withImage(fetcher.image())
            .withCommand(command)
            .addNewPort()
            .withName("progress")
            .withContainerPort(PROGRESS_PORT)
            .withProtocol("TCP")
            .endPort()
            .withEnv(env)
            .withTerminationMessagePath(TERMINATION_LOG)
            .withTerminationMessagePolicy(ModelServerWorkload.TERMINATION_MESSAGE_POLICY)
            .withResources(
                new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity("250m"))
                    .addToRequests("memory", new Quantity("512Mi"))
                    .addToLimits("memory", new Quantity("1Gi"))
                    .build())
            .withSecurityContext(ModelServerWorkload.restricted())
            .addNewVolumeMount()
            .withName("scratch")
            .withMountPath(SCRATCH_DIR)
            .endVolumeMount()
            .build();
    return withCredentials(batcher, spec);
  }

  /** The job document every worker reads; each takes its share by JOB_COMPLETION_INDEX. */
  static String document(BatchTransformSpec spec) {
    BatchJob job = BatchJobDocument.of(spec, 0, null);
    try {
      return JSON.writeValueAsString(job);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job document always serializes", e);
    }
  }

  /** The AWS credentials Secret of {@code spec.local}, as environment variables, if any. */
  private static Container withCredentials(Container container, BatchTransformSpec spec) {
    Optional<String> secret =
        Optional.ofNullable(spec.local()).map(BatchTransformSpec.Local::awsCredentialsSecret);
    if (secret.isEmpty()) {
      return container;
    }
    EnvFromSource from =
        new EnvFromSourceBuilder().withNewSecretRef().withName(secret.get()).endSecretRef().build();
    return new ContainerBuilder(container).addToEnvFrom(from).build();
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
      BatchTransformSpec.Resources resources) {
    return ModelServerWorkload.resources(
        resources.memoryMb(), resources.cpuCores(), resources.acceleratorCount());
  }

  static OwnerReference ownedBy(BatchTransform transform) {
    return ModelServerWorkload.ownedBy(transform);
  }
}
