package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.scaling.ScalingRules.Statistic;
import dev.ebb.simulator.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ComponentMetricsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private final ComponentMetrics metrics = new ComponentMetrics(clock);

  @Test
  void windowsReadOnlyTheSamplesInsideThem() {
    metrics.record("ConcurrentRequestsPerCopy", 8);
    clock.advance(Duration.ofSeconds(50));
    metrics.record("ConcurrentRequestsPerCopy", 2);
    clock.advance(Duration.ofSeconds(1));
    metrics.record("ConcurrentRequestsPerCopy", 4);

    assertThat(metrics.average("ConcurrentRequestsPerCopy", Duration.ofMinutes(1)))
        .hasValue((8 + 2 + 4) / 3.0);
    assertThat(metrics.average("ConcurrentRequestsPerCopy", Duration.ofSeconds(10))).hasValue(3);
    assertThat(metrics.maximum("ConcurrentRequestsPerCopy", Duration.ofSeconds(10))).hasValue(4);
    assertThat(metrics.maximum("ConcurrentRequestsPerCopy", Duration.ofMinutes(1))).hasValue(8);
    assertThat(metrics.average("InvocationsPerCopy", Duration.ofMinutes(1)))
        .as("a metric nobody reports")
        .isEmpty();
  }

  @Test
  void aWindowIsCoveredOnlyOnceTheFirstSampleIsThatOld() {
    metrics.record("InvocationsPerCopy", 1);
    clock.advance(Duration.ofMinutes(14));
    assertThat(metrics.covers("InvocationsPerCopy", Duration.ofMinutes(15))).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(metrics.covers("InvocationsPerCopy", Duration.ofMinutes(15))).isTrue();
    assertThat(metrics.covers("ConcurrentRequestsPerCopy", Duration.ofSeconds(1))).isFalse();
  }

  @Test
  void alarmPeriodsAggregateWithTheirStatistic() {
    for (int v : new int[] {1, 5, 3}) {
      metrics.record("HeldRequests", v);
      clock.advance(Duration.ofSeconds(10));
    }
    Instant from = T0;
    Instant to = T0.plusSeconds(30);
    assertThat(metrics.aggregate("HeldRequests", Statistic.Sum, from, to)).hasValue(9);
    assertThat(metrics.aggregate("HeldRequests", Statistic.SampleCount, from, to)).hasValue(3);
    assertThat(metrics.aggregate("HeldRequests", Statistic.Minimum, from, to)).hasValue(1);
    assertThat(metrics.aggregate("HeldRequests", Statistic.Maximum, from, to)).hasValue(5);
    assertThat(metrics.aggregate("HeldRequests", Statistic.Average, from, to)).hasValue(3);
    assertThat(metrics.aggregate("HeldRequests", Statistic.Sum, from, T0.plusSeconds(10)))
        .as("[from, to): the sample at 'to' belongs to the next period")
        .hasValue(1);
  }

  @Test
  void samplesOlderThanTheRetentionAreDropped() {
    metrics.record("InvocationsPerCopy", 100);
    clock.advance(ComponentMetrics.RETENTION.plusMinutes(1));
    metrics.record("InvocationsPerCopy", 1);
    assertThat(
            metrics.aggregate(
                "InvocationsPerCopy",
                Statistic.Sum,
                T0.minusSeconds(1),
                clock.instant().plusSeconds(1)))
        .hasValue(1);
  }

  @Test
  void samplesOfOneSecondAreAveragedAsThatSecondsValue() {
    metrics.record("ConcurrentRequestsPerCopy", 2);
    metrics.record("ConcurrentRequestsPerCopy", 4);
    clock.advance(Duration.ofSeconds(1));
    metrics.record("ConcurrentRequestsPerCopy", 9);
    assertThat(metrics.average("ConcurrentRequestsPerCopy", Duration.ofMinutes(1))).hasValue(6);
    assertThat(metrics.ownValuesSince(T0.getEpochSecond()))
        .containsEntry(
            "ConcurrentRequestsPerCopy",
            java.util.Map.of(T0.getEpochSecond(), 3.0, T0.getEpochSecond() + 1, 9.0));
  }

  @Test
  void otherReplicasValuesAddUpPerSecond() {
    long t0 = T0.getEpochSecond();
    metrics.record("ConcurrentRequestsPerCopy", 2);
    metrics.merge(
        "replica-b",
        java.util.Map.of("ConcurrentRequestsPerCopy", java.util.Map.of(t0, 3.0, t0 + 1, 1.0)),
        0,
        java.util.Optional.empty(),
        java.util.Optional.of(T0.minusSeconds(5)));
    // The same report heard twice changes nothing.
    metrics.merge(
        "replica-b",
        java.util.Map.of("ConcurrentRequestsPerCopy", java.util.Map.of(t0, 3.0)),
        0,
        java.util.Optional.empty(),
        java.util.Optional.empty());
    clock.advance(Duration.ofSeconds(1));
    metrics.record("ConcurrentRequestsPerCopy", 1);

    // Per second: 2 + 3, then 1 + 1.
    assertThat(metrics.average("ConcurrentRequestsPerCopy", Duration.ofMinutes(1))).hasValue(3.5);
    assertThat(metrics.maximum("ConcurrentRequestsPerCopy", Duration.ofMinutes(1))).hasValue(5);
    assertThat(
            metrics.aggregate(
                "ConcurrentRequestsPerCopy", Statistic.SampleCount, T0, T0.plusSeconds(2)))
        .hasValue(2);
    assertThat(metrics.ownValuesSince(t0).get("ConcurrentRequestsPerCopy"))
        .as("a replica reports only its own values")
        .containsOnlyKeys(t0, t0 + 1)
        .containsEntry(t0, 2.0);
  }

  @Test
  void otherReplicasHeldRequestsAreDemandWhileFresh() {
    metrics.holding(1);
    clock.advance(Duration.ofSeconds(2));
    metrics.remoteHolding("replica-b", 4);
    assertThat(metrics.heldRequests()).isEqualTo(5);
    assertThat(metrics.heldSince()).contains(T0);
    assertThat(metrics.lastRequest()).contains(T0.plusSeconds(2));
    assertThat(metrics.ownHeld()).isEqualTo(1);

    metrics.holding(0);
    assertThat(metrics.heldSince()).contains(T0.plusSeconds(2));
    clock.advance(ComponentMetrics.REMOTE_HELD_FRESHNESS.plusSeconds(1));
    assertThat(metrics.heldRequests())
        .as("a replica not heard from for a while holds nothing")
        .isZero();
    assertThat(metrics.heldSince()).isEmpty();
  }

  @Test
  void heldRequestsAreDemandAndARequestEndsTheIdleTime() {
    assertThat(metrics.lastRequest()).isEmpty();
    metrics.holding(3);
    metrics.requestArrived();
    assertThat(metrics.heldRequests()).isEqualTo(3);
    assertThat(metrics.lastRequest()).contains(T0);
    metrics.holding(-1);
    assertThat(metrics.heldRequests()).isZero();
  }
}
