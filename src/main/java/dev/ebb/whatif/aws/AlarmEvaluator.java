package dev.ebb.whatif.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * CloudWatch's evaluation of one metric alarm, as its user guide describes it: at the end of each
 * period the alarm looks at its last {@code EvaluationPeriods} datapoints (the statistic over each
 * period); it goes to ALARM when at least {@code DatapointsToAlarm} of them breach the threshold,
 * and otherwise to OK, except that missing datapoints are treated as {@code TreatMissingData} says:
 * {@code missing} (left out; all missing is INSUFFICIENT_DATA), {@code ignore} (left out; all
 * missing keeps the state), {@code breaching}, {@code notBreaching}.
 */
public final class AlarmEvaluator {
  /** The outcome: the state, the datapoints present (newest first), and why. */
  public record Evaluation(String state, List<Double> datapoints, String reason) {}

  private AlarmEvaluator() {}

  /** Whether {@code alarm} is evaluated at {@code t}: at the end of each of its periods. */
  public static boolean due(JsonNode alarm, Instant t) {
    int period = alarm.path("Period").asInt(0);
    return alarm.hasNonNull("MetricName") && period > 0 && t.getEpochSecond() % period == 0;
  }

  public static Evaluation evaluate(JsonNode alarm, MetricStore metrics, Instant t) {
    MetricStore.Key key = key(alarm);
    Duration period = Duration.ofSeconds(alarm.path("Period").asInt());
    int n = alarm.path("EvaluationPeriods").asInt(1);
    int m = alarm.path("DatapointsToAlarm").asInt(n);
    double threshold = alarm.path("Threshold").asDouble();
    String comparison = alarm.path("ComparisonOperator").asText();
    String statistic = alarm.path("Statistic").asText("Average");
    String missing = alarm.path("TreatMissingData").asText("missing");
    List<Double> present = new ArrayList<>();
    int breaching = 0;
    int counted = 0;
    for (int i = 0; i < n; i++) {
      Instant end = t.minus(period.multipliedBy(i));
      OptionalDouble value = metrics.statistic(key, statistic, end.minus(period), end);
      if (value.isPresent()) {
        present.add(value.getAsDouble());
        counted++;
        if (breaches(value.getAsDouble(), comparison, threshold)) {
          breaching++;
        }
      } else if (missing.equals("breaching")) {
        counted++;
        breaching++;
      } else if (missing.equals("notBreaching")) {
        counted++;
      }
    }
    String current = alarm.path("StateValue").asText("INSUFFICIENT_DATA");
    if (breaching >= m) {
      return new Evaluation("ALARM", present, reason(breaching, n, present, comparison, threshold));
    }
    if (counted == 0) {
      String state = missing.equals("ignore") ? current : "INSUFFICIENT_DATA";
      return new Evaluation(
          state, present, "Insufficient Data: " + n + " datapoints were unknown.");
    }
    return new Evaluation("OK", present, reason(breaching, n, present, comparison, threshold));
  }

  public static boolean breaches(double value, String comparison, double threshold) {
    return switch (comparison) {
      case "GreaterThanOrEqualToThreshold" -> value >= threshold;
      case "GreaterThanThreshold" -> value > threshold;
      case "LessThanThreshold" -> value < threshold;
      case "LessThanOrEqualToThreshold" -> value <= threshold;
      default -> false;
    };
  }

  public static MetricStore.Key key(JsonNode alarm) {
    Map<String, String> dims = new LinkedHashMap<>();
    for (JsonNode d : alarm.path("Dimensions")) {
      dims.put(d.path("Name").asText(), d.path("Value").asText());
    }
    return MetricStore.Key.of(
        alarm.path("Namespace").asText(), alarm.path("MetricName").asText(), dims);
  }

  /** Records a new state on the alarm as DescribeAlarms reports it. */
  public static void setState(ObjectNode alarm, Evaluation evaluation, Instant t) {
    alarm.put("StateValue", evaluation.state());
    alarm.put("StateReason", evaluation.reason());
    alarm.put("StateUpdatedTimestamp", t.toString());
  }

  private static String reason(
      int breaching, int n, List<Double> present, String comparison, double threshold) {
    return String.format(
        Locale.ROOT,
        "Threshold Crossed: %d out of the last %d datapoints %s %s the threshold (%s).",
        breaching,
        n,
        present,
        breaching > 0 ? "crossed" : "did not cross",
        threshold + " " + comparison);
  }
}
