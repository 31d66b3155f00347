package dev.ebb.local;

import dev.ebb.scaling.MetricSource;
import dev.ebb.scaling.ScalingRules.Statistic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One component's metrics as the gateway reports them, read by the policy engine. Samples are kept
 * in one-second buckets for {@link #RETENTION}, the longest window an alarm may span; a metric
 * nobody reports costs nothing. With several gateway replicas, the other replicas' per-second
 * values are merged in ({@link #merge}): a metric's value for a second is the sum over replicas of
 * each one's value for it (each measures its own requests per copy), and statistics are taken over
 * seconds. Thread-safe: the gateway writes, the autoscaling loop reads.
 */
public final class ComponentMetrics implements MetricSource {
  /** An alarm spans at most one day (periodSeconds × evaluationPeriods ≤ 86400). */
  static final Duration RETENTION = Duration.ofDays(1);

  /** Another replica's held count is believed this long after it was heard. */
  static final Duration REMOTE_HELD_FRESHNESS = Duration.ofSeconds(5);

  private final Clock clock;
  private final Map<String, Series> series = new HashMap<>();
  private final Map<String, Remote> remotes = new HashMap<>();
  private volatile Instant lastRequest;
  private int held;
  private Instant heldSince;

  public ComponentMetrics(Clock clock) {
    this.clock = clock;
  }

  /** What another replica last said of its held requests and last request. */
  private record Remote(int held, Instant heldSince, Instant lastRequest, Instant heard) {}

  /** Records one sample of {@code metric} (per copy) now. */
  public synchronized void record(String metric, double value) {
    Instant now = clock.instant();
    series.computeIfAbsent(metric, m -> new Series()).add(now, value);
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

  /**
   * What replica {@code source} reports: its per-second values by metric (epoch seconds on this
   * replica's clock), its held requests and its last request. Values for a second already heard
   * from it are replaced, so the same report may come twice.
   */
  public synchronized void merge(
      String source,
      Map<String, Map<Long, Double>> values,
      int held,
      Optional<Instant> heldSince,
      Optional<Instant> lastRequest) {
    Instant now = clock.instant();
    values.forEach(
        (metric, seconds) -> {
          Series s = series.computeIfAbsent(metric, m -> new Series());
          seconds.forEach((second, value) -> s.put(source, second, value, now));
        });
    remotes.put(
        source,
        new Remote(Math.max(0, held), heldSince.orElse(null), lastRequest.orElse(null), now));
  }

  /** Replica {@code source} holds {@code requests} for this component now (its demand signal). */
  public synchronized void remoteHolding(String source, int requests) {
    Remote r = remotes.get(source);
    Instant now = clock.instant();
    remotes.put(
        source,
        new Remote(
            Math.max(0, requests),
            requests > 0 ? (r != null && r.heldSince != null ? r.heldSince : now) : null,
            requests > 0 ? now : (r == null ? null : r.lastRequest),
            now));
  }

  /** This replica's own per-second values since {@code fromSecond} (epoch), by metric. */
  public synchronized Map<String, Map<Long, Double>> ownValuesSince(long fromSecond) {
    Map<String, Map<Long, Double>> out = new HashMap<>();
    series.forEach(
        (metric, s) -> {
          var own = s.own.tailMap(fromSecond, true);
          if (!own.isEmpty()) {
            Map<Long, Double> values = new TreeMap<>();
            own.forEach((second, bucket) -> values.put(second, bucket.sum / bucket.count));
            out.put(metric, values);
          }
        });
    return out;
  }

  /** This replica's own held requests (without other replicas'). */
  public synchronized int ownHeld() {
    return held;
  }

  /** Since when this replica has held requests, if it does. */
  public synchronized Optional<Instant> ownHeldSince() {
    return Optional.ofNullable(heldSince);
  }

  /** This replica's own last request. */
  public Optional<Instant> ownLastRequest() {
    return Optional.ofNullable(lastRequest);
  }

  /** Since when requests have been held without a break, on any replica. */
  public synchronized Optional<Instant> heldSince() {
    Instant now = clock.instant();
    Instant since = heldSince;
    for (Remote r : remotes.values()) {
      if (fresh(r, now) && r.held > 0 && r.heldSince != null) {
        since = since == null || r.heldSince.isBefore(since) ? r.heldSince : since;
      }
    }
    return Optional.ofNullable(since);
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
    return s != null && s.first != null && !s.first.isAfter(clock.instant().minus(window));
  }

  @Override
  public synchronized OptionalDouble aggregate(
      String metric, Statistic statistic, Instant from, Instant to) {
    return reduce(metric, from, to, statistic);
  }

  @Override
  public synchronized Optional<Instant> lastRequest() {
    Instant last = lastRequest;
    for (Remote r : remotes.values()) {
      if (r.lastRequest != null && (last == null || r.lastRequest.isAfter(last))) {
        last = r.lastRequest;
      }
    }
    return Optional.ofNullable(last);
  }

  @Override
  public synchronized int heldRequests() {
    Instant now = clock.instant();
    int total = held;
    for (Remote r : remotes.values()) {
      if (fresh(r, now)) {
        total += r.held;
      }
    }
    return total;
  }

  private static boolean fresh(Remote r, Instant now) {
    return !r.heard.plus(REMOTE_HELD_FRESHNESS).isBefore(now);
  }

  private OptionalDouble reduce(String metric, Instant from, Instant to, Statistic statistic) {
    Series s = series.get(metric);
    if (s == null) {
      return OptionalDouble.empty();
    }
    double[] totals = s.totals(from.getEpochSecond(), to.getEpochSecond());
    if (totals.length == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        switch (statistic) {
          case Average -> Arrays.stream(totals).average().orElseThrow();
          case Sum -> Arrays.stream(totals).sum();
          case SampleCount -> totals.length;
          case Minimum -> Arrays.stream(totals).min().orElseThrow();
          case Maximum -> Arrays.stream(totals).max().orElseThrow();
        });
  }

  /** One metric: this replica's samples, and each other replica's per-second values. */
  private static final class Series {
    Instant first;
    final TreeMap<Long, Bucket> own = new TreeMap<>();
    final Map<String, TreeMap<Long, Double>> others = new HashMap<>();

    void add(Instant at, double value) {
      first = first == null || at.isBefore(first) ? at : first;
      own.computeIfAbsent(at.getEpochSecond(), k -> new Bucket()).add(value);
      own.headMap(at.minus(RETENTION).getEpochSecond()).clear();
    }

    void put(String source, long second, double value, Instant now) {
      Instant at = Instant.ofEpochSecond(second);
      first = first == null || at.isBefore(first) ? at : first;
      TreeMap<Long, Double> values = others.computeIfAbsent(source, k -> new TreeMap<>());
      values.put(second, value);
      values.headMap(now.minus(RETENTION).getEpochSecond()).clear();
    }

    /** Per second in [from, to): this replica's mean plus every other replica's value. */
    double[] totals(long from, long to) {
      var ownSeconds = own.subMap(from, true, to, false);
      if (others.isEmpty()) {
        // One replica (the usual case): its means as they are, without building a merged map on
        // every evaluation.
        double[] means = new double[ownSeconds.size()];
        int i = 0;
        for (Bucket b : ownSeconds.values()) {
          means[i++] = b.sum / b.count;
        }
        return means;
      }
      TreeMap<Long, Double> sums = new TreeMap<>();
      ownSeconds.forEach((second, b) -> sums.merge(second, b.sum / b.count, Double::sum));
      for (TreeMap<Long, Double> values : others.values()) {
        values
            .subMap(from, true, to, false)
            .forEach((second, v) -> sums.merge(second, v, Double::sum));
      }
      return sums.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  private static final class Bucket {
    double sum;
    double count;

    void add(double value) {
      sum += value;
      count++;
    }
  }
}
