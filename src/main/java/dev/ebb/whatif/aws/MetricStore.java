package dev.ebb.whatif.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * CloudWatch's metric data in one region: raw samples by metric (namespace, name, dimensions), and
 * the five standard statistics over a period, as an alarm or GetMetricStatistics reads them. A
 * metric with no sample in a period has no datapoint there (CloudWatch's "missing"), which is not
 * the same as a datapoint of 0.
 */
public final class MetricStore {
  /** Samples older than this are dropped: no alarm looks further back (Period x N is ≤ 1 day). */
  private static final Duration RETENTION = Duration.ofDays(2);

  public record Key(String namespace, String name, SortedMap<String, String> dimensions) {
    public static Key of(String namespace, String name, Map<String, String> dimensions) {
      return new Key(namespace, name, new TreeMap<>(dimensions));
    }
  }

  /** Statistics of the samples in one period. */
  public record Stats(int sampleCount, double sum, double minimum, double maximum) {
    public double average() {
      return sum / sampleCount;
    }

    public double get(String statistic) {
      return switch (statistic) {
        case "SampleCount" -> sampleCount;
        case "Sum" -> sum;
        case "Minimum" -> minimum;
        case "Maximum" -> maximum;
        case "Average" -> average();
        default -> throw new IllegalArgumentException("Unknown statistic " + statistic);
      };
    }
  }

  private final Map<Key, NavigableMap<Instant, List<Double>>> samples = new HashMap<>();

  public void put(Key key, Instant at, double value) {
    samples
        .computeIfAbsent(key, k -> new TreeMap<>())
        .computeIfAbsent(at, t -> new ArrayList<>())
        .add(value);
  }

  /** The statistics of samples taken in [start, end), or empty when there is none (missing). */
  public java.util.Optional<Stats> stats(Key key, Instant start, Instant end) {
    NavigableMap<Instant, List<Double>> series = samples.get(key);
    if (series == null) {
      return java.util.Optional.empty();
    }
    int count = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (List<Double> values : series.subMap(start, true, end, false).values()) {
      for (double v : values) {
        count++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return count == 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(new Stats(count, sum, min, max));
  }

  /** One statistic over [start, end), or empty when the period has no datapoint. */
  public OptionalDouble statistic(Key key, String statistic, Instant start, Instant end) {
    return stats(key, start, end)
        .map(s -> OptionalDouble.of(s.get(statistic)))
        .orElse(OptionalDouble.empty());
  }

  /** Forgets samples too old for any alarm or query to read. */
  public void prune(Instant now) {
    Instant horizon = now.minus(RETENTION);
    samples.values().forEach(series -> series.headMap(horizon, false).clear());
  }

  public boolean isEmpty() {
    return samples.values().stream().allMatch(Map::isEmpty);
  }
}
