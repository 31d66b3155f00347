package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What /q/metrics carries. Properties {@code ebb.metrics.*}; environment {@code EBB_METRICS_*}. */
@ConfigMapping(prefix = "ebb.metrics")
public interface MetricsConfig {
  /**
   * Whether the operator SDK's reconcile meters carry each object's name and namespace: one timer
   * histogram and a set of counters per object. Off by default, as they grow a scrape by about 22
   * KB per object (22 MB at 1,000 components, measured for issue 17) while the per-controller
   * meters answer the same questions for a fleet; turn it on to chase one object's reconciles.
   */
  @WithDefault("false")
  boolean perObjectReconciles();

  /**
   * Whether meters tagged with a component (gateway requests, cold starts, wake commands) publish
   * histogram buckets. Off by default: about 70 series per component and outcome; their count, sum
   * and max are always published, and the fleet-wide histograms (cold-start phases, the operator
   * SDK's per-controller reconcile time) keep their buckets.
   */
  @WithDefault("false")
  boolean perComponentHistograms();
}
