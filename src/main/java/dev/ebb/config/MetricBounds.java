package dev.ebb.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps a scrape's size proportional to a small, stated number of series per object (issue 17,
 * docs/observability.md "Cardinality"). A meter tagged with a component is per object: unless
 * {@code ebb.metrics.per-component-histograms} is set, it publishes no histogram buckets (count,
 * sum and max remain), as one histogram per component is about 70 series. Fleet-wide meters keep
 * theirs.
 */
public class MetricBounds {
  /** The tag that makes a meter per object. */
  public static final String OBJECT_TAG = "component";

  @Produces
  @Singleton
  MeterFilter perObjectHistograms(MetricsConfig config) {
    return perObjectHistograms(config.perComponentHistograms());
  }

  /** The filter, for tests that build a registry by hand. */
  public static MeterFilter perObjectHistograms(boolean allowed) {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (allowed || id.getTag(OBJECT_TAG) == null) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .build()
            .merge(config);
      }
    };
  }
}
