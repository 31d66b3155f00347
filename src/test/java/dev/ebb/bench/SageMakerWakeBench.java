package dev.ebb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.SimClients;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LlmSampleOnSageMaker;
import dev.ebb.testing.ServiceAccountTokens;
import dev.ebb.testing.SimulatedTime;
import dev.ebb.testing.SimulatorClock;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The headline, measured on the simulator: the same burst of requests sent to the LLM sample's
 * component at zero copies twice, in simulated time (the shared simulator's clock is frozen and
 * moved by hand; its CloudWatch alarms and Application Auto Scaling run the recipe Ebb compiled,
 * from AWS's documented behaviour).
 *
 * <ol>
 *   <li><b>Without the gateway</b>: straight to SageMaker Runtime, what a team gets from the recipe
 *       alone. Every request of the burst is refused ("no capacity"); the caller then retries one
 *       request every {@code ebb.bench.retry-seconds} (10) simulated seconds until one is served.
 *   <li><b>With the gateway</b>: the burst is sent through Ebb's gateway, which holds the requests,
 *       wakes the component at once and sends them again once it has a copy. The simulator's clock
 *       stands still until the gateway's scale command (so its delay is measured in real time),
 *       then moves in 10-second steps until the copy is there, then stands still again while the
 *       gateway notices it and sends the held requests.
 * </ol>
 *
 * Prints {@code key=value} lines last. Run by {@code bench/sagemaker-wake.sh}.
 */
@QuarkusTest
@TestProfile(AloneProfile.class)
@EnabledIfSystemProperty(named = "ebb.bench.sagemaker-wake", matches = "true")
class SageMakerWakeBench {
  private static final String REGION = "us-east-1";
  private static final KubernetesClient client = EmbeddedApiServer.newClient();

  SageMakerSimulator simulator;
  SimulatorClock clock;

  /**
   * The shared simulator with scaling executed, realistic delays (copies 4 minutes out, 15 in) and
   * its clock in the test's hands.
   */
  @BeforeEach
  void simulatedTime() {
    LlmSampleOnSageMaker.simulatedTime(clock, simulator);
  }

  @AfterEach
  void wallTime() {
    LlmSampleOnSageMaker.wallTime(clock, simulator);
  }

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private final int burst = Integer.getInteger("ebb.bench.burst", 20);
  private final Duration retry = Duration.ofSeconds(Long.getLong("ebb.bench.retry-seconds", 10));

  private String endpoint;
  private String component;

  @Test
  void sameBurstWithoutAndWithTheGateway() throws Exception {
    String ns = TestNamespace.create(client, "sm-wake");
    var names = LlmSampleOnSageMaker.applyAndAwaitPolicy(client, clock, ns);
    endpoint = names.endpointName();
    component = names.inferenceComponentName();
    toZero();

    // 1. Straight to SageMaker Runtime.
    Instant t0 = clock.instant();
    int failedWithout = 0;
    int failedRetries = 0;
    Duration firstSuccessWithout;
    try (SageMakerRuntimeClient runtime = SimClients.runtime(simulator, Region.US_EAST_1)) {
      for (int i = 0; i < burst; i++) {
        if (!served(runtime, i)) {
          failedWithout++;
        }
      }
      while (!served(runtime, -1)) {
        failedRetries++;
        clock.advance(retry);
      }
      firstSuccessWithout = Duration.between(t0, clock.instant());
    }
    Duration scaleWithout = Duration.between(t0, scaleCommandAfter(t0));
    clock.advance(Duration.ofMinutes(3)); // past the wake alarm's periods and the step's cooldown
    int copiesWithout = copiesStartedAfter(t0);
    toZero();

    // 2. Through the gateway.
    Instant t1 = clock.instant();
    simulator.clearCalls();
    ExecutorService pool = Executors.newFixedThreadPool(burst);
    List<Future<Boolean>> answers = new ArrayList<>();
    long sent = System.nanoTime();
    // The sample has no spec.access: the gateway takes ServiceAccount tokens of its namespace.
    String token =
        ServiceAccountTokens.issue(client, ns, "bench", ServiceAccountTokens.GATEWAY_AUDIENCE);
    try (SageMakerRuntimeClient gateway =
        GatewayClients.runtime(
            httpPort,
            o ->
                o.apiCallTimeout(Duration.ofMinutes(5))
                    .retryStrategy(r -> r.maxAttempts(1))
                    .putHeader("X-Api-Key", token))) {
      for (int i = 0; i < burst; i++) {
        int id = i;
        answers.add(pool.submit(() -> served(gateway, id)));
      }
      while (wakeCommands().isEmpty()) {
        if (System.nanoTime() - sent > TimeUnit.SECONDS.toNanos(60)) {
          throw new AssertionError("the gateway sent no scale command in 60 s");
        }
        Thread.sleep(1);
      }
      double scaleWithMs = (System.nanoTime() - sent) / 1e6;
      SimulatedTime.advanceUntil(
          clock,
          Duration.ofSeconds(10),
          50,
          () -> simulator.region(REGION).component(component).currentCopyCount() > 0,
          Duration.ofMinutes(30));
      int failedWith = 0;
      for (Future<Boolean> answer : answers) {
        if (!answer.get(5, TimeUnit.MINUTES)) {
          failedWith++;
        }
      }
      pool.shutdown();
      Instant firstServed =
          simulator.calls("InvokeEndpoint").stream()
              .filter(Call::succeeded)
              .map(Call::time)
              .min(Instant::compareTo)
              .orElseThrow();
      Duration firstSuccessWith = Duration.between(t1, firstServed);
      clock.advance(Duration.ofMinutes(3));
      int copiesWith = copiesStartedAfter(t1);

      System.out.println("[ebb-bench] results");
      System.out.println("burst_requests=" + burst);
      System.out.println("client_retry_s=" + retry.toSeconds());
      System.out.println("failed_without_gateway=" + failedWithout);
      System.out.println("failed_retries_without_gateway=" + failedRetries);
      System.out.println("failed_with_gateway=" + failedWith);
      System.out.println("first_success_s_without=" + firstSuccessWithout.toSeconds());
      System.out.println("first_success_s_with=" + firstSuccessWith.toSeconds());
      System.out.println(
          "scale_command_after_first_request_ms="
              + String.format(Locale.ROOT, "%.1f", scaleWithMs));
      System.out.println("scale_command_after_first_request_ms_without=" + scaleWithout.toMillis());
      System.out.println("copies_started_without_gateway=" + copiesWithout);
      System.out.println("copies_started_with_gateway=" + copiesWith);
    }
  }

  /** Idle until Application Auto Scaling's scale-in has taken every copy away. */
  private void toZero() throws InterruptedException {
    SimulatedTime.advanceUntil(
        clock,
        Duration.ofMinutes(1),
        20,
        () -> simulator.region(REGION).component(component).currentCopyCount() == 0,
        Duration.ofHours(2));
    clock.advance(Duration.ofMinutes(5)); // past every alarm's window and policy's cooldown
  }

  /** When Application Auto Scaling's first activity after {@code t0} started. */
  private Instant scaleCommandAfter(Instant t0) {
    return simulator.scalingActivities(REGION).stream()
        .map(a -> instant(a.path("StartTime")))
        .filter(at -> !at.isBefore(t0))
        .min(Instant::compareTo)
        .orElseThrow();
  }

  /** The gateway's wake: its SetAlarmState on the policy's scale-from-zero alarm. */
  private List<Call> wakeCommands() {
    return simulator.calls("SetAlarmState").stream().filter(Call::succeeded).toList();
  }

  private static final Pattern SET_TO =
      Pattern.compile("Setting desired copy count to (\\d+) \\(from (\\d+)\\)\\.");

  /** Copies Application Auto Scaling added in its successful activities since {@code t0}. */
  private int copiesStartedAfter(Instant t0) {
    int added = 0;
    for (JsonNode a : simulator.scalingActivities(REGION)) {
      Matcher m = SET_TO.matcher(a.path("Description").asText());
      if (a.path("StatusCode").asText().equals("Successful")
          && !instant(a.path("StartTime")).isBefore(t0)
          && a.path("ResourceId").asText().equals("inference-component/" + component)
          && m.matches()) {
        added += Math.max(0, Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2)));
      }
    }
    return added;
  }

  private boolean served(SageMakerRuntimeClient runtime, int id) {
    try {
      runtime.invokeEndpoint(
          r ->
              r.endpointName(endpoint)
                  .inferenceComponentName(component)
                  .contentType("application/json")
                  .body(SdkBytes.fromUtf8String("{\"request\": " + id + "}")));
      return true;
    } catch (SdkException e) {
      return false; // SageMaker's refusal, or the gateway's error or timeout
    }
  }

  private static Instant instant(JsonNode epochSeconds) {
    return Instant.ofEpochMilli(
        new BigDecimal(epochSeconds.asText()).movePointRight(3).longValue());
  }
}
