package dev.ebb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.RealNodeEbb;
import dev.ebb.whatif.AccessLogRecord;
import dev.ebb.whatif.ColdStartModel;
import dev.ebb.whatif.LocalScenario;
import dev.ebb.whatif.MeasuredRun;
import dev.ebb.whatif.MeasuredRun.CopiesAt;
import dev.ebb.whatif.RealityCheck;
import dev.ebb.whatif.RealityCheck.Measure;
import dev.ebb.whatif.Trace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * End to end on a real node ({@code hack/local-cluster.sh}: kubelet, containerd, runc, kube-proxy,
 * a CNI bridge and the fake GPU device plugin): Ebb's operator image installed by its Helm chart (2
 * replicas, leader election, restricted Pod Security, the chart's ServiceAccount and RBAC), the
 * test model server under SageMaker's real container contract, model data fetched from S3 (the
 * simulator's, reached from the pods through the node's address) by Ebb's own fetcher, and requests
 * through the gateway Service from the Java SDK and boto3. Never skipped: a node that cannot start
 * fails the test with the script's reason.
 */
@TestMethodOrder(OrderAnnotation.class)
class LocalNodeE2EIT {
  private static final String NS = "ml-e2e";
  private static final String BUCKET = "ebb-e2e-models";
  private static final Duration UNSCHEDULABLE_TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RealNodeEbb ebb;
  private static KubernetesClient client;
  private static int gatewayPort;
  private static String endpointName;

  /** The wake of test 2 to the return to zero of test 3: what what-if is held against. */
  private static Instant windowStart;

  private static CopiesRecorder copiesRecorder;

  /**
   * How much later than measured what-if may predict a wait, the return to zero and the
   * copy-seconds (all in seconds with one copy). The cold start it assumes is {@code
   * status.lastColdStart} ended at the gateway's first {@code /ping} answer (the operator's log),
   * where the gateway sent; the pod's creation and its container's start are whole seconds (1 s),
   * and kubelet's own clock reads them (1 s more). Until session 15 it ended at Ready, which the
   * startup probe reports up to 5 s later, and this bound was 6 s.
   */
  private static final Duration WHAT_IF_LATER_BY_AT_MOST = Duration.ofSeconds(3);

  /**
   * How much earlier than measured what-if may predict them: it starts a copy the moment the engine
   * decides, where on the node the Deployment and ReplicaSet controllers create the pod a little
   * later, and the gateway probes a copy on an interval; whole-second timestamps again.
   */
  private static final Duration WHAT_IF_EARLIER_BY_AT_MOST = Duration.ofSeconds(3);

  @BeforeAll
  static void startTheNode() {
    ebb =
        RealNodeEbb.start(
            Map.of("EBB_LOCAL_UNSCHEDULABLE_TIMEOUT", UNSCHEDULABLE_TIMEOUT.toSeconds() + "s"));
    client = ebb.client;
    ebb.simulator
        .s3()
        .createBucket(BUCKET)
        .put(BUCKET, "tiny/model.txt", "tiny-prefix")
        .put(BUCKET, "tiny/weights/layer-0.bin", new byte[4096])
        .put(
            BUCKET,
            "tiny.tar.gz",
            RealNodeEbb.tarball(
                Map.of("model.txt", "tiny-tarball", "weights/a.bin", "x".repeat(2048))));
    RealNodeEbb.namespace(client, NS, Map.of());
  }

  @AfterAll
  static void stop() {
    if (ebb != null) {
      ebb.close();
    }
  }

  @Test
  @Order(1)
  void theChartInstallsTwoReplicasUnderRestrictedPodSecurity() {
    ebb.release(List.of("upgrade", "--install"));
    var pods = ebb.operatorPods();
    assertThat(pods).hasSize(2);
    assertThat(pods).allSatisfy(p -> assertThat(RealNodeEbb.ready(p)).isTrue());
    assertThat(pods)
        .allSatisfy(p -> assertThat(p.getSpec().getServiceAccountName()).isEqualTo("ebb"));
    String holder = ebb.leader();
    assertThat(pods.stream().map(p -> p.getMetadata().getName())).contains(holder);

    gatewayPort = ebb.forwardGateway();
  }

