package dev.ebb.whatif.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CloudWatch's alarm evaluation: statistics, M out of N, comparisons and missing data. */
class AlarmEvaluatorTest {
  private static final Instant T = Instant.parse("2026-11-23T10:05:00Z");
  private final MetricStore metrics = new MetricStore();
  private final MetricStore.Key key =
      MetricStore.Key.of("AWS/SageMaker", "M", Map.of("InferenceComponentName", "ic"));

  private ObjectNode alarm(int n, int m, String comparison, double threshold, String missing) {
    ObjectNode a = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    a.put("AlarmName", "a");
    a.put("Namespace", "AWS/SageMaker");
    a.put("MetricName", "M");
    a.putArray("Dimensions").addObject().put("Name", "InferenceComponentName").put("Value", "ic");
    a.put("Statistic", "Average");
    a.put("Period", 60);
    a.put("EvaluationPeriods", n);
    a.put("DatapointsToAlarm", m);
    a.put("ComparisonOperator", comparison);
    a.put("Threshold", threshold);
    a.put("TreatMissingData", missing);
    a.put("StateValue", "OK");
    return a;
  }

  /** A sample in the minute that ends {@code minutesAgo} minutes before T. */
  private void sample(int minutesAgo, double value) {
    metrics.put(key, T.minusSeconds(60L * minutesAgo + 30), value);
  }

  @Test
  void statisticsOverAPeriod() {
    metrics.put(key, T.minusSeconds(50), 2);
    metrics.put(key, T.minusSeconds(20), 4);
    metrics.put(key, T, 100); // the next period: excluded
    var stats = metrics.stats(key, T.minusSeconds(60), T).orElseThrow();
    assertThat(stats.get("SampleCount")).isEqualTo(2);
    assertThat(stats.get("Sum")).isEqualTo(6);
    assertThat(stats.get("Average")).isEqualTo(3);
    assertThat(stats.get("Minimum")).isEqualTo(2);
    assertThat(stats.get("Maximum")).isEqualTo(4);
    assertThat(metrics.stats(key, T.minusSeconds(120), T.minusSeconds(60))).isEmpty();
  }

  @Test
  void mOutOfNDatapointsMustBreach() {
    sample(0, 10);
    sample(1, 1);
    sample(2, 10);
    var a = alarm(3, 2, "GreaterThanOrEqualToThreshold", 10, "missing");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state()).isEqualTo("ALARM");
    a.put("DatapointsToAlarm", 3);
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state()).isEqualTo("OK");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).datapoints())
        .containsExactly(10.0, 1.0, 10.0);
  }

  @Test
  void comparisonsAtTheThreshold() {
    assertThat(AlarmEvaluator.breaches(5, "GreaterThanOrEqualToThreshold", 5)).isTrue();
    assertThat(AlarmEvaluator.breaches(5, "GreaterThanThreshold", 5)).isFalse();
    assertThat(AlarmEvaluator.breaches(5, "LessThanOrEqualToThreshold", 5)).isTrue();
    assertThat(AlarmEvaluator.breaches(5, "LessThanThreshold", 5)).isFalse();
  }

  @Test
  void missingDataAsEachTreatmentSays() {
    var a = alarm(2, 2, "GreaterThanThreshold", 1, "missing");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state()).isEqualTo("INSUFFICIENT_DATA");
    a.put("TreatMissingData", "ignore");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state()).as("kept").isEqualTo("OK");
    a.put("TreatMissingData", "breaching");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state()).isEqualTo("ALARM");
    a.put("TreatMissingData", "notBreaching");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state()).isEqualTo("OK");

    sample(0, 5); // one breaching datapoint, one missing
    a.put("TreatMissingData", "breaching");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state()).isEqualTo("ALARM");
    a.put("TreatMissingData", "missing");
    assertThat(AlarmEvaluator.evaluate(a, metrics, T).state())
        .as("the missing one is left out: 1 of 2 needed")
        .isEqualTo("OK");
  }

  @Test
  void evaluatedAtTheEndOfEachPeriod() {
    var a = alarm(1, 1, "GreaterThanThreshold", 1, "missing");
    assertThat(AlarmEvaluator.due(a, T)).isTrue();
    assertThat(AlarmEvaluator.due(a, T.plusSeconds(30))).isFalse();
    a.put("Period", 30);
    assertThat(AlarmEvaluator.due(a, T.plusSeconds(30))).isTrue();
  }
}
