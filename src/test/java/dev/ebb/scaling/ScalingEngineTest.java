package dev.ebb.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.scaling.Reason.Cause;
import dev.ebb.scaling.ScalingRules.ScaleFromZero;
import dev.ebb.scaling.ScalingRules.TargetTracking;
import dev.ebb.simulator.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's rules, each on a stepped clock. */
class ScalingEngineTest {
  private static final String CONCURRENCY = "ConcurrentRequestsPerCopy";
  private static final Instant FRIDAY_NOON = Instant.parse("2026-12-04T11:00:00Z");

  private ManualClock clock;
  private FakeMetrics metrics;
  private ScalingEngine engine;

  @BeforeEach
  void start() {
    clock = new ManualClock(FRIDAY_NOON);
    metrics = new FakeMetrics(clock);
    engine = new ScalingEngine(clock);
  }

  private static ScalingRules rules(int min, int max, List<Schedule> schedules, boolean disableIn) {
    return new ScalingRules(
        new Bounds(min, max),
        List.of(
            new TargetTracking(
                CONCURRENCY, 5.0, Duration.ofMinutes(5), Duration.ofMinutes(5), disableIn)),
        Optional.of(new ScaleFromZero(1)),
        List.of(),
        schedules,
        Duration.ofMinutes(15));
  }

  private static ScalingRules rules(int min, int max) {
    return rules(min, max, List.of(), false);
  }

  /** Feeds {@code value} every 10 s for {@code span}, stepping the clock. */
  private void traffic(double value, Duration span) {
    for (long s = 0; s < span.toSeconds(); s += 10) {
      metrics.record(CONCURRENCY, value);
      clock.advance(Duration.ofSeconds(10));
    }
  }

