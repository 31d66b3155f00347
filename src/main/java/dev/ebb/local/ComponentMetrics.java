package dev.ebb.local;

import dev.ebb.scaling.MetricSource;
import dev.ebb.scaling.ScalingRules.Statistic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One component's metrics as the gateway reports them, read by the policy engine. Samples are kept
 * in one-second buckets (sum, count, min, max) for {@link #RETENTION}, the longest window an alarm
 * may span; a metric nobody reports costs nothing. Thread-safe: the gateway writes, the autoscaling
 * loop reads.
 */
public final class ComponentMetrics implements MetricSource {
  /** An alarm spans at most one day (periodSeconds × evaluationPeriods ≤ 86400). */
  static final Duration RETENTION = Duration.ofDays(1);

  private final Clock clock;
  private final Map<String, Series> series = new HashMap<>();
  private volatile Instant lastRequest;
  private int held;
  private Instant heldSince;

  public ComponentMetrics(Clock clock) {
    this.clock = clock;
  }

  /** Records one sample of {@code metric} (per copy) now. */
  public synchronized void record(String metric, double value) {
    Instant now = clock.instant();
    series.computeIfAbsent(metric, m -> new Series(now)).add(now, value);
  }

  /** A request arrived for this component (ends its idle time). Called per request: no lock. */
  public void requestArrived() {
    lastRequest = clock.instant();
  }

  /** Sets how many requests are held waiting for a copy. */
  public synchronized void holding(int requests) {
    held = Math.max(0, requests);
    if (held == 0) {
      heldSince = null;
    } else if (heldSince == null) {
      heldSince = clock.instant();
    }
  }

  /** Since when requests have been held without a break (the first of them arrived then). */
  public synchronized Optional<Instant> heldSince() {
    return Optional.ofNullable(heldSince);
  }

  @Override
  public synchronized OptionalDouble average(String metric, Duration window) {
    Instant now = clock.instant();
    return reduce(metric, now.minus(window), now.plusSeconds(1), Statistic.Average);
  }

  @Override
  public synchronized OptionalDouble maximum(String metric, Duration window) {
    Instant now = clock.instant();
    return reduce(metric, now.minus(window), now.plusSeconds(1), Statistic.Maximum);
  }

  @Override
  public synchronized boolean covers(String metric, Duration window) {
    Series s = series.get(metric);
    return s != null && !s.first.isAfter(clock.instant().minus(window));
  }

  @Override
  public synchronized OptionalDouble aggregate(
      String metric, Statistic statistic, Instant from, Instant to) {
    return reduce(metric, from, to, statistic);
  }

  @Override
  public Optional<Instant> lastRequest() {
    return Optional.ofNullable(lastRequest);
  }

  @Override
  public synchronized int heldRequests() {
    return held;
  }

  private OptionalDouble reduce(String metric, Instant from, Instant to, Statistic statistic) {
    Series s = series.get(metric);
    if (s == null) {
      return OptionalDouble.empty();
    }
    var buckets = s.buckets.subMap(from.getEpochSecond(), true, to.getEpochSecond(), false);
    if (buckets.isEmpty()) {
      return OptionalDouble.empty();
    }
    double count = sum(buckets, b -> b.count);
    return OptionalDouble.of(
        switch (statistic) {
          case Average -> sum(buckets, b -> b.sum) / count;
          case Sum -> sum(buckets, b -> b.sum);
          case SampleCount -> count;
          case Minimum -> buckets.values().stream().mapToDouble(b -> b.min).min().orElseThrow();
          case Maximum -> buckets.values().stream().mapToDouble(b -> b.max).max().orElseThrow();
        });
  }

  private static double sum(NavigableMap<Long, Bucket> buckets, ToDoubleFunction<Bucket> field) {
    return buckets.values().stream().mapToDouble(field).sum();
  }

  /** One metric's buckets, keyed by epoch second. */
  private static final class Series {
    final Instant first;
    final TreeMap<Long, Bucket> buckets = new TreeMap<>();

    Series(Instant first) {
      this.first = first;
    }

    void add(Instant at, double value) {
      buckets.computeIfAbsent(at.getEpochSecond(), k -> new Bucket()).add(value);
      buckets.headMap(at.minus(RETENTION).getEpochSecond()).clear();
    }
  }

  private static final class Bucket {
    double sum;
    double count;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(double value) {
      sum += value;
      count++;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
}
