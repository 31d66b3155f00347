package dev.ebb.local;

import java.util.Optional;

/**
 * One second of a local component's load per copy, as the policy engine tracks it: concurrent
 * requests per copy, and invocations per copy counted per minute as SageMaker counts them. The
 * gateway samples it every second; {@code ebb what-if} samples its simulated gateway the same way,
 * with this one formula.
 */
public record CopyLoad(double concurrentPerCopy, double invocationsPerCopy) {

  /**
   * The load of a second in which {@code invocations} requests were sent to copies while {@code
   * outstanding} are in flight; empty while no copy is ready (nothing to divide by: a component
   * waking from zero gets no sample until its first copy is ready).
   */
  public static Optional<CopyLoad> of(long outstanding, long invocations, int ready) {
    if (ready <= 0) {
      return Optional.empty();
    }
    return Optional.of(new CopyLoad((double) outstanding / ready, invocations * 60.0 / ready));
  }

  /** Records this second into what the policy engine reads. */
  public void recordInto(ComponentMetrics metrics) {
    metrics.record(LocalMetricCatalog.CONCURRENT_REQUESTS_PER_COPY, concurrentPerCopy);
    metrics.record(LocalMetricCatalog.INVOCATIONS_PER_COPY, invocationsPerCopy);
  }
}
