package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.ScalingActivity;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestClock;
import dev.ebb.testing.TestNamespaceExtension;
import dev.ebb.testing.TinyComponent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The autoscaling loop end to end on the real API server: the policy engine decides, the loop
 * writes the Deployment's scale subresource, and the fake node agent turns replicas into model-
 * server processes and reports them ready, as a kubelet would. Time is the operator's test clock,
 * moved to the instants that matter; everything else runs in real time.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class LocalAutoscalingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("autoscale", TIMEOUT);

  @Inject TestClock clock;
  @Inject LocalMetrics metrics;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private FakeNodeAgent agent;
  private TinyComponent tiny;

  @BeforeEach
  void namespace() {
    agent =
        new FakeNodeAgent(
            ns.client(),
            ns.name(),
            Duration.ofMillis(1100),
            Duration.ZERO,
            Duration.ofMillis(1100));
    tiny = new TinyComponent(ns);
  }

  @AfterEach
  void cleanUp() {
    // Deleting the policies stops the loop evaluating them before the clock jumps back.
    tiny.deletePolicies();
    clock.reset();
    agent.close();
  }

  @Test
  void aScheduleTakesCopiesToZeroOnFridayEveningAndBackOnMondayMorning() {
    // 17:59:50 on Friday 27 November 2026 in Paris (UTC+1).
    clock.setTo(Instant.parse("2026-11-27T16:59:50Z"));
    tiny.apply(
        LocalManifests.cpuComponent(2)
            + policy(
                """
                minCapacity: 2
                maxCapacity: 2
                schedule:
                - {name: weekend, cron: '0 18 ? * FRI *', timeZone: Europe/Paris, minCapacity: 0, maxCapacity: 0}
                - {name: monday, cron: '0 7 ? * MON *', timeZone: Europe/Paris, minCapacity: 2, maxCapacity: 2}
                """));
    tiny.awaitComponent(
        c -> c.getStatus().copies() != null && c.getStatus().copies().current() == 2);

    clock.setTo(Instant.parse("2026-11-27T17:00:01Z"));
    tiny.awaitReplicas(0);
    ScalingActivity weekend = tiny.awaitActivity(a -> a.to() == 0);
    assertThat(weekend.from()).isEqualTo(2);
    assertThat(weekend.cause()).contains("schedule weekend fired at 2026-11-27T17:00:00Z");
    assertThat(Instant.parse(weekend.time())).isAfterOrEqualTo("2026-11-27T17:00:00Z");
    ScalingPolicy atWeekend = tiny.policy();
    assertThat(atWeekend.getStatus().local().maxCapacity()).isZero();
    assertThat(atWeekend.getStatus().condition(Condition.READY).message())
        .contains("between 0 and 0 copies (set by a scheduled action)");
    tiny.awaitComponent(c -> "ScaledToZero".equals(c.getStatus().state()));

    // Monday 06:59:57 in Paris: nothing yet.
    clock.setTo(Instant.parse("2026-11-30T05:59:57Z"));
    tiny.awaitReplicasStay(0, Duration.ofSeconds(2), Duration.ofSeconds(5));

    clock.setTo(Instant.parse("2026-11-30T06:00:01Z"));
    tiny.awaitReplicas(2);
    ScalingActivity monday = tiny.awaitActivity(a -> a.to() == 2);
    assertThat(monday.cause()).contains("schedule monday fired at 2026-11-30T06:00:00Z");
    tiny.awaitComponent(
        c -> c.getStatus().copies().current() == 2 && "Serving".equals(c.getStatus().state()));
  }

  @Test
  void demandAtZeroScalesToOneAtOnceAndTheColdStartIsMeasured() throws Exception {
    tiny.apply(
        LocalManifests.cpuComponent(0)
            + policy(
                """
                minCapacity: 0
                maxCapacity: 2
                scaleFromZero: {adjustment: 1}
                """));
    tiny.awaitPolicy(
        p ->
            p.getStatus().condition(Condition.READY) != null
                && "Applied".equals(p.getStatus().condition(Condition.READY).reason()));
    assertThat(tiny.replicas()).isZero();

    long signalled = System.nanoTime();
    metrics.holding(new ComponentKey(ns.name(), "tiny"), 3);
    await().pollInterval(Duration.ofMillis(5)).atMost(TIMEOUT).until(() -> tiny.replicas() == 1);
    double millis = (System.nanoTime() - signalled) / 1e6;
    System.out.printf(
        "[ebb-tests] demand at zero copies -> replicas 1 on the API server in %.1f ms%n", millis);

    ScalingActivity wake = tiny.awaitActivity(a -> a.to() == 1);
    assertThat(wake.trigger()).as("evaluated on the signal, not a tick").isEqualTo("Demand");
    assertThat(wake.cause()).contains("3 requests waiting at zero copies");
    metrics.holding(new ComponentKey(ns.name(), "tiny"), 0);

    InferenceComponent serving =
        tiny.awaitComponent(
            c -> "Serving".equals(c.getStatus().state()) && c.getStatus().lastColdStart() != null);
    var coldStart = serving.getStatus().lastColdStart();
    assertThat(coldStart.pod()).startsWith("tiny-");
    assertThat(coldStart.phases())
        .containsOnlyKeys("scheduled", "modelFetched", "containerStarted", "ready");
    assertThat(coldStart.seconds())
        .as("the fake node takes >= 1.1 s to schedule and >= 1.1 s to load")
        .isGreaterThanOrEqualTo(2.0);

    String metricsText =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metricsText)
        .containsPattern(
            "ebb_local_cold_start_seconds_count\\{[^}]*component=\"tiny\"[^}]*namespace=\""
                + ns.name()
                + "\"[^}]*\\} 1\\.0");
  }

  @Test
  void theIdleWindowTakesTheLastCopyAway() {
    applyOneCopyIdleAfterAMinute();
    tiny.awaitComponent(c -> c.getStatus().copies().current() == 1);

    clock.advance(Duration.ofSeconds(61));
    tiny.awaitReplicas(0);
    ScalingActivity idle = tiny.awaitActivity(a -> a.to() == 0);
    assertThat(idle.cause()).contains("no requests for 60 s");
    assertThat(idle.trigger()).isEqualTo("Tick");
    InferenceComponent scaled =
        tiny.awaitComponent(c -> "ScaledToZero".equals(c.getStatus().state()));
    assertThat(scaled.getStatus().condition(Condition.SCALED_TO_ZERO).status()).isEqualTo("True");
  }

  @Test
  void aCopyStillStartingIsNeverScaledAway() throws IOException {
    Path loaded = Files.createTempDirectory("ebb-gate").resolve("loaded");
    agent.gateLoading(loaded);
    applyOneCopyIdleAfterAMinute();

    // Idle for twice the window, but the only copy is still loading its model.
    clock.advance(Duration.ofSeconds(120));
    tiny.awaitReplicasStay(1, Duration.ofSeconds(6), Duration.ofSeconds(10));
    assertThat(tiny.policy().getStatus().lastScalingActivity()).isNull();

    // Loaded: the copy is ready, and idle, so it goes (at once: the window has long passed).
    Files.createFile(loaded);
    tiny.awaitReplicas(0);
    assertThat(tiny.awaitActivity(a -> a.to() == 0).cause()).contains("no requests for 60 s");
    assertThat(agent.startingCopiesRemoved()).isZero();
  }

  // --- helpers -----------------------------------------------------------------------------

  /** One copy, a policy with min 0 and a one-minute idle window; waits until it is tracked. */
  private void applyOneCopyIdleAfterAMinute() {
    tiny.apply(
        LocalManifests.cpuComponent(1)
            + policy(
                """
                minCapacity: 0
                maxCapacity: 2
                idle: {scaleToZeroAfterSeconds: 60}
                """));
    tiny.awaitComponent(
        c -> c.getStatus().copies() != null && c.getStatus().copies().desired() == 1);
    tiny.awaitPolicy(p -> p.getStatus().local() != null);
  }

  private static String policy(String spec) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: tiny}
        spec:
          targetRef: {kind: InferenceComponent, name: tiny}
        %s
        """
        .formatted(spec.indent(2));
  }
}
