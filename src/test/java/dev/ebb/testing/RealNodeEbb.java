package dev.ebb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.helm.HelmChart;
import dev.ebb.simulator.SageMakerSimulator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Ebb as a user installs it, on the real node of {@code hack/local-cluster.sh}: the operator image
 * imported, the Helm chart in {@code ebb-system} (restricted Pod Security enforced), and a
 * SageMaker simulator on this machine whose S3 the model pods reach through the node's address.
 * Shared by the end-to-end test and {@code bench/coldstart.sh}.
 */
public final class RealNodeEbb implements AutoCloseable {
  public static final String SYSTEM_NS = "ebb-system";

  /** How often the operator evaluates every policy (the chart's {@code local.autoscalingTick}). */
  public static final java.time.Duration AUTOSCALING_TICK = java.time.Duration.ofSeconds(1);

  private static final int SIMULATOR_PORT_IN_NODE = 4599;

  public final LocalCluster cluster;
  public final KubernetesClient client;
  public final SageMakerSimulator simulator;
  private final List<String> values;

  private RealNodeEbb(
      LocalCluster cluster,
      KubernetesClient client,
      SageMakerSimulator simulator,
      List<String> values) {
    this.cluster = cluster;
    this.client = client;
    this.simulator = simulator;
    this.values = values;
  }

  /**
   * Starts (or joins) the node, imports the operator image, starts the simulator and creates the
   * release namespace. {@code operatorEnv} goes into the chart's {@code extraEnv}, after the
   * simulator's endpoint and region.
   */
  public static RealNodeEbb start(Map<String, String> operatorEnv) {
    LocalCluster cluster = LocalCluster.up();
    cluster.load("operator");
    KubernetesClient client;
    try {
      client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SageMakerSimulator simulator =
        SageMakerSimulator.builder().host("127.0.0.1").port(0).build().start();
    cluster.expose(
        LocalCluster.NODE_IP + ":" + SIMULATOR_PORT_IN_NODE, simulator.endpoint().getPort());
    namespace(client, SYSTEM_NS, Map.of("pod-security.kubernetes.io/enforce", "restricted"));

    StringBuilder env = new StringBuilder("[");
    env.append(
        envVar(
            "EBB_AWS_ENDPOINT_OVERRIDE",
            "http://" + LocalCluster.NODE_IP + ":" + SIMULATOR_PORT_IN_NODE));
    env.append(',').append(envVar("EBB_AWS_DEFAULT_REGION", "us-east-1"));
    operatorEnv.forEach((k, v) -> env.append(',').append(envVar(k, v)));
    env.append(']');
    return new RealNodeEbb(
        cluster,
        client,
        simulator,
        List.of(
            "--set",
            "local.autoscalingTick=" + AUTOSCALING_TICK.toSeconds() + "s",
            // The gateway's access log: LocalNodeE2EIT replays it with what-if.
            "--set",
            "gateway.accessLog=true",
            "--set-json",
            "extraEnv=" + env));
  }

  private static String envVar(String name, String value) {
    return "{\"name\":\"" + name + "\",\"value\":\"" + value + "\"}";
  }

  /** Creates (or keeps) a namespace with these labels. */
  public static void namespace(KubernetesClient client, String name, Map<String, String> labels) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(labels)
                .endMetadata()
                .build())
        .serverSideApply();
  }

  /**
   * {@code helm VERB ebb helm/ebb --wait} with this run's values; {@code more} comes last, so it
   * wins.
   */
  public void release(List<String> verb, String... more) {
    List<String> command = new ArrayList<>(verb);
    command.addAll(
        List.of(
            "ebb",
            HelmChart.CHART.toString(),
            "--namespace",
            SYSTEM_NS,
            "--wait",
            "--timeout",
            "5m"));
    command.addAll(values);
    command.addAll(List.of(more));
    helm(command.toArray(String[]::new));
  }

  /** Runs helm against the node; it must succeed. */
  public void helm(String... args) {
    List<String> command = new ArrayList<>(List.of(args));
    command.addAll(List.of("--kubeconfig", cluster.kubeconfig.toString()));
    var result = HelmChart.run(command);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /**
   * 127.0.0.1:PORT on this machine leads to the gateway Service's ClusterIP, so kube-proxy spreads
   * connections over the replicas as for any client in the cluster; returns PORT.
   */
  public int forwardGateway() {
    String gatewayIp =
        client
            .services()
            .inNamespace(SYSTEM_NS)
            .withName("ebb-gateway")
            .get()
            .getSpec()
            .getClusterIP();
    int port = LocalCluster.freePort();
    cluster.forward(port, gatewayIp + ":80");
    return port;
  }

  /**
   * Applies {@code src/test/resources/e2e/tiny-gpu.yaml} (endpoint tiny-gpu, components tiny-prefix
   * and tiny-tarball at zero copies, their policies) into {@code namespace}; returns the endpoint's
   * name at the gateway once Ebb has made both components' Deployments.
   */
  public String applyTinyGpu(String namespace) {
    for (HasMetadata object :
        client.load(RealNodeEbb.class.getResourceAsStream("/e2e/tiny-gpu.yaml")).items()) {
      client.resource(object).inNamespace(namespace).serverSideApply();
    }
    AtomicReference<String> endpointName = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var endpoint =
                  client
                      .genericKubernetesResources("ebb.dev/v1alpha1", "InferenceEndpoint")
                      .inNamespace(namespace)
                      .withName("tiny-gpu")
                      .get();
              assertThat(endpoint).isNotNull();
              Map<String, Object> status = endpoint.get("status");
              assertThat(status).isNotNull().containsKey("endpointName");
              endpointName.set((String) status.get("endpointName"));
              for (String component : List.of("tiny-prefix", "tiny-tarball")) {
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(namespace)
                            .withName(component)
                            .get())
                    .as(component)
                    .isNotNull();
              }
            });
    return endpointName.get();
  }

  /** A condition of the pod's status (null when absent). */
  public static PodCondition podCondition(Pod pod, String type) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? null
        : pod.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst()
            .orElse(null);
  }

  /** The operator's pods that are not being deleted. */
  public List<Pod> operatorPods() {
    return client
        .pods()
        .inNamespace(SYSTEM_NS)
        .withLabel("app.kubernetes.io/name", "ebb")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** The last lines of every operator pod's log, for a failure's message. */
  public String operatorLogs() {
    StringBuilder logs = new StringBuilder();
    for (Pod pod : client.pods().inNamespace(SYSTEM_NS).list().getItems()) {
      String name = pod.getMetadata().getName();
      logs.append("--- ").append(name).append('\n');
      try {
        logs.append(client.pods().inNamespace(SYSTEM_NS).withName(name).tailingLines(40).getLog());
      } catch (RuntimeException e) {
        logs.append(e.getMessage()).append('\n');
      }
    }
    return logs.toString();
  }

  /** The Lease holder's pod name (the identity is "pod_suffix"). */
  public String leader() {
    Lease lease = client.leases().inNamespace(SYSTEM_NS).withName("ebb-operator").get();
    String identity = lease.getSpec().getHolderIdentity();
    return identity.substring(0, identity.lastIndexOf('_'));
  }

  /** The pod's Ready condition is True. */
  public static boolean ready(Pod pod) {
    return pod != null
        && pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** A model.tar.gz holding these files, as SageMaker's usual packaging. */
  public static byte[] tarball(Map<String, String> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (var file : files.entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    simulator.close();
    client.close();
    cluster.close();
  }
}