  @Test
  @Order(2)
  void requestsAtZeroCopiesWakeTheModelFromS3AndNoneFails() throws Exception {
    endpointName = ebb.applyTinyGpu(NS);
    assertThat(deploymentReplicas("tiny-prefix")).isZero();
    assertThat(deploymentReplicas("tiny-tarball")).isZero();
    windowStart = Instant.now();
    copiesRecorder =
        new CopiesRecorder(client, NS, List.of("tiny-prefix", "tiny-tarball"), windowStart);

    SageMakerRuntimeClient runtime = GatewayClients.runtime(gatewayPort);
    Instant sent = Instant.now();
    CompletableFuture<List<JsonNode>> boto3 =
        CompletableFuture.supplyAsync(() -> boto3Burst("tiny-tarball", 8));
    List<String> sdk =
        GatewayClients.concurrently(
            8,
            i ->
                runtime
                    .invokeEndpoint(
                        r ->
                            r.endpointName(endpointName)
                                .inferenceComponentName("tiny-prefix")
                                .contentType("application/json")
                                .body(
                                    SdkBytes.fromUtf8String(
                                        "{\"client\":\"java\",\"i\":" + i + "}")))
                    .body()
                    .asUtf8String());
    List<JsonNode> pythonAnswers = boto3.get(5, TimeUnit.MINUTES);
    log(
        "woke both components: 16 requests answered %d ms after the first was sent",
        Duration.between(sent, Instant.now()).toMillis());

    assertThat(sdk).hasSize(8);
    for (String answer : sdk) {
      JsonNode body = JSON.readTree(answer);
      assertThat(body.get("model").asText()).isEqualTo("tiny-prefix");
      assertThat(body.get("files").toString()).contains("model.txt:11", "weights/layer-0.bin:4096");
    }
    assertThat(pythonAnswers).hasSize(8);
    for (JsonNode answer : pythonAnswers) {
      assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(200);
      JsonNode body = JSON.readTree(answer.get("body").asText());
      assertThat(body.get("model").asText()).isEqualTo("tiny-tarball");
      assertThat(body.get("files").toString()).contains("weights/a.bin:2048");
    }

    for (String component : List.of("tiny-prefix", "tiny-tarball")) {
      Pod pod = modelPods(component).get(0);
      var server = pod.getSpec().getContainers().get(0);
      assertThat(server.getArgs()).containsExactly("serve");
      assertThat(server.getResources().getLimits().get("nvidia.com/gpu").getAmount())
          .isEqualTo("1");
      assertThat(pod.getSpec().getNodeName()).isEqualTo("ebb-node");
      var fetch = pod.getStatus().getInitContainerStatuses().get(0);
      assertThat(fetch.getName()).isEqualTo("fetch-model");
      assertThat(fetch.getState().getTerminated().getExitCode()).isZero();
    }
  }

