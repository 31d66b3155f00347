package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.whatif.MeasuredRun.CopiesAt;
import dev.ebb.whatif.RealityCheck.Measure;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What-if's prediction beside what the gateway logged and the copies the operator asked for. */
class RealityCheckTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static final String POLICY =
      """
      apiVersion: ebb.dev/v1alpha1
      kind: ScalingPolicy
      metadata: {name: chat}
      spec:
        targetRef: {kind: InferenceComponent, name: chat}
        minCapacity: 0
        maxCapacity: 1
        scaleFromZero: {adjustment: 1, cooldownSeconds: 5}
        idle: {scaleToZeroAfterSeconds: 60}
      """;

  static String line(double atSeconds, String outcome, double waitedMs, double durationMs) {
    return "2026-12-01T00:01:00.000Z level=INFO  logger=d.e.g.access namespace= name= kind= msg="
        + "ebb-access time="
        + T0.plusMillis(Math.round(atSeconds * 1000))
        + " namespace=ml component=chat outcome="
        + outcome
        + String.format(
            java.util.Locale.ROOT,
            " waited_ms=%.3f duration_ms=%.3f bytes=12",
            waitedMs,
            durationMs);
  }

  static LocalScenario scenario(Duration coldStart) throws IOException {
    Manifests m =
        new Manifests()
            .read("component", new StringReader(LocalPlaneTest.COMPONENT))
            .read("policy", new StringReader(POLICY));
    ScalingPolicy policy = m.policies().get(0);
    InferenceComponent component = m.targetOf(policy);
    return LocalScenario.of(policy, component, Optional.empty(), ColdStartModel.given(coldStart))
        .withTick(Duration.ofSeconds(1));
  }

  @Test
  void aWakeAsTheGatewayLoggedItIsPredictedWithTheErrorOfEachMeasure() throws IOException {
    List<String> log = new ArrayList<>();
    log.add("2026-12-01T00:00:00.000Z level=INFO  logger=i.quarkus msg=ebb started");
    for (int i = 0; i < 8; i++) {
      log.add(line(1, "200", 5_200, 40)); // held through the cold start
    }
    log.add(line(20, "200", 0.045, 30)); // a copy was ready: the gateway's own dispatch
    MeasuredRun measured =
        new MeasuredRun(
            T0,
            T0.plusSeconds(120),
            Trace.accessLog("ebb.log", log, "ml/chat"),
            List.of(
                new CopiesAt(T0, 0),
                new CopiesAt(T0.plusMillis(1_100), 1),
                new CopiesAt(T0.plusSeconds(81), 0)));

    RealityCheck check =
        RealityCheck.replay("chat", scenario(Duration.ofSeconds(5)), measured, Duration.ZERO);

    assertThat(check.row(Measure.REQUESTS).predicted()).isEqualTo(9);
    assertThat(check.row(Measure.REQUESTS).measured()).isEqualTo(9);
    assertThat(check.row(Measure.WAKES).measured()).isEqualTo(1);
    assertThat(check.row(Measure.WAKES).error()).isZero();
    assertThat(check.row(Measure.COPY_STARTS).error()).isZero();
    // The request at 20 s found a ready copy; its 45 µs are not a wait.
    assertThat(check.row(Measure.WAITED).measured()).isEqualTo(8);
    assertThat(check.row(Measure.WAITED).error()).isZero();
    assertThat(check.row(Measure.FAILED).measured()).isZero();
    // The prediction is the cold start given; the gateway measured 0.2 s more.
    assertThat(check.row(Measure.WAIT_MAX).predicted()).isCloseTo(5, within(0.001));
    assertThat(check.row(Measure.WAIT_MAX).error()).isCloseTo(-0.2, within(0.001));
    // Idle from 20.03 s: the engine, ticking every second, takes it to zero 60-61 s later.
    assertThat(check.row(Measure.BACK_AT_ZERO).predicted()).isBetween(79.0, 81.1);
    assertThat(check.row(Measure.BACK_AT_ZERO).measured()).isCloseTo(80, within(0.001));
    assertThat(check.row(Measure.COPY_SECONDS).measured()).isCloseTo(79.9, within(0.001));
    assertThat(check.row(Measure.COPY_SECONDS).relativeError()).isBetween(-0.02, 0.02);
    assertThat(check.table())
        .contains("what-if against reality: chat", "cold starts (wakes from zero)", "wait max");
  }

  @Test
  void requestsTheGatewayRefusedCountAsFailedAndAreNotWaits() {
    List<String> log =
        List.of(line(1, "429", 0.01, 0), line(2, "504", 120_000, 0), line(3, "500", 2, 10));
    MeasuredRun measured =
        new MeasuredRun(
            T0,
            T0.plusSeconds(200),
            Trace.accessLog("ebb.log", log, "chat"),
            List.of(new CopiesAt(T0.minusSeconds(5), 0)));

    assertThat(measured.failed()).isEqualTo(2);
    assertThat(measured.waited()).isZero();
    // The model server's own 500 was sent: it counts among the waits, as 0.
    assertThat(measured.waits()).containsExactly(0.0);
    assertThat(measured.wakes()).isZero();
    assertThat(measured.lastAtZero()).isEmpty();
    assertThat(measured.copySeconds()).isZero();
  }
}
