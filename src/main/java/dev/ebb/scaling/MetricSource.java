package dev.ebb.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The metrics one target's decisions read (fed by the gateway on backend local): per-copy metric
 * values over a trailing window, the last request seen, and requests held waiting for capacity.
 */
public interface MetricSource {
  /** Average of {@code metric} (per copy) over the last {@code window}; empty without data. */
  OptionalDouble average(String metric, Duration window);

  /**
   * Highest value of {@code metric} (per copy) over the last {@code window}; empty without data.
   */
  OptionalDouble maximum(String metric, Duration window);

  /**
   * Whether {@code window} is fully covered by fresh data: the first sample is at least that old.
   */
  boolean covers(String metric, Duration window);

  /**
   * {@code metric} aggregated with {@code statistic} over {@code [from, to)}; empty without data.
   */
  OptionalDouble aggregate(
      String metric, ScalingRules.Statistic statistic, Instant from, Instant to);

  /** When the target last received a request, if ever. */
  Optional<Instant> lastRequest();

  /** Requests held waiting for a copy (demand while at zero). */
  int heldRequests();
}