  /** A state as if the operator had been running for an hour. */
  private EngineState warm(Bounds bounds) {
    return new EngineState(
        clock.instant().minus(Duration.ofHours(1)),
        bounds,
        clock.instant(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void aboveTargetScalesOutToCeilOfCurrentTimesMetricOverTarget() {
    EngineState state = warm(new Bounds(0, 10));
    traffic(12, Duration.ofMinutes(1));

    Decision d = engine.evaluate(rules(0, 10), new Copies(2, 2, 0), metrics, state);

    assertThat(d.to()).isEqualTo(5); // ceil(2 x 12 / 5)
    assertThat(d.causes()).contains(Cause.ABOVE_TARGET);
  }

  @Test
  void scaleOutIsClampedToMaxAndWaitsOutItsCooldown() {
    EngineState state = warm(new Bounds(0, 4));
    traffic(50, Duration.ofMinutes(1));
    Decision first = engine.evaluate(rules(0, 4), new Copies(1, 1, 0), metrics, state);
    assertThat(first.to()).isEqualTo(4);

    clock.advance(Duration.ofMinutes(1));
    traffic(50, Duration.ofMinutes(1));
    Decision again = engine.evaluate(rules(0, 10), new Copies(4, 4, 0), metrics, first.next());
    assertThat(again.scales()).isFalse();
    assertThat(again.causes()).contains(Cause.COOLDOWN);
  }

  @Test
  void scaleInOnlyAfterFifteenMinutesAtLeastTenPercentBelowTarget() {
    EngineState state = warm(new Bounds(1, 10));
    traffic(4.6, Duration.ofMinutes(16)); // 92% of target: not low enough
    assertThat(engine.evaluate(rules(1, 10), new Copies(4, 4, 0), metrics, state).scales())
        .isFalse();

    traffic(1.0, Duration.ofMinutes(14)); // low, but 4.6 is still inside the window
    assertThat(engine.evaluate(rules(1, 10), new Copies(4, 4, 0), metrics, state).scales())
        .isFalse();

    traffic(1.0, Duration.ofMinutes(2)); // now the whole window is low
    Decision d = engine.evaluate(rules(1, 10), new Copies(4, 4, 0), metrics, state);
    assertThat(d.to()).isEqualTo(1); // ceil(4 x 1 / 5)
    assertThat(d.causes()).contains(Cause.BELOW_TARGET);
  }

  @Test
  void aScaleInWaitsOutTheScaleInCooldown() {
    EngineState state = warm(new Bounds(1, 10));
    traffic(2.0, Duration.ofMinutes(16));
    Decision first = engine.evaluate(rules(1, 10), new Copies(8, 8, 0), metrics, state);
    assertThat(first.to()).isEqualTo(4); // ceil(8 x 2 / 5)

    traffic(1.0, Duration.ofMinutes(4)); // still low, but within the 5-minute cooldown
    assertThat(engine.evaluate(rules(1, 10), new Copies(4, 4, 0), metrics, first.next()).scales())
        .isFalse();

    traffic(1.0, Duration.ofMinutes(1));
    assertThat(engine.evaluate(rules(1, 10), new Copies(4, 4, 0), metrics, first.next()).to())
        .isLessThan(4);
  }

  @Test
  void disableScaleInKeepsCapacity() {
    EngineState state = warm(new Bounds(1, 10));
    traffic(1.0, Duration.ofMinutes(16));
    assertThat(
            engine
                .evaluate(rules(1, 10, List.of(), true), new Copies(4, 4, 0), metrics, state)
                .scales())
        .isFalse();
  }

  @Test
  void afterARestartNoScaleInUntilAFullWindowOfFreshData() {
    EngineState restarted = EngineState.fresh(clock.instant(), new Bounds(1, 10));
    traffic(1.0, Duration.ofMinutes(10));
    assertThat(engine.evaluate(rules(1, 10), new Copies(4, 4, 0), metrics, restarted).scales())
        .as("10 minutes of data after the restart")
        .isFalse();

    traffic(1.0, Duration.ofMinutes(6));
    assertThat(engine.evaluate(rules(1, 10), new Copies(4, 4, 0), metrics, restarted).to())
        .isEqualTo(1);
  }

  @Test
  void theIdleWindowTakesTheLastCopyAwayButNeverAStartingOne() {
    EngineState state = warm(new Bounds(0, 4));
    traffic(1.0, Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(10));
    assertThat(engine.evaluate(rules(0, 4), new Copies(1, 1, 0), metrics, state).scales())
        .as("10 minutes idle")
        .isFalse();

    clock.advance(Duration.ofMinutes(5));
    assertThat(engine.evaluate(rules(0, 4), new Copies(2, 1, 1), metrics, state).scales())
        .as("15 minutes idle, but a copy is still starting")
        .isFalse();
    Decision d = engine.evaluate(rules(0, 4), new Copies(1, 1, 0), metrics, state);
    assertThat(d.to()).isZero();
    assertThat(d.causes()).contains(Cause.IDLE);
  }

  /**
   * Copies asked for that are neither ready nor starting (the caller gave up on them: no node could
   * take them in time, or the rollout is stuck) hold nothing back, and still count in the copies
   * scaled from.
   */
  @Test
  void aCopyThatIsNotComingHoldsBackNeitherTheIdleWindowNorScaleIn() {
    EngineState state = warm(new Bounds(0, 4));
    traffic(1.0, Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(15));
    assertThat(engine.evaluate(rules(0, 4), new Copies(1, 0, 1), metrics, state).scales())
        .as("idle, the only copy starting")
        .isFalse();
    assertThat(engine.evaluate(rules(0, 4), new Copies(1, 0, 0), metrics, state).to())
        .as("idle, the only copy not coming")
        .isZero();
    assertThat(engine.evaluate(rules(0, 4), new Copies(2, 1, 0), metrics, state).to()).isZero();

    EngineState bounded = warm(new Bounds(2, 3));
    assertThat(engine.evaluate(rules(2, 3), new Copies(5, 4, 0), metrics, bounded).to())
        .as("above max, the copy not ready is not coming")
        .isEqualTo(3);

    EngineState busy = warm(new Bounds(0, 10));
    traffic(12, Duration.ofMinutes(1));
    assertThat(engine.evaluate(rules(0, 10), new Copies(2, 1, 0), metrics, busy).to())
        .as("scale-out counts from the copies asked for: ceil(2 x 12 / 5)")
        .isEqualTo(5);
  }

  @Test
  void afterARestartTheIdleWindowCountsFromTheRestart() {
    EngineState restarted = EngineState.fresh(clock.instant(), new Bounds(0, 4));
    clock.advance(Duration.ofMinutes(14));
    assertThat(engine.evaluate(rules(0, 4), new Copies(1, 1, 0), metrics, restarted).scales())
        .isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(engine.evaluate(rules(0, 4), new Copies(1, 1, 0), metrics, restarted).to()).isZero();
  }

  @Test
  void demandAtZeroScalesOutAtOnce() {
    EngineState state = warm(new Bounds(0, 4));
    metrics.held(3);

    Decision d = engine.evaluate(rules(0, 4), new Copies(0, 0, 0), metrics, state);

    assertThat(d.to()).isEqualTo(1);
    assertThat(d.causes()).contains(Cause.DEMAND_AT_ZERO);
    assertThat(d.reason()).as("the sentence a person reads").contains("3 requests waiting");
    assertThat(d.next().lastScaleOut()).contains(clock.instant());
  }

  /** One wake rule on both planes: without a scale-from-zero step, demand wakes nothing. */
  @Test
  void demandAtZeroWakesNothingWithoutAScaleFromZeroStep() {
    EngineState state = warm(new Bounds(0, 4));
    metrics.held(3);
    ScalingRules noWake =
        new ScalingRules(
            new Bounds(0, 4),
            List.of(),
            Optional.empty(),
            List.of(),
            List.of(),
            Duration.ofMinutes(15));

    Decision d = engine.evaluate(noWake, new Copies(0, 0, 0), metrics, state);

    assertThat(d.scales()).isFalse();
    assertThat(d.causes()).containsExactly(Cause.DEMAND_WITHOUT_SCALE_FROM_ZERO);
  }

  @Test
  void boundsAreEnforcedButAStartingCopyIsNotScaledAway() {
    EngineState state = warm(new Bounds(2, 3));
    assertThat(engine.evaluate(rules(2, 3), new Copies(1, 1, 0), metrics, state).to()).isEqualTo(2);
    assertThat(engine.evaluate(rules(2, 3), new Copies(5, 4, 1), metrics, state).scales())
        .isFalse();
    assertThat(engine.evaluate(rules(2, 3), new Copies(5, 5, 0), metrics, state).to()).isEqualTo(3);
  }

  /** The seed's weekend: Friday 18:00 Europe/Paris to zero, Monday 07:00 back to 2. */
  private static List<Schedule> weekend() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    return List.of(
        new Schedule(
            "weekend-off",
            "cron(0 18 ? * FRI *)",
            paris,
            Optional.empty(),
            Optional.empty(),
            OptionalInt.of(0),
            OptionalInt.of(0)),
        new Schedule(
            "weekday-on",
            "cron(0 7 ? * MON *)",
            paris,
            Optional.empty(),
            Optional.empty(),
            OptionalInt.of(2),
            OptionalInt.of(4)));
  }

  @Test
  void weekendScheduleTakesCopiesToZeroAndBack() {
    ScalingRules rules = rules(2, 4, weekend(), false);
    EngineState state = warm(new Bounds(2, 4));
    int copies = 2;
    Instant zeroAt = null;
    Instant backAt = null;
    // Tick every 30 s from Friday noon to Monday noon; requests wait whenever copies are at 0.
    Instant mondayNoon = FRIDAY_NOON.plus(Duration.ofDays(3));
    while (clock.instant().isBefore(mondayNoon)) {
      clock.advance(Duration.ofSeconds(30));
      metrics.held(copies == 0 ? 1 : 0);
      Decision d = engine.evaluate(rules, new Copies(copies, copies, 0), metrics, state);
      if (d.scales() && d.to() == 0) {
        zeroAt = clock.instant();
      }
      if (d.scales() && copies == 0) {
        backAt = clock.instant();
      }
      copies = d.to();
      state = d.next();
    }
    assertThat(zeroAt).isEqualTo(Instant.parse("2026-12-04T17:00:00Z")); // 18:00 Paris
    assertThat(backAt).isEqualTo(Instant.parse("2026-12-07T06:00:00Z")); // 07:00 Paris
    assertThat(copies).isEqualTo(2);
    assertThat(state.bounds()).isEqualTo(new Bounds(2, 4));
  }

  /**
   * The operator was down from Friday 17:30 to Saturday 09:00 (Paris): the state kept in the
   * policy's status says when the schedules were last evaluated, so the action that fired at 18:00
   * is replayed on the first evaluation after the restart.
   */
  @Test
  void afterARestartTheSchedulesThatFiredMeanwhileAreReplayed() {
    Instant downAt = Instant.parse("2026-12-04T16:30:00Z");
    clock.set(Instant.parse("2026-12-05T08:00:00Z"));
    EngineState restored =
        new EngineState(
            clock.instant(), new Bounds(2, 4), downAt, Optional.empty(), Optional.empty());

    Decision d =
        engine.evaluate(rules(2, 4, weekend(), false), new Copies(2, 2, 0), metrics, restored);

    assertThat(d.to()).isZero();
    assertThat(d.causes()).contains(Cause.SCHEDULE_FIRED);
    assertThat(d.reasons())
        .filteredOn(r -> r.cause() == Cause.SCHEDULE_FIRED)
        .singleElement()
        .asString()
        .contains("weekend-off");
    assertThat(d.next().bounds()).isEqualTo(new Bounds(0, 0));
  }
}
