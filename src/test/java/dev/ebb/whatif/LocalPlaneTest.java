package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backend local replayed: the engine's decisions and the gateway's holding, request by request. */
class LocalPlaneTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static final String COMPONENT =
      """
      apiVersion: ebb.dev/v1alpha1
      kind: InferenceComponent
      metadata: {name: chat}
      spec:
        endpointRef: {name: ep}
        model: {image: example/tgi:1}
        resources: {acceleratorCount: 1}
      """;

  static String policy(String extra) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: chat}
        spec:
          targetRef: {kind: InferenceComponent, name: chat}
          minCapacity: 0
          maxCapacity: 2
        """
        + extra.indent(2);
  }

  static final String WAKES =
      """
      targetTracking:
      - {metric: ConcurrentRequestsPerCopy, targetValue: 5}
      scaleFromZero: {adjustment: 1}
      idle: {scaleToZeroAfterSeconds: 900}
      """;

  static PlaneRun run(String policyYaml, Duration coldStart, Trace trace) throws IOException {
    Manifests m =
        new Manifests()
            .read("component", new StringReader(COMPONENT))
            .read("policy", new StringReader(policyYaml));
    ScalingPolicy policy = m.policies().get(0);
    InferenceComponent component = m.targetOf(policy);
    return LocalPlane.run(
        "chat",
        LocalScenario.of(policy, component, Optional.empty(), ColdStartModel.given(coldStart)),
        trace);
  }

  static TraceRequest at(long seconds) {
    return new TraceRequest(T0.plusSeconds(seconds), Duration.ofSeconds(1), 100);
  }

  static Trace trace(long endSeconds, TraceRequest... requests) {
    return new Trace("test", T0, T0.plusSeconds(endSeconds), List.of(requests));
  }

  @Test
  void anIdleCopyGoesAfterTheIdleWindowAndTheNextRequestWaitsOneColdStart() throws IOException {
    PlaneRun run = run(policy(WAKES), Duration.ofSeconds(60), trace(3600, at(10), at(1800)));

    assertThat(run.outcomes().get(0).waited()).isZero();
    // Idle from 10 s on: the copy goes at 910 s (the engine's tick is 2 s, so by 912 s).
    assertThat(run.activities().get(0).to()).isZero();
    assertThat(run.activities().get(0).time()).isBetween(T0.plusSeconds(910), T0.plusSeconds(912));
    // At 1800 s the request is held, wakes a copy at once (the demand signal), waits 60 s.
    assertThat(run.activities().get(1).trigger()).isEqualTo("Demand");
    assertThat(run.activities().get(1).time()).isEqualTo(T0.plusSeconds(1800));
    assertThat(run.outcomes().get(1).waited()).isEqualTo(Duration.ofSeconds(60));
    assertThat(run.wakes()).isEqualTo(1);
    // Paid for: the first copy from 0 to ~911 s, the second from 1800 s until it is idle again at
    // ~2700 s (900 s after the request arrived).
    assertThat(run.copySeconds()).isBetween(910.0 + 898, 912.0 + 902);
  }

  @Test
  void withoutScaleFromZeroARequestAtZeroIsRefusedAtOnce() throws IOException {
    PlaneRun run =
        run(
            policy("idle: {scaleToZeroAfterSeconds: 60}\n"),
            Duration.ofSeconds(30),
            trace(600, at(0), at(300)));

    assertThat(run.outcomes().get(1).failure()).contains(Outcome.Failure.REFUSED_AT_ZERO);
    assertThat(run.wakes()).isZero();
  }

  @Test
  void aCopyStartingForAnotherReasonHoldsRequestsEvenWithoutScaleFromZero() throws IOException {
    // At zero from ~60 s; a scheduled action raises the minimum at 300 s; the copy serves at 360 s.
    PlaneRun run =
        run(
            policy(
                """
                idle: {scaleToZeroAfterSeconds: 60}
                schedule:
                - {name: up, at: "2026-12-01T00:05:00", minCapacity: 1, maxCapacity: 2}
                """),
            Duration.ofSeconds(60),
            trace(600, at(0), at(200), at(330)));

    assertThat(run.outcomes().get(1).failure()).contains(Outcome.Failure.REFUSED_AT_ZERO);
    assertThat(run.outcomes().get(2).failed()).isFalse();
    assertThat(run.outcomes().get(2).waited()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void requestsBeyondTheQueueBoundAreRefusedAndTheHeldOnesGoOutTogether() throws IOException {
    List<TraceRequest> requests = new ArrayList<>();
    requests.add(at(0));
    for (int i = 0; i < 1005; i++) {
      requests.add(new TraceRequest(T0.plusSeconds(1000).plusMillis(i), Duration.ofSeconds(1), 10));
    }
    PlaneRun run =
        run(
            policy(WAKES.replace("900", "60")),
            Duration.ofSeconds(20),
            new Trace("burst", T0, T0.plusSeconds(1200), requests));

    long queueFull =
        run.outcomes().stream()
            .filter(o -> o.failure().equals(Optional.of(Outcome.Failure.QUEUE_FULL)))
            .count();
    assertThat(queueFull).isEqualTo(5);
    // Every held request is sent when the copy is ready, 20 s after the first was held.
    assertThat(run.outcomes().get(1).waited()).isEqualTo(Duration.ofSeconds(20));
    assertThat(run.outcomes().get(1000).waited()).isEqualTo(Duration.ofMillis(20_000 - 999));
  }

  @Test
  void aColdStartLongerThanTheTimeoutFailsTheHeldRequests() throws IOException {
    PlaneRun run =
        run(
            policy(WAKES.replace("900", "60")),
            Duration.ofMinutes(15),
            trace(3600, at(0), at(600)));

    assertThat(run.outcomes().get(1).failure()).contains(Outcome.Failure.TIMED_OUT);
    assertThat(run.outcomes().get(1).waited()).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void loadAboveTargetScalesOutWithTheEngine() throws IOException {
    // 8 requests a second, each 1 s long: 8 concurrent on one copy, target 5 → 2 copies.
    List<TraceRequest> requests = new ArrayList<>();
    for (int ms = 0; ms < 300_000; ms += 125) {
      requests.add(new TraceRequest(T0.plusMillis(ms), Duration.ofSeconds(1), 10));
    }
    PlaneRun run =
        run(
            policy(WAKES),
            Duration.ofSeconds(30),
            new Trace("load", T0, T0.plusSeconds(300), requests));

    assertThat(run.activities()).isNotEmpty();
    assertThat(run.activities().get(0).to()).isEqualTo(2);
    assertThat(run.activities().get(0).reason()).contains("ConcurrentRequestsPerCopy");
    assertThat(run.copyStarts()).isEqualTo(1);
    assertThat(run.outcomes()).noneMatch(o -> o.failed() || !o.waited().isZero());
  }
}
