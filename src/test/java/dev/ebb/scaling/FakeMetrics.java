package dev.ebb.scaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** A metric source with samples recorded at instants of a test clock. */
final class FakeMetrics implements MetricSource {
  private record Sample(Instant at, String metric, double value) {}

  private final Clock clock;
  private final List<Sample> samples = new ArrayList<>();
  private Instant lastRequest;
  private int held;

  FakeMetrics(Clock clock) {
    this.clock = clock;
  }

  /** Records {@code value} for {@code metric} now (and counts it as traffic when above 0). */
  FakeMetrics record(String metric, double value) {
    samples.add(new Sample(clock.instant(), metric, value));
    if (value > 0) {
      lastRequest = clock.instant();
    }
    return this;
  }

  FakeMetrics held(int requests) {
    held = requests;
    return this;
  }

  private List<Double> window(String metric, Duration window) {
    Instant from = clock.instant().minus(window);
    return samples.stream()
        .filter(s -> s.metric().equals(metric) && !s.at().isBefore(from))
        .map(Sample::value)
        .toList();
  }

  @Override
  public OptionalDouble average(String metric, Duration window) {
    return window(metric, window).stream().mapToDouble(Double::doubleValue).average();
  }

  @Override
  public OptionalDouble maximum(String metric, Duration window) {
    return window(metric, window).stream().mapToDouble(Double::doubleValue).max();
  }

  @Override
  public boolean covers(String metric, Duration window) {
    Instant from = clock.instant().minus(window);
    return samples.stream().anyMatch(s -> s.metric().equals(metric) && !s.at().isAfter(from));
  }

  @Override
  public OptionalDouble aggregate(
      String metric, ScalingRules.Statistic statistic, Instant from, Instant to) {
    var values =
        samples.stream()
            .filter(s -> s.metric().equals(metric) && !s.at().isBefore(from) && s.at().isBefore(to))
            .mapToDouble(Sample::value);
    return switch (statistic) {
      case Average -> values.average();
      case Minimum -> values.min();
      case Maximum -> values.max();
      case Sum -> {
        double[] all = values.toArray();
        yield all.length == 0
            ? OptionalDouble.empty()
            : OptionalDouble.of(java.util.Arrays.stream(all).sum());
      }
      case SampleCount -> {
        long n = values.count();
        yield n == 0 ? OptionalDouble.empty() : OptionalDouble.of(n);
      }
    };
  }

  @Override
  public Optional<Instant> lastRequest() {
    return Optional.ofNullable(lastRequest);
  }

  @Override
  public int heldRequests() {
    return held;
  }
}
