package dev.ebb.simulator;

import dev.ebb.whatif.aws.MetricStore;
import dev.ebb.whatif.aws.TargetTracking;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The CloudWatch metrics SageMaker publishes (namespace {@code AWS/SageMaker}), derived from what
 * the simulator served: once per tick ({@link Autoscaling#TICK}) for the tick that just ended.
 *
 * <ul>
 *   <li>Per inference component (dimension {@code InferenceComponentName}): {@code Invocations} and
 *       {@code InvocationsPerCopy} (one sample per request served, 1 and 1/copies), {@code
 *       NoCapacityInvocationFailures} (one sample of 1 per request refused for want of a copy), and
 *       the high-resolution {@code ConcurrentRequestsPerCopy}, one sample per tick while the
 *       component has a copy (0 when idle; none at zero copies: there is no copy to measure).
 *   <li>Per asynchronous endpoint (dimension {@code EndpointName}), once a minute: {@code
 *       ApproximateBacklogSize}, {@code ApproximateBacklogSizePerInstance} (while it has an
 *       instance) and {@code HasBacklogWithoutCapacity}.
 * </ul>
 *
 * Requests take no time in the simulator, so concurrency is estimated by Little's law with {@link
 * #ASSUMED_LATENCY} per request: served per second x latency, per copy.
 */
final class SageMakerMetrics {
  static final String NAMESPACE = TargetTracking.NAMESPACE;

  /** How long a request is taken to be in flight, for ConcurrentRequestsPerCopy (assumed). */
  static final Duration ASSUMED_LATENCY = Duration.ofSeconds(1);

  private SageMakerMetrics() {}

  /** Publishes the datapoints of the tick [t - TICK, t). */
  static void publish(RegionStore region, Instant t) {
    Instant start = t.minus(Autoscaling.TICK);
    MetricStore metrics = region.scaling.metrics;
    for (StoredComponent c : region.components.values()) {
      long[] last = region.scaling.counted.computeIfAbsent(c, k -> new long[2]);
      long served = c.invocations - last[0];
      long refused = c.noCapacityFailures - last[1];
      last[0] = c.invocations;
      last[1] = c.noCapacityFailures;
      Map<String, String> dims = Map.of("InferenceComponentName", c.name);
      MetricStore.Key invocations = MetricStore.Key.of(NAMESPACE, "Invocations", dims);
      MetricStore.Key perCopy = MetricStore.Key.of(NAMESPACE, "InvocationsPerCopy", dims);
      MetricStore.Key noCapacity =
          MetricStore.Key.of(NAMESPACE, "NoCapacityInvocationFailures", dims);
      int copies = Math.max(c.currentCopyCount, 1);
      for (long i = 0; i < served; i++) {
        metrics.put(invocations, start, 1);
        metrics.put(perCopy, start, 1.0 / copies);
      }
      for (long i = 0; i < refused; i++) {
        metrics.put(noCapacity, start, 1);
      }
      if (c.currentCopyCount > 0 && c.status != StoredComponent.Status.DELETING) {
        double perSecond = served / (double) Autoscaling.TICK.toSeconds();
        double concurrent = perSecond * ASSUMED_LATENCY.toMillis() / 1000.0;
        metrics.put(
            MetricStore.Key.of(NAMESPACE, "ConcurrentRequestsPerCopy", dims),
            start,
            concurrent / c.currentCopyCount);
      }
    }
    region.scaling.counted.keySet().removeIf(c -> !region.components.containsValue(c));
    if (t.getEpochSecond() % 60 == 0) {
      publishBacklogs(region, t.minus(Duration.ofMinutes(1)));
    }
  }

  private static void publishBacklogs(RegionStore region, Instant at) {
    for (StoredEndpoint e : region.endpoints.values()) {
      if (e.config == null || !e.config.has("AsyncInferenceConfig")) {
        continue;
      }
      long backlog =
          region.asyncQueue.stream()
              .filter(q -> Arns.key(q.request().endpointName()).equals(Arns.key(e.name)))
              .count();
      int instances = 0;
      for (StoredVariant v : e.variants.values()) {
        instances += Capacity.instances(region, e, v).current();
      }
      Map<String, String> dims = Map.of("EndpointName", e.name);
      MetricStore metrics = region.scaling.metrics;
      metrics.put(MetricStore.Key.of(NAMESPACE, "ApproximateBacklogSize", dims), at, backlog);
      if (instances > 0) {
        metrics.put(
            MetricStore.Key.of(NAMESPACE, "ApproximateBacklogSizePerInstance", dims),
            at,
            backlog / (double) instances);
      }
      metrics.put(
          MetricStore.Key.of(NAMESPACE, "HasBacklogWithoutCapacity", dims),
          at,
          backlog > 0 && instances == 0 ? 1 : 0);
    }
  }
}
