package dev.ebb.whatif.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step scaling's arithmetic, with the examples of Application Auto Scaling's API reference. */
class StepAdjustmentsTest {
  private static JsonNode config(String json) throws JsonProcessingException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
  }

  /** Threshold 50: [50, 60) adds 1, [60, inf) adds 3, (40, 50] removes 1, (-inf, 40] removes 2. */
  private static final String STEPS =
      """
      "StepAdjustments": [
        {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 3},
        {"MetricIntervalLowerBound": -10, "MetricIntervalUpperBound": 0, "ScalingAdjustment": -1},
        {"MetricIntervalUpperBound": -10, "ScalingAdjustment": -2}]
      """;

  @Test
  void boundsAreRelativeToTheThreshold() throws Exception {
    JsonNode c = config("{" + STEPS + "}");
    assertThat(StepScaling.step(c, 50, 50).getAsInt()).isEqualTo(1);
    assertThat(StepScaling.step(c, 50, 59.9).getAsInt()).isEqualTo(1);
    assertThat(StepScaling.step(c, 50, 60).getAsInt()).isEqualTo(3);
    assertThat(StepScaling.step(c, 50, 49).getAsInt()).isEqualTo(-1);
    assertThat(StepScaling.step(c, 50, 40).getAsInt())
        .as("upper bound inclusive below")
        .isEqualTo(-2);
    assertThat(StepScaling.step(c, 50, 1).getAsInt()).isEqualTo(-2);
  }

  @Test
  void aggregatesTheDatapointsAsConfigured() throws Exception {
    List<Double> points = List.of(1.0, 5.0, 3.0);
    assertThat(StepScaling.aggregate(config("{}"), points)).isEqualTo(3.0);
    assertThat(StepScaling.aggregate(config("{\"MetricAggregationType\": \"Maximum\"}"), points))
        .isEqualTo(5.0);
    assertThat(StepScaling.aggregate(config("{\"MetricAggregationType\": \"Minimum\"}"), points))
        .isEqualTo(1.0);
  }

  @Test
  void adjustmentTypes() throws Exception {
    assertThat(StepScaling.apply(config("{}"), 2, 3)).isEqualTo(5);
    assertThat(StepScaling.apply(config("{\"AdjustmentType\": \"ExactCapacity\"}"), 2, 7))
        .isEqualTo(7);
    JsonNode percent = config("{\"AdjustmentType\": \"PercentChangeInCapacity\"}");
    assertThat(StepScaling.apply(percent, 10, 25)).as("2.5 rounds down").isEqualTo(12);
    assertThat(StepScaling.apply(percent, 2, 25)).as("0.5 becomes 1").isEqualTo(3);
    assertThat(StepScaling.apply(percent, 2, -25)).as("-0.5 becomes -1").isEqualTo(1);
    assertThat(StepScaling.apply(percent, 10, -25)).as("-2.5 rounds up").isEqualTo(8);
  }

  @Test
  void minAdjustmentMagnitudeRaisesASmallPercentChange() throws Exception {
    JsonNode c =
        config("{\"AdjustmentType\": \"PercentChangeInCapacity\", \"MinAdjustmentMagnitude\": 3}");
    assertThat(StepScaling.apply(c, 10, 10)).isEqualTo(13);
    assertThat(StepScaling.apply(c, 10, -10)).isEqualTo(7);
    assertThat(StepScaling.apply(c, 10, 50)).isEqualTo(15);
  }
}
