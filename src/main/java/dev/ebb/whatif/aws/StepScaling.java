package dev.ebb.whatif.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalInt;

/**
 * How Application Auto Scaling turns a step scaling policy's alarm into a capacity, as its API
 * reference and user guide describe: the alarm's datapoints are aggregated by {@code
 * MetricAggregationType} (default Average); the step whose bounds contain (value - threshold) is
 * taken (lower bound inclusive above the threshold, upper bound inclusive below it; a missing bound
 * is infinite); its {@code ScalingAdjustment} is applied as {@code AdjustmentType} says.
 */
public final class StepScaling {
  private StepScaling() {}

  public static double aggregate(JsonNode config, List<Double> datapoints) {
    String type = config.path("MetricAggregationType").asText("Average");
    return switch (type) {
      case "Minimum" -> datapoints.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
      case "Maximum" -> datapoints.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
      default -> datapoints.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
    };
  }

  /** The adjustment of the step containing {@code value - threshold}, if one does. */
  public static OptionalInt step(JsonNode config, double threshold, double value) {
    double diff = value - threshold;
    for (JsonNode step : config.path("StepAdjustments")) {
      double lower =
          step.hasNonNull("MetricIntervalLowerBound")
              ? step.get("MetricIntervalLowerBound").asDouble()
              : Double.NEGATIVE_INFINITY;
      double upper =
          step.hasNonNull("MetricIntervalUpperBound")
              ? step.get("MetricIntervalUpperBound").asDouble()
              : Double.POSITIVE_INFINITY;
      boolean inside = diff >= 0 ? lower <= diff && diff < upper : lower < diff && diff <= upper;
      if (inside) {
        return OptionalInt.of(step.path("ScalingAdjustment").asInt());
      }
    }
    return OptionalInt.empty();
  }

  /** The capacity after applying {@code adjustment} to {@code current}, before min/max. */
  public static int apply(JsonNode config, int current, int adjustment) {
    String type = config.path("AdjustmentType").asText("ChangeInCapacity");
    return switch (type) {
      case "ExactCapacity" -> adjustment;
      case "PercentChangeInCapacity" -> current + percentChange(config, current, adjustment);
      default -> current + adjustment;
    };
  }

  /**
   * A percent change in capacity: a result above 1 is rounded down, between 0 and 1 becomes 1,
   * between -1 and 0 becomes -1, below -1 is rounded up; then raised to {@code
   * MinAdjustmentMagnitude} when smaller.
   */
  public static int percentChange(JsonNode config, int current, int percent) {
    double raw = current * percent / 100.0;
    int change;
    if (raw > 1) {
      change = (int) Math.floor(raw);
    } else if (raw > 0) {
      change = 1;
    } else if (raw == 0) {
      change = 0;
    } else if (raw > -1) {
      change = -1;
    } else {
      change = (int) Math.ceil(raw);
    }
    int minimum = config.path("MinAdjustmentMagnitude").asInt(0);
    if (minimum > 0 && change != 0 && Math.abs(change) < minimum) {
      change = change > 0 ? minimum : -minimum;
    }
    return change;
  }
}