  @Test
  @Order(3)
  void theIdleWindowTakesBothBackToZero() {
    // The idle window is 60 s after the last request, evaluated every tick (1 s).
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(deploymentReplicas("tiny-prefix")).isZero();
              assertThat(deploymentReplicas("tiny-tarball")).isZero();
              assertThat(modelPods("tiny-prefix")).isEmpty();
              assertThat(modelPods("tiny-tarball")).isEmpty();
            });
  }

  /**
   * Issue 18's reality check: the requests of the wake above, as the gateway's access log recorded
   * them, replayed by what-if with the policy, the component and its endpoint as the cluster holds
   * them and the cold start Ebb measured ({@code status.lastColdStart}); its prediction is held
   * against the gateway's measured waits and the copies the operator asked for.
   */
  @Test
  @Order(4)
  void whatIfPredictsTheWakeAndTheReturnToZeroAsTheyWereMeasured() throws IOException {
    Instant end = Instant.now();
    copiesRecorder.close();
    List<String> operatorLog = new ArrayList<>();
    for (Pod pod : ebb.operatorPods()) {
      String text =
          client
              .pods()
              .inNamespace(RealNodeEbb.SYSTEM_NS)
              .withName(pod.getMetadata().getName())
              .getLog();
      operatorLog.addAll(text.lines().toList());
    }
    InferenceEndpoint endpoint =
        client.resources(InferenceEndpoint.class).inNamespace(NS).withName("tiny-gpu").get();
    for (String name : List.of("tiny-prefix", "tiny-tarball")) {
      InferenceComponent component =
          client.resources(InferenceComponent.class).inNamespace(NS).withName(name).get();
      ScalingPolicy policy =
          client.resources(ScalingPolicy.class).inNamespace(NS).withName(name).get();
      List<AccessLogRecord> requests =
          Trace.accessLog("operator log", operatorLog, NS + "/" + name).stream()
              .filter(r -> !r.arrived().isBefore(windowStart) && !r.arrived().isAfter(end))
              .toList();
      ColdStartModel coldStart =
          ColdStartModel.measured(component, operatorLog)
              .orElseThrow(() -> new AssertionError(name + " has no status.lastColdStart"));
      LocalScenario scenario =
          LocalScenario.of(policy, component, Optional.of(endpoint), coldStart)
              .withTick(RealNodeEbb.AUTOSCALING_TICK);
      MeasuredRun measured =
          new MeasuredRun(windowStart, end, requests, copiesRecorder.copies(name));

      RealityCheck check = RealityCheck.replay(name, scenario, measured, Duration.ZERO);
      log("cold start assumed: %s%n%s", coldStart.total(), check.table());

      for (Measure exact :
          List.of(
              Measure.REQUESTS,
              Measure.FAILED,
              Measure.WAKES,
              Measure.COPY_STARTS,
              Measure.WAITED)) {
        assertThat(check.row(exact).error()).as(name + ": " + exact.label()).isZero();
      }
      assertThat(check.row(Measure.REQUESTS).measured()).as(name).isEqualTo(8);
      assertThat(check.row(Measure.WAKES).measured()).as(name).isEqualTo(1);
      for (Measure timed :
          List.of(Measure.WAIT_P50, Measure.WAIT_MAX, Measure.BACK_AT_ZERO, Measure.COPY_SECONDS)) {
        assertThat(check.row(timed).error())
            .as(name + ": " + timed.label() + "\n" + check.table())
            .isBetween(
                -WHAT_IF_EARLIER_BY_AT_MOST.toSeconds() * 1.0,
                WHAT_IF_LATER_BY_AT_MOST.toSeconds() * 1.0);
      }

      // What a user runs: what-if --check on the operator's log as kubectl logs prints it, with
      // the manifests as the cluster holds them. The copies it reads from the log (ebb-scale
      // lines) are the ones the Deployment was seen to take.
      JsonNode fromLog =
          whatIfCheck(operatorLog, List.of(endpoint, component, policy)).path("measures");
      for (Measure counted : List.of(Measure.WAKES, Measure.COPY_STARTS, Measure.WAITED)) {
        assertThat(fromLog.path(counted.name()).path("measured").asDouble())
            .as(name + ": " + counted.label() + " in the log")
            .isEqualTo(check.row(counted).measured());
      }
      assertThat(fromLog.path(Measure.BACK_AT_ZERO.name()).path("measured").asDouble())
          .as(name + ": back at zero in the log")
          .isCloseTo(check.row(Measure.BACK_AT_ZERO).measured(), within(1.0));
    }
  }

  /** {@code what-if --check} as a user runs it; its JSON's reality check. */
  private static JsonNode whatIfCheck(List<String> operatorLog, List<HasMetadata> manifests)
      throws IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ebb-what-if");
    java.nio.file.Path log = dir.resolve("ebb.log");
    java.nio.file.Files.write(log, operatorLog);
    java.nio.file.Path yaml = dir.resolve("applied.yaml");
    StringBuilder docs = new StringBuilder();
    for (HasMetadata m : manifests) {
      docs.append(client.getKubernetesSerialization().asYaml(m)).append("\n");
    }
    java.nio.file.Files.writeString(yaml, docs);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status =
        dev.ebb.whatif.WhatIfCommand.run(
            new String[] {
              "--policy",
              yaml.toString(),
              "--trace",
              log.toString(),
              "--tick",
              RealNodeEbb.AUTOSCALING_TICK.toSeconds() + "s",
              "--check",
              "--report",
              dir.resolve("what-if.html").toString(),
              "--json",
              dir.resolve("what-if.json").toString()
            },
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    log("what-if --check:%n%s%s", out.toString(StandardCharsets.UTF_8), err);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return JSON.readTree(dir.resolve("what-if.json").toFile()).path("realityCheck").get(0);
  }

  @Test
  @Order(6)
  void deletingTheLeaderWhileRequestsAreHeldLosesNone() throws Exception {
    String leader = ebb.leader();
    CompletableFuture<List<JsonNode>> held =
        CompletableFuture.supplyAsync(() -> boto3Burst("tiny-prefix", 10));
    // The requests reach the gateway and are held while the copy starts; then the leader goes.
    Thread.sleep(1500);
    client.pods().inNamespace(RealNodeEbb.SYSTEM_NS).withName(leader).delete();
    List<JsonNode> answers = held.get(5, TimeUnit.MINUTES);
    assertThat(answers).hasSize(10);
    assertThat(answers)
        .allSatisfy(a -> assertThat(a.get("status").asInt()).as(a.toString()).isEqualTo(200));
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(ebb.operatorPods())
                  .hasSize(2)
                  .allSatisfy(p -> assertThat(RealNodeEbb.ready(p)).isTrue());
              assertThat(ebb.leader()).isNotEqualTo(leader);
            });
  }

  @Test
  @Order(5)
  void withEveryGpuTakenTheNewCopyIsUnschedulableAndDoesNotBlockScaleToZero() throws Exception {
    // Both components are at zero (the idle window took them): the hog can take both GPUs.
    assertThat(deploymentReplicas("tiny-prefix") + deploymentReplicas("tiny-tarball")).isZero();
    Pod hog =
        client
            .pods()
            .inNamespace(NS)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("gpu-hog")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("hog")
                    .withImage("ebb.dev/node/pause:1")
                    .withImagePullPolicy("Never")
                    .withNewResources()
                    .addToLimits(
                        "nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("2"))
                    .endResources()
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> RealNodeEbb.ready(client.pods().inNamespace(NS).withName("gpu-hog").get()));
      // One request wakes tiny-prefix; the client gives up after 3 s (the gateway then drops it).
      try (SageMakerRuntimeClient impatient =
          GatewayClients.runtime(
              gatewayPort,
              o -> o.apiCallTimeout(Duration.ofSeconds(3)).retryStrategy(r -> r.maxAttempts(1)))) {
        impatient.invokeEndpoint(
            r ->
                r.endpointName(endpointName)
                    .inferenceComponentName("tiny-prefix")
                    .body(SdkBytes.fromUtf8String("{}")));
      } catch (RuntimeException expected) {
        // No GPU is free: the copy cannot start, and the client stops waiting.
      }
      Instant lastRequest = Instant.now();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Pod pending = modelPods("tiny-prefix").get(0);
                assertThat(RealNodeEbb.podCondition(pending, "PodScheduled"))
                    .extracting(c -> c.getReason())
                    .isEqualTo("Unschedulable");
              });
      Instant markedByScheduler = Instant.now();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                var schedulable = componentCondition("tiny-prefix", "CopiesSchedulable");
                assertThat(schedulable).isNotNull();
                assertThat(schedulable.get("status")).isEqualTo("False");
                assertThat(schedulable.get("reason")).isEqualTo("Unschedulable");
                assertThat((String) schedulable.get("message"))
                    .contains("Insufficient nvidia.com/gpu");
              });
      log(
          "Unschedulable in the component's status %d ms after the scheduler reported it",
          Duration.between(markedByScheduler, Instant.now()).toMillis());
      // The stuck copy counts as starting only for the bound (20 s here); the idle window (60 s
      // after the last request) then takes the component to zero. Without the bound it would wait
      // for the Deployment's progress deadline (download + health timeouts + 600 s).
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                assertThat(deploymentReplicas("tiny-prefix")).isZero();
                assertThat(modelPods("tiny-prefix")).isEmpty();
              });
      log(
          "the stuck copy was scaled away %d s after the last request (idle window 60 s, bound %d s)",
          Duration.between(lastRequest, Instant.now()).toSeconds(),
          UNSCHEDULABLE_TIMEOUT.toSeconds());
    } finally {
      client.resource(hog).withGracePeriod(0).delete();
    }
  }

  @Test
  @Order(7)
  void helmUpgradeKeepsServingAndUninstallLeavesNothingOfEbb() throws Exception {
    ebb.release(List.of("upgrade"), "--set", "local.autoscalingTick=2s");
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(ebb.operatorPods())
                    .hasSize(2)
                    .allSatisfy(
                        p -> {
                          assertThat(RealNodeEbb.ready(p)).isTrue();
                          assertThat(p.getSpec().getContainers().get(0).getEnv())
                              .anySatisfy(
                                  e -> {
                                    assertThat(e.getName()).isEqualTo("EBB_LOCAL_AUTOSCALING_TICK");
                                    assertThat(e.getValue()).isEqualTo("2s");
                                  });
                        }));
    List<JsonNode> afterUpgrade = boto3Burst("tiny-tarball", 2);
    assertThat(afterUpgrade)
        .allSatisfy(
            a ->
                assertThat(a.get("status").asInt())
                    .as("%s; the operator pods' logs:%n%s", a, ebb.operatorLogs())
                    .isEqualTo(200));

    // The user's objects go first (their finalizers need the operator), then the release.
    for (String kind : List.of("ScalingPolicy", "InferenceComponent", "InferenceEndpoint")) {
      client.genericKubernetesResources("ebb.dev/v1alpha1", kind).inNamespace(NS).delete();
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              for (String kind :
                  List.of("ScalingPolicy", "InferenceComponent", "InferenceEndpoint")) {
                assertThat(
                        client
                            .genericKubernetesResources("ebb.dev/v1alpha1", kind)
                            .inNamespace(NS)
                            .list()
                            .getItems())
                    .as(kind)
                    .isEmpty();
              }
              assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
              assertThat(client.services().inNamespace(NS).list().getItems()).isEmpty();
              assertThat(
                      client
                          .pods()
                          .inNamespace(NS)
                          .withLabel("app.kubernetes.io/managed-by", "ebb")
                          .list()
                          .getItems())
                  .isEmpty();
            });
    ebb.helm("uninstall", "ebb", "--namespace", RealNodeEbb.SYSTEM_NS, "--wait", "--timeout", "3m");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(RealNodeEbb.SYSTEM_NS).list().getItems())
                  .isEmpty();
              assertThat(
                      names(client.services().inNamespace(RealNodeEbb.SYSTEM_NS).list().getItems()))
                  .isEmpty();
              assertThat(
                      names(
                          client
                              .apps()
                              .deployments()
                              .inNamespace(RealNodeEbb.SYSTEM_NS)
                              .list()
                              .getItems()))
                  .isEmpty();
              assertThat(
                      names(client.secrets().inNamespace(RealNodeEbb.SYSTEM_NS).list().getItems()))
                  .isEmpty();
              assertThat(
                      names(
                          client
                              .serviceAccounts()
                              .inNamespace(RealNodeEbb.SYSTEM_NS)
                              .list()
                              .getItems()))
                  .containsOnly("default");
              assertThat(
                      names(
                          client.configMaps().inNamespace(RealNodeEbb.SYSTEM_NS).list().getItems()))
                  .containsOnly("kube-root-ca.crt");
              assertThat(
                      names(
                          client
                              .rbac()
                              .roles()
                              .inNamespace(RealNodeEbb.SYSTEM_NS)
                              .list()
                              .getItems()))
                  .isEmpty();
              assertThat(
                      names(
                          client
                              .rbac()
                              .roleBindings()
                              .inNamespace(RealNodeEbb.SYSTEM_NS)
                              .list()
                              .getItems()))
                  .isEmpty();
              assertThat(
                      names(client.leases().inNamespace(RealNodeEbb.SYSTEM_NS).list().getItems()))
                  .isEmpty();
              assertThat(
                      names(
                          client
                              .policy()
                              .v1()
                              .podDisruptionBudget()
                              .inNamespace(RealNodeEbb.SYSTEM_NS)
                              .list()
                              .getItems()))
                  .isEmpty();
              assertThat(names(client.rbac().clusterRoles().list().getItems()))
                  .noneMatch(n -> n.startsWith("ebb"));
              assertThat(names(client.rbac().clusterRoleBindings().list().getItems()))
                  .noneMatch(n -> n.startsWith("ebb"));
            });
    // Helm never deletes CRDs (that would delete every team's objects): they stay, by design.
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("inferenceendpoints.ebb.dev")
                .get())
        .isNotNull();
  }

  // ---------------------------------------------------------------------------------------------

  private static List<JsonNode> boto3Burst(String component, int count) {
    try {
      Process process =
          new ProcessBuilder(
                  "python3",
                  "src/test/python/burst.py",
                  "http://127.0.0.1:" + gatewayPort,
                  endpointName,
                  component,
                  String.valueOf(count))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue()).as(out).isZero();
      List<JsonNode> answers = new ArrayList<>();
      for (String line : out.strip().split("\n")) {
        answers.add(JSON.readTree(line));
      }
      return answers;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).toList();
  }

  /** A condition of an InferenceComponent's status, as a map (null when absent). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> componentCondition(String component, String type) {
    var object =
        client
            .genericKubernetesResources("ebb.dev/v1alpha1", "InferenceComponent")
            .inNamespace(NS)
            .withName(component)
            .get();
    Map<String, Object> status = object.get("status");
    if (status == null || status.get("conditions") == null) {
      return null;
    }
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
  }

  private static List<Pod> modelPods(String component) {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel("ebb.dev/inference-component", component)
        .list()
        .getItems();
  }

  private static int deploymentReplicas(String name) {
    Integer replicas =
        client.apps().deployments().inNamespace(NS).withName(name).get().getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  private static void log(String format, Object... args) {
    System.out.println("[ebb-e2e] " + String.format(format, args));
  }

  /**
   * The copies Ebb asks for, as they change: each Deployment's {@code spec.replicas}, read once and
   * then watched, stamped when the change reaches the test.
   */
  private static final class CopiesRecorder implements AutoCloseable {
    private final Map<String, List<CopiesAt>> seen = new java.util.concurrent.ConcurrentHashMap<>();
    private final io.fabric8.kubernetes.client.Watch watch;

    /** {@code since}: the instant the copies read first are stamped with (nothing moves yet). */
    CopiesRecorder(
        KubernetesClient client, String namespace, List<String> deployments, Instant since) {
      for (String name : deployments) {
        record(name, deploymentReplicas(name), since);
      }
      watch =
          client
              .apps()
              .deployments()
              .inNamespace(namespace)
              .watch(
                  new io.fabric8.kubernetes.client.Watcher<Deployment>() {
                    @Override
                    public void eventReceived(Action action, Deployment d) {
                      if (deployments.contains(d.getMetadata().getName())) {
                        Integer replicas = d.getSpec().getReplicas();
                        record(
                            d.getMetadata().getName(),
                            replicas == null ? 1 : replicas,
                            Instant.now());
                      }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                      log("the Deployments' watch closed: %s", cause);
                    }
                  });
    }

    private synchronized void record(String name, int copies, Instant at) {
      List<CopiesAt> list = seen.computeIfAbsent(name, n -> new ArrayList<>());
      if (list.isEmpty() || list.get(list.size() - 1).copies() != copies) {
        list.add(new CopiesAt(at, copies));
      }
    }

    synchronized List<CopiesAt> copies(String name) {
      return List.copyOf(seen.get(name));
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
