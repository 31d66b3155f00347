package dev.ebb.bench;

import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.config.LocalConfig;
import dev.ebb.gateway.meters.AccessLog;
import dev.ebb.local.ColdStarts;
import dev.ebb.local.ScalingLog;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.TestClock;
import dev.ebb.testing.TestNamespace;
import dev.ebb.whatif.ColdStartModel;
import dev.ebb.whatif.LocalScenario;
import dev.ebb.whatif.MeasuredRun;
import dev.ebb.whatif.RealityCheck;
import dev.ebb.whatif.RealityCheck.Measure;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code bench/wake.sh}: requests sent while a local component has zero copies. Each round sends
 * concurrent requests at zero copies and measures Ebb's own time: from the first request to the
 * scale command the API server accepted, plus from the copy's model server listening (the echo
 * server answers {@code /ping} from then on) to the first request reaching it. The model server's
 * own start (scheduling, process start) is excluded. The fake kubelet reports Ready {@code
 * ebb.bench.readiness-lag-ms} (5 s) after {@code /ping} answers, as kubelet's periodic probes do,
 * so the held requests go out by the gateway's own probe. Between rounds the test clock moves past
 * the idle window, so the loop takes the copy away again. Prints {@code key=value} lines last.
 *
 * <p>Then issue 18's reality check: the operator's own log of the run (the gateway's access log and
 * its {@code ebb-scale} lines, on the operator's clock) is replayed by what-if, as {@code what-if
 * --check} replays {@code kubectl logs}, with the policy, component and endpoint as the cluster
 * holds them and the cold start the operator measured; the {@code what_if_*} lines say how far the
 * prediction is from what happened.
 */
@QuarkusTest
@TestProfile(AloneProfile.class)
@EnabledIfSystemProperty(named = "ebb.bench.tools", matches = ".+")
class WakeBench {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject TestClock clock;

  @Inject LocalConfig local;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private final Path tools = Path.of(System.getProperty("ebb.bench.tools", ""));
  private final int rounds = Integer.getInteger("ebb.bench.rounds", 10);
  private final int concurrent = Integer.getInteger("ebb.bench.concurrent", 20);
  private final Duration readinessLag =
      Duration.ofMillis(Long.getLong("ebb.bench.readiness-lag-ms", 5_000));

  @Test
  void wakeFromZero() throws Exception {
    KubernetesClient client = EmbeddedApiServer.newClient();
    String ns = TestNamespace.create(client, "wakebench");
    Path firstRequest = Files.createTempDirectory("ebb-wake").resolve("first");
    List<Double> overheads = new ArrayList<>();
    List<Double> toScale = new ArrayList<>();
    List<Double> servingToFirstByte = new ArrayList<>();
    int failed = 0;
    OperatorLog operatorLog = OperatorLog.attach();
    RealityCheck check = null;
    try (FakeNodeAgent agent =
        new FakeNodeAgent(client, ns, Duration.ZERO, Duration.ZERO, Duration.ZERO)
            .readinessReportDelay(readinessLag)
            .withModelServer(
                ip ->
                    List.of(
                        tools.resolve("echo").toString(),
                        "-addr",
                        ip + ":8080",
                        "-first-request-file",
                        firstRequest.toString()))) {
      client
          .load(
              new ByteArrayInputStream(
                  (LocalManifests.cpuComponent(0)
                          + """
                          apiVersion: ebb.dev/v1alpha1
                          kind: ScalingPolicy
                          metadata: {name: tiny}
                          spec:
                            targetRef: {kind: InferenceComponent, name: tiny}
                            minCapacity: 0
                            maxCapacity: 1
                            scaleFromZero: {adjustment: 1}
                            idle: {scaleToZeroAfterSeconds: 60}
                          """)
                      .getBytes(StandardCharsets.UTF_8)))
          .inNamespace(ns)
          .serverSideApply();
      String endpoint =
          await()
              .atMost(TIMEOUT)
              .until(
                  () ->
                      client
                          .resources(dev.ebb.api.v1alpha1.InferenceEndpoint.class)
                          .inNamespace(ns)
                          .withName("cpu")
                          .get(),
                  e -> e != null && e.getStatus() != null && e.getStatus().endpointName() != null)
              .getStatus()
              .endpointName();
      await()
          .atMost(TIMEOUT)
          .until(
              () -> policy(client, ns),
              p -> p != null && p.getStatus() != null && p.getStatus().local() != null);
      HttpClient http = HttpClient.newHttpClient();
      URI url =
          URI.create("http://127.0.0.1:" + httpPort + "/endpoints/" + endpoint + "/invocations");
      // Warm up the request path once, as a running operator would be.
      Files.deleteIfExists(firstRequest);
      round(http, url, 1);
      scaleAway(client, ns);

      for (int r = 0; r < rounds; r++) {
        Files.deleteIfExists(firstRequest);
        Instant sent = clock.instant(); // Ebb's clock, which the scaling activity is stamped by
        failed += round(http, url, concurrent);
        Instant scaled =
            await()
                .atMost(TIMEOUT)
                .until(
                    () -> policy(client, ns).getStatus().lastScalingActivity(),
                    a -> a != null && a.to() == 1 && !Instant.parse(a.time()).isBefore(sent))
                .time()
                .transform(Instant::parse);
        Instant serving = agent.lastListening().orElseThrow();
        Instant firstByte =
            Instant.ofEpochSecond(0, Long.parseLong(Files.readString(firstRequest).trim()));
        double commandMs = Duration.between(sent, scaled).toNanos() / 1e6;
        double forwardMs = Duration.between(serving, firstByte).toNanos() / 1e6;
        toScale.add(commandMs);
        servingToFirstByte.add(forwardMs);
        overheads.add(commandMs + forwardMs);
        scaleAway(client, ns);
      }
      check = replay(client, ns, operatorLog.lines());
    } finally {
      operatorLog.detach();
      clock.reset();
      client.resources(ScalingPolicy.class).inNamespace(ns).delete();
      client.close();
    }
    System.out.println("[ebb-bench] results");
    System.out.println("rounds=" + rounds);
    System.out.println("requests_per_round=" + concurrent);
    System.out.println("first_request_to_scale_command_ms_p50=" + median(toScale));
    System.out.println("readiness_lag_ms=" + readinessLag.toMillis());
    System.out.println("serving_to_first_byte_ms_p50=" + median(servingToFirstByte));
    System.out.println(
        "serving_to_first_byte_ms_max="
            + servingToFirstByte.stream().mapToDouble(d -> d).max().orElse(0));
    System.out.println("wake_overhead_ms_p50=" + median(overheads));
    System.out.println(
        "wake_overhead_ms_max=" + overheads.stream().mapToDouble(d -> d).max().orElse(0));
    System.out.println("failed=" + failed);
    System.out.print(check.table());
    for (Measure m : Measure.values()) {
      RealityCheck.Row row = check.row(m);
      String key = "what_if_" + m.name().toLowerCase(java.util.Locale.ROOT);
      System.out.printf(java.util.Locale.ROOT, "%s_predicted=%.2f%n", key, row.predicted());
      System.out.printf(java.util.Locale.ROOT, "%s_measured=%.2f%n", key, row.measured());
    }
  }

