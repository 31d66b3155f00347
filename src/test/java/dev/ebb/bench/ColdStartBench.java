package dev.ebb.bench;

import static org.awaitility.Awaitility.await;

import dev.ebb.testing.RealNodeEbb;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code bench/coldstart.sh}: a cold start from zero copies on the real node, phase by phase. Each
 * round sends one request to a component at zero copies through the gateway Service and, once it is
 * answered, reads when each phase ended: Ebb's scale command (the policy's last scaling activity,
 * Ebb's own clock), the pod's conditions and container states (kubelet's, to the second), and the
 * test model server's own log (to the microsecond: when {@code /ping} first answered 200, when the
 * first request reached it). The baseline, measured in the same round, is kubelet's Ready: when a
 * router that waits for the pod's Ready condition (a Service, or Ebb's gateway before it probed
 * copies itself) would have sent the request. Between rounds the Deployment is scaled to zero.
 */
@EnabledIfSystemProperty(named = "ebb.bench.coldstart", matches = "true")
class ColdStartBench {
  private static final String NS = "ml-bench";
  private static final String COMPONENT = "tiny-tarball";
  private static final DateTimeFormatter GO_LOG =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSS");

  private final int rounds = Integer.getInteger("ebb.bench.rounds", 3);

  @Test
  void coldStartsFromZero() throws Exception {
    try (RealNodeEbb ebb = RealNodeEbb.start(Map.of())) {
      KubernetesClient client = ebb.client;
      ebb.simulator
          .s3()
          .createBucket("ebb-e2e-models")
          .put("ebb-e2e-models", "tiny/model.txt", "tiny-prefix")
          .put(
              "ebb-e2e-models",
              "tiny.tar.gz",
              RealNodeEbb.tarball(Map.of("model.txt", "tiny-tarball", "weights/a.bin", "x")));
      RealNodeEbb.namespace(client, NS, Map.of());
      ebb.release(List.of("upgrade", "--install"));
      int port = ebb.forwardGateway();
      String endpoint = ebb.applyTinyGpu(NS);
      HttpClient http = HttpClient.newHttpClient();
      List<Map<String, Double>> measured = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        awaitZero(client);
        Instant sent = Instant.now();
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + port + "/endpoints/" + endpoint + "/invocations"))
                    .header("X-Amzn-SageMaker-Inference-Component", COMPONENT)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(3))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"bench\":" + round + "}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        Instant answered = Instant.now();
        if (answer.statusCode() != 200) {
          throw new AssertionError(
              "round " + round + ": " + answer.statusCode() + " " + answer.body());
        }
        Map<String, Double> phases = phases(client, sent, answered);
        System.out.println("[ebb-bench] round " + round + ": " + phases);
        measured.add(phases);
        client.apps().deployments().inNamespace(NS).withName(COMPONENT).scale(0);
      }
      System.out.println("[ebb-bench] results");
      for (String key : measured.get(0).keySet()) {
        List<Double> values = measured.stream().map(m -> m.get(key)).sorted().toList();
        System.out.printf("%s_p50=%.0f%n", key, values.get(values.size() / 2));
        System.out.printf("%s_max=%.0f%n", key, values.get(values.size() - 1));
      }
      double gap = median(measured, "ping_ok_to_first_request_ms");
      double kubelet = median(measured, "ping_ok_to_kubelet_ready_ms");
      System.out.printf("gap_ratio_vs_kubelet_ready=%.3f%n", gap / Math.max(1, kubelet));
      System.out.println("rounds=" + rounds);
    }
  }

  /**
   * Every phase of the round's cold start, in milliseconds. Ebb's scale command, the scheduler's
   * event and the model server's log are stamped to the microsecond; kubelet's container states and
   * conditions only to the second, so {@code model_fetch_ms} and {@code
   * ping_ok_to_kubelet_ready_ms} are good to about a second.
   */
  private static Map<String, Double> phases(KubernetesClient client, Instant sent, Instant answered)
      throws Exception {
    String name =
        client
            .pods()
            .inNamespace(NS)
            .withLabel("ebb.dev/inference-component", COMPONENT)
            .list()
            .getItems()
            .get(0)
            .getMetadata()
            .getName();
    // The gateway found the copy by probing it; kubelet's Ready (the baseline) comes later.
    Pod pod =
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> client.pods().inNamespace(NS).withName(name).get(), RealNodeEbb::ready);
    Map<String, Object> activity =
        client
            .genericKubernetesResources("ebb.dev/v1alpha1", "ScalingPolicy")
            .inNamespace(NS)
            .withName(COMPONENT)
            .get()
            .get("status", "lastScalingActivity");
    Instant scaled = Instant.parse((String) activity.get("time"));
    Instant scheduled =
        client.events().v1().events().inNamespace(NS).list().getItems().stream()
            .filter(e -> "Scheduled".equals(e.getReason()))
            .filter(e -> name.equals(e.getRegarding().getName()))
            .map(e -> Instant.parse(e.getEventTime().getTime()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Scheduled event for " + name));
    ContainerStatus fetch = pod.getStatus().getInitContainerStatuses().get(0);
    Instant fetchStarted = Instant.parse(fetch.getState().getTerminated().getStartedAt());
    Instant fetchFinished = Instant.parse(fetch.getState().getTerminated().getFinishedAt());
    Instant kubeletReady =
        Instant.parse(RealNodeEbb.podCondition(pod, "Ready").getLastTransitionTime());
    String log = client.pods().inNamespace(NS).withName(name).inContainer("model-server").getLog();
    Instant serving = logged(log, "serving on");
    Instant pingOk = logged(log, "first ping answered 200");
    Instant firstRequest = logged(log, "first invocation");

    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put("first_request_to_scale_command_ms", ms(sent, scaled));
    phases.put("scale_command_to_scheduled_ms", ms(scaled, scheduled));
    phases.put("scheduled_to_server_started_ms", ms(scheduled, serving));
    phases.put("model_fetch_ms", ms(fetchStarted, fetchFinished));
    phases.put("server_started_to_ping_ok_ms", ms(serving, pingOk));
    phases.put("ping_ok_to_first_request_ms", ms(pingOk, firstRequest));
    phases.put("ping_ok_to_kubelet_ready_ms", ms(pingOk, kubeletReady));
    phases.put("first_request_to_first_byte_ms", ms(sent, answered));
    return phases;
  }

  private static void awaitZero(KubernetesClient client) {
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                client
                    .pods()
                    .inNamespace(NS)
                    .withLabel("ebb.dev/inference-component", COMPONENT)
                    .list()
                    .getItems()
                    .isEmpty());
  }

  /** When the test model server logged {@code message} (its log lines start with UTC µs time). */
  private static Instant logged(String log, String message) {
    for (String line : log.split("\n")) {
      if (line.contains(message)) {
        return LocalDateTime.parse(line.substring(0, 26), GO_LOG).toInstant(ZoneOffset.UTC);
      }
    }
    throw new AssertionError("the model server never logged '" + message + "':\n" + log);
  }

  private static double ms(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static double median(List<Map<String, Double>> measured, String key) {
    List<Double> values = measured.stream().map(m -> m.get(key)).sorted().toList();
    return values.get(values.size() / 2);
  }
}
