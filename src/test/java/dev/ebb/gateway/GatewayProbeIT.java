package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.local.ModelServerWorkload;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway probes starting copies itself while it holds requests: with a kubelet that reports
 * Ready 8 s after {@code /ping} answers (its probes run every 5–10 s), requests held at zero copies
 * still go out as soon as the model server answers.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class GatewayProbeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration KUBELET_LAG = Duration.ofSeconds(8);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("probe", TIMEOUT);

  @Inject MeterRegistry registry;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private FakeNodeAgent agent;
  private Path gate;

  @BeforeEach
  void setUp() throws Exception {
    gate = Files.createTempDirectory("ebb-probe").resolve("model-loaded");
    agent =
        new FakeNodeAgent(
                ns.client(), ns.name(), Duration.ofMillis(300), Duration.ZERO, Duration.ZERO)
            .readinessReportDelay(KUBELET_LAG);
    agent.gateLoading(gate);
  }

  @AfterEach
  void tearDown() throws Exception {
    ns.resources(ScalingPolicy.class).delete();
    agent.close();
    Files.deleteIfExists(gate);
  }

  @Test
  void heldRequestsGoOutWhenTheServerAnswersNotWhenKubeletReportsReady() throws Exception {
    ns.apply(LocalManifests.cpuComponent(0) + LocalManifests.wakePolicy(1));
    LocalManifests.awaitPolicyTracked(ns);

    HttpClient http = HttpClient.newHttpClient();
    int n = 5;
    List<CompletableFuture<Answered>> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      held.add(
          http.sendAsync(invocation("request " + i), HttpResponse.BodyHandlers.ofString())
              .thenApply(r -> new Answered(r, Instant.now())));
    }

    // The woken copy's server runs and answers /ping 503 (loading): the gateway is probing it.
    Pod pod = await().atMost(TIMEOUT).until(this::onlyPod, p -> p != null && serverRunning(p));
    String ip = pod.getStatus().getPodIP();
    await().atMost(TIMEOUT).until(() -> pingStatus(http, ip) == 503);
    assertThat(held).noneMatch(CompletableFuture::isDone);

    Files.createFile(gate);
    Instant loaded = Instant.now(); // from now on the server answers /ping 200

    List<Answered> answers = new ArrayList<>();
    for (var request : held) {
      answers.add(request.get(30, TimeUnit.SECONDS));
    }
    Instant last = answers.stream().map(Answered::at).max(Instant::compareTo).orElseThrow();
    Instant first = answers.stream().map(Answered::at).min(Instant::compareTo).orElseThrow();
    for (int i = 0; i < n; i++) {
      assertThat(answers.get(i).response().statusCode()).isEqualTo(200);
      assertThat(answers.get(i).response().body()).isEqualTo("request " + i);
    }
    Duration gap = Duration.between(loaded, last);
    assertThat(gap)
        .as("all held requests answered soon after /ping answers")
        .isLessThan(seconds(2));
    assertThat(ready(ns.resources(Pod.class).withName(pod.getMetadata().getName()).get()))
        .as("kubelet has not reported the pod Ready yet")
        .isFalse();
    assertThat(copiesServing()).as("the component's status counts Ready copies only").isZero();
    assertThat(probedCopies()).as("one copy found by probing").isEqualTo(1);

    // Kubelet's Ready arrives later and changes nothing: the copy keeps serving.
    Pod readyPod =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> ns.resources(Pod.class).withName(pod.getMetadata().getName()).get(),
                GatewayProbeIT::ready);
    Instant kubeletReady = Instant.now();
    assertThat(readyPod.getStatus().getPodIP()).isEqualTo(ip);
    HttpResponse<String> after =
        http.send(invocation("after Ready"), HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("after Ready");
    assertThat(probedCopies()).as("no second find").isEqualTo(1);

    System.out.printf(
        "[ebb-tests] %d requests held at zero copies: first answered %d ms, last %d ms after the"
            + " model server began answering /ping; kubelet (reporting %d s late) said Ready %d ms"
            + " after%n",
        n,
        Duration.between(loaded, first).toMillis(),
        gap.toMillis(),
        KUBELET_LAG.toSeconds(),
        Duration.between(loaded, kubeletReady).toMillis());
  }

  private record Answered(HttpResponse<String> response, Instant at) {}

  private Pod onlyPod() {
    List<Pod> pods = ns.resources(Pod.class).list().getItems();
    return pods.size() == 1 ? pods.get(0) : null;
  }

  private static boolean serverRunning(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getContainerStatuses() != null
        && pod.getStatus().getContainerStatuses().stream()
            .anyMatch(
                c ->
                    ModelServerWorkload.SERVER_CONTAINER.equals(c.getName())
                        && c.getState() != null
                        && c.getState().getRunning() != null);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int pingStatus(HttpClient http, String ip) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/ping"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1; // not listening yet
    }
  }

  private int copiesServing() {
    var status = ns.get(InferenceComponent.class, "tiny").getStatus();
    return status == null || status.copies() == null || status.copies().current() == null
        ? 0
        : status.copies().current();
  }

  private long probedCopies() {
    var timer = registry.find("ebb.gateway.probed.copies").tag("namespace", ns.name()).timer();
    return timer == null ? 0 : timer.count();
  }

  private static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  private HttpRequest invocation(String body) {
    return HttpRequest.newBuilder(
            URI.create(
                "http://localhost:"
                    + httpPort
                    + "/endpoints/"
                    + SageMakerNames.forObject(ns.name(), "cpu")
                    + "/invocations"))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