  /**
   * What-if's prediction for the run, from the operator's log alone (as {@code what-if --check}
   * reads {@code kubectl logs}), the manifests as the cluster holds them, and the cold start the
   * operator measured last ({@code status.lastColdStart}).
   */
  private RealityCheck replay(KubernetesClient client, String ns, List<String> log) {
    var component =
        client.resources(InferenceComponent.class).inNamespace(ns).withName("tiny").get();
    var endpoint = client.resources(InferenceEndpoint.class).inNamespace(ns).withName("cpu").get();
    var policy = policy(client, ns);
    MeasuredRun measured = MeasuredRun.fromLog("the operator's log", log, ns + "/tiny");
    ColdStartModel coldStart =
        ColdStartModel.measured(component, log)
            .orElseThrow(() -> new AssertionError("tiny has no status.lastColdStart"));
    LocalScenario scenario =
        LocalScenario.of(policy, component, Optional.of(endpoint), coldStart)
            .withTick(local.autoscalingTick());
    return RealityCheck.replay("tiny", scenario, measured, Duration.ZERO);
  }

  /** The operator's {@code ebb-access} and {@code ebb-scale} lines, caught in this JVM. */
  private static final class OperatorLog extends Handler {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    static OperatorLog attach() {
      OperatorLog log = new OperatorLog();
      Logger.getLogger("").addHandler(log);
      return log;
    }

    void detach() {
      Logger.getLogger("").removeHandler(this);
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (message != null && record.getParameters() != null) {
        message = String.format(java.util.Locale.ROOT, message, record.getParameters()); // infof
      }
      if (message != null
          && (message.startsWith(AccessLog.MARKER + " ")
              || message.startsWith(ScalingLog.MARKER + " ")
              || message.startsWith(ColdStarts.PING_ANSWERED))) {
        lines.add(message);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Sends {@code n} requests at once; how many did not succeed. */
  private static int round(HttpClient http, URI url, int n) throws Exception {
    List<Integer> statuses =
        GatewayClients.concurrently(
            n,
            i -> {
              try {
                return http.send(
                        HttpRequest.newBuilder(url)
                            .header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString("request " + i))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode();
              } catch (Exception e) {
                return -1;
              }
            });
    return (int) statuses.stream().filter(s -> s != 200).count();
  }

  /** Moves the test clock past the idle window and waits until the copy is gone. */
  private void scaleAway(KubernetesClient client, String ns) {
    clock.advance(Duration.ofSeconds(61));
    await()
        .atMost(TIMEOUT)
        .until(
            () -> client.apps().deployments().inNamespace(ns).withName("tiny").get(),
            d ->
                d.getSpec().getReplicas() == 0
                    && (d.getStatus().getReadyReplicas() == null
                        || d.getStatus().getReadyReplicas() == 0));
    await().atMost(TIMEOUT).until(() -> client.pods().inNamespace(ns).list().getItems().isEmpty());
  }

  private static ScalingPolicy policy(KubernetesClient client, String ns) {
    return client.resources(ScalingPolicy.class).inNamespace(ns).withName("tiny").get();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return 0;
    }
    double m = sorted.get(sorted.size() / 2);
    return Math.round(m * 10) / 10.0;
  }
}
