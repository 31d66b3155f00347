package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backend sagemaker replayed: the seed's scale-to-zero recipe, compiled by the operator and run
 * with AWS's behaviour, with and without Ebb's gateway. The numbers are those of {@code
 * bench/sagemaker-wake.sh}, which runs the same recipe through the simulator: a 30-second alarm
 * period before the copy is asked for without the gateway, none with it.
 */
class SageMakerPlaneTest {
  static final Path SAMPLE = Path.of("config/samples/llm-scale-to-zero.yaml");
  // A Tuesday, away from the sample's schedules (Friday 18:00 and Monday 07:00, Paris).
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Duration COLD_START = Duration.ofMinutes(4);

  static PlaneRun run(boolean gateway, Trace trace) throws IOException {
    Manifests m = new Manifests();
    try (Reader in = Files.newBufferedReader(SAMPLE)) {
      m.read(SAMPLE.toString(), in);
    }
    ScalingPolicy policy = m.policies().get(0);
    InferenceComponent component = m.targetOf(policy);
    return SageMakerPlane.run(
        "llama3-8b",
        SageMakerScenario.of(
            policy,
            component,
            m.endpointOf(component).orElseThrow(),
            ColdStartModel.given(COLD_START),
            gateway),
        trace);
  }

  /** The copy the sample starts with idles out; 30 minutes in, a burst of 20; then one more. */
  static Trace burstAfterIdle() {
    List<TraceRequest> requests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      requests.add(new TraceRequest(T0.plusSeconds(1800), Duration.ofSeconds(2), 100));
    }
    requests.add(new TraceRequest(T0.plusSeconds(2100), Duration.ofSeconds(2), 100));
    return new Trace("burst", T0, T0.plusSeconds(3600), requests);
  }

  @Test
  void theRecipeAloneScalesInAfterFifteenIdleMinutesAndFailsTheBurstItWakesFor()
      throws IOException {
    PlaneRun run = run(false, burstAfterIdle());

    // Target tracking's AlarmLow: 90 datapoints of 10 s below 90 % of the target.
    Activity in = run.activities().get(0);
    assertThat(in.from()).isEqualTo(1);
    assertThat(in.to()).isZero();
    assertThat(in.time()).isBetween(T0.plusSeconds(890), T0.plusSeconds(910));
    assertThat(in.reason()).contains("AlarmLow");
    // The burst finds no copy: all 20 fail, and NoCapacityInvocationFailures' alarm (30 s, 1 of 1)
    // asks for one copy at the end of the period the burst landed in.
    Activity wake = run.activities().get(1);
    assertThat(wake.to()).isEqualTo(1);
    assertThat(wake.time()).isEqualTo(T0.plusSeconds(1830));
    assertThat(wake.reason()).contains("scale-from-zero");
    assertThat(run.wakes()).isEqualTo(1);
    List<Outcome> burst = run.outcomes().subList(0, 20);
    assertThat(burst)
        .allSatisfy(o -> assertThat(o.failure()).contains(Outcome.Failure.NO_CAPACITY));
    // The copy serves 4 minutes later; the request after that is served at once.
    assertThat(run.outcomes().get(20).failed()).isFalse();
    assertThat(run.outcomes().get(20).waited()).isZero();
  }

  @Test
  void withTheGatewayTheBurstIsHeldAndOneCopyIsAskedForAtOnce() throws IOException {
    PlaneRun run = run(true, burstAfterIdle());

    // The gateway rings the scale-from-zero alarm when the burst arrives (10:30:00); Application
    // Auto Scaling runs the step then, 30 s before the alarm would have fired on its own.
    Activity wake = run.activities().get(1);
    assertThat(wake.to()).isEqualTo(1);
    assertThat(wake.time()).isEqualTo(T0.plusSeconds(1800));
    assertThat(wake.trigger()).isEqualTo("Gateway");
    assertThat(wake.reason()).endsWith("triggered policy ebb-scale-from-zero");
    List<Outcome> burst = run.outcomes().subList(0, 20);
    assertThat(burst).allSatisfy(o -> assertThat(o.failed()).isFalse());
    assertThat(burst).allSatisfy(o -> assertThat(o.waited()).isEqualTo(COLD_START));
    Summary summary = Summary.of(run, java.util.OptionalDouble.empty());
    assertThat(summary.failed()).isZero();
    assertThat(summary.waited()).isEqualTo(20);
    // The burst's first request reached SageMaker and counted one NoCapacityInvocationFailures,
    // so the alarm fires on its own at the end of its period (10:30:30); the step's cooldown
    // (60 s) holds it back: one copy, not the two a copy count set beside the alarm would give.
    assertThat(run.activities())
        .as("one scale-out: the wake; then idle again, to zero")
        .filteredOn(a -> a.to() > a.from())
        .containsExactly(wake);
    assertThat(run.activities().get(2).to()).isZero();
    assertThat(run.copyStarts()).isEqualTo(1);
  }

  @Test
  void concurrencyAboveTheTargetScalesOutByTargetTracking() throws IOException {
    // Twelve requests in flight all the time on one copy: 12 per copy against a target of 5.
    List<TraceRequest> requests = new ArrayList<>();
    for (int s = 0; s < 600; s++) {
      requests.add(new TraceRequest(T0.plusSeconds(s), Duration.ofSeconds(12), 100));
    }
    PlaneRun run = run(false, new Trace("busy", T0, T0.plusSeconds(900), requests));

    Activity out = run.activities().get(0);
    assertThat(out.from()).isEqualTo(1);
    // ceil(1 × 12 / 5) = 3, after AlarmHigh's 3 datapoints of 10 s.
    assertThat(out.to()).isEqualTo(3);
    assertThat(out.time()).isBetween(T0.plusSeconds(30), T0.plusSeconds(50));
    assertThat(out.reason()).contains("AlarmHigh");
    assertThat(run.copyStarts()).isEqualTo(2);
  }
}
