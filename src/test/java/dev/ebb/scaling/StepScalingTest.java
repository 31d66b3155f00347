package dev.ebb.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.scaling.Reason.Cause;
import dev.ebb.scaling.ScalingRules.AdjustmentType;
import dev.ebb.scaling.ScalingRules.Alarm;
import dev.ebb.scaling.ScalingRules.Comparison;
import dev.ebb.scaling.ScalingRules.Statistic;
import dev.ebb.scaling.ScalingRules.Step;
import dev.ebb.scaling.ScalingRules.StepScaling;
import dev.ebb.simulator.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Step scaling: the alarm's M of N, step bounds, the three adjustment types, cooldown. */
class StepScalingTest {
  private static final String LATENCY = "ModelLatency";

  private ManualClock clock;
  private FakeMetrics metrics;
  private ScalingEngine engine;
  private EngineState state;

  @BeforeEach
  void start() {
    clock = new ManualClock(Instant.parse("2026-12-02T09:00:00Z"));
    metrics = new FakeMetrics(clock);
    engine = new ScalingEngine(clock);
    state =
        new EngineState(
            clock.instant().minus(Duration.ofHours(1)),
            new Bounds(0, 20),
            clock.instant(),
            Optional.empty(),
            Optional.empty());
  }

  private static StepScaling policy(
      AdjustmentType type, Comparison comparison, List<Step> steps, int minMagnitude) {
    return new StepScaling(
        "latency",
        new Alarm(LATENCY, Statistic.Maximum, 100, comparison, Duration.ofMinutes(1), 3, 2),
        type,
        steps,
        minMagnitude == 0 ? OptionalInt.empty() : OptionalInt.of(minMagnitude),
        Duration.ofMinutes(5));
  }

  private static Step step(Double lower, Double upper, int adjustment) {
    return new Step(
        lower == null ? OptionalDouble.empty() : OptionalDouble.of(lower),
        upper == null ? OptionalDouble.empty() : OptionalDouble.of(upper),
        adjustment);
  }

  private static ScalingRules rules(StepScaling policy) {
    return new ScalingRules(
        new Bounds(0, 20),
        List.of(),
        Optional.empty(),
        List.of(policy),
        List.of(),
        Duration.ofHours(24));
  }

  /** One sample per minute, oldest first, ending now. */
  private void minutes(double... values) {
    for (double v : values) {
      clock.advance(Duration.ofMinutes(1));
      metrics.record(LATENCY, v);
    }
    clock.advance(Duration.ofSeconds(1));
  }

  private static final StepScaling OUT =
      policy(
          AdjustmentType.ChangeInCapacity,
          Comparison.GreaterThanOrEqualToThreshold,
          List.of(step(0.0, 50.0, 1), step(50.0, null, 3)),
          0);

  @Test
  void theAlarmNeedsMOfNBreachingPeriods() {
    minutes(50, 50, 120);
    assertThat(engine.evaluate(rules(OUT), new Copies(2, 2, 0), metrics, state).scales())
        .as("1 of 3 periods breaching")
        .isFalse();
    minutes(120);
    assertThat(engine.evaluate(rules(OUT), new Copies(2, 2, 0), metrics, state).to())
        .as("2 of 3: 120 is 20 over the threshold, the first step")
        .isEqualTo(3);
  }

  @Test
  void theStepIsChosenByTheDistanceFromTheThreshold() {
    minutes(200, 200, 200);
    Decision d = engine.evaluate(rules(OUT), new Copies(2, 2, 0), metrics, state);
    assertThat(d.to()).isEqualTo(5);
    assertThat(d.causes()).contains(Cause.STEP);
    assertThat(d.reason()).contains("step policy latency");
  }

  @Test
  void exactCapacityScalesInWhenTheLowAlarmFires() {
    StepScaling quiet =
        policy(
            AdjustmentType.ExactCapacity,
            Comparison.LessThanThreshold,
            List.of(step(null, 0.0, 1)),
            0);
    minutes(10, 10, 10);
    assertThat(engine.evaluate(rules(quiet), new Copies(6, 6, 0), metrics, state).to())
        .isEqualTo(1);
  }

  @Test
  void aStepScaleOutWaitsOutItsCooldown() {
    minutes(200, 200, 200);
    Decision first = engine.evaluate(rules(OUT), new Copies(2, 2, 0), metrics, state);
    minutes(200);
    Decision second = engine.evaluate(rules(OUT), new Copies(5, 5, 0), metrics, first.next());
    assertThat(second.scales()).isFalse();
    assertThat(second.causes()).contains(Cause.COOLDOWN);
  }

  @ParameterizedTest(name = "{0} of the breaching datapoints 120 and 200 -> {1} copies")
  @CsvSource({"Average, 5", "Minimum, 3", "Maximum, 5"})
  void theStepIsChosenByTheAggregationOfTheBreachingDatapoints(
      ScalingRules.Aggregation aggregation, int to) {
    StepScaling aggregated =
        new StepScaling(
            OUT.name(),
            OUT.alarm(),
            OUT.adjustmentType(),
            OUT.steps(),
            OUT.minAdjustmentMagnitude(),
            OUT.cooldown(),
            aggregation);
    minutes(50, 120, 200);
    // Average 160 and Maximum 200 are 50 or more over 100 (+3); Minimum 120 is 20 over (+1).
    assertThat(engine.evaluate(rules(aggregated), new Copies(2, 2, 0), metrics, state).to())
        .isEqualTo(to);
  }

  @ParameterizedTest(name = "missing data treated as {0} -> alarm {1}")
  @CsvSource({"missing, false", "notBreaching, false", "breaching, true"})
  void aPeriodWithoutDataIsTreatedAsTheAlarmSays(ScalingRules.MissingData treat, boolean fires) {
    Alarm alarm = OUT.alarm();
    StepScaling policy =
        new StepScaling(
            OUT.name(),
            new Alarm(
                alarm.metric(),
                alarm.statistic(),
                alarm.threshold(),
                alarm.comparison(),
                alarm.period(),
                alarm.evaluationPeriods(),
                alarm.datapointsToAlarm(),
                treat),
            OUT.adjustmentType(),
            OUT.steps(),
            OUT.minAdjustmentMagnitude(),
            OUT.cooldown());
    // One breaching minute, then two without data: 2 of 3 only if missing counts as breaching.
    minutes(120);
    clock.advance(Duration.ofMinutes(2));

    Decision d = engine.evaluate(rules(policy), new Copies(2, 2, 0), metrics, state);

    assertThat(d.scales()).isEqualTo(fires);
    if (fires) {
      assertThat(d.to()).as("120 is 20 over: the first step").isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0} copies, {1}% (min magnitude {2}) -> change {3}")
  @CsvSource({
    "10, 25, 0, 2", // 2.5 rounds toward zero
    "4, 10, 0, 1", // 0.4 rounds away from zero
    "4, -10, 0, -1",
    "10, -25, 0, -2",
    "10, 25, 3, 3", // raised to the minimum magnitude
    "10, 0, 3, 0",
  })
  void percentChangeRoundsAsApplicationAutoScalingDoes(
      int current, int percent, int minMagnitude, int change) {
    StepScaling p =
        policy(
            AdjustmentType.PercentChangeInCapacity,
            Comparison.GreaterThanThreshold,
            List.of(step(0.0, null, percent)),
            minMagnitude);
    assertThat(ScalingEngine.percentChange(current, percent, p)).isEqualTo(change);
  }
}
