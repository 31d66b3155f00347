package dev.ebb.reconciler;

import dev.ebb.config.MetricsConfig;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's meters, per controller unless {@code ebb.metrics.per-object-reconciles} asks
 * for per object. This replaces the Quarkus extension's default bean, which always tags them with
 * each object's name: a scrape then grows with the fleet (issue 17).
 */
public class OperatorMetrics {
  @Produces
  @Singleton
  Metrics metrics(MeterRegistry registry, MetricsConfig config) {
    return config.perObjectReconciles()
        ? MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build()
        : MicrometerMetrics.withoutPerResourceMetrics(registry);
  }
}
