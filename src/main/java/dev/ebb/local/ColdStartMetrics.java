package dev.ebb.local;

import dev.ebb.api.v1alpha1.InferenceComponentStatus.ColdStart;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Publishes copies' cold starts as the Prometheus histogram {@code ebb_local_cold_start_seconds},
 * tagged by namespace, component and phase ({@code total} and each phase of {@link ColdStarts}).
 */
@ApplicationScoped
public class ColdStartMetrics {
  static final String NAME = "ebb.local.cold.start";

  private final MeterRegistry registry;

  public ColdStartMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records one copy's cold start; call once per copy. */
  public void record(String namespace, String component, ColdStart coldStart) {
    summary(namespace, component, "total").record(coldStart.seconds());
    for (Map.Entry<String, Double> phase : coldStart.phases().entrySet()) {
      summary(namespace, component, phase.getKey()).record(phase.getValue());
    }
  }

  private DistributionSummary summary(String namespace, String component, String phase) {
    return DistributionSummary.builder(NAME)
        .description("Cold start of a backend local copy: pod created to ready, and its phases")
        .baseUnit("seconds")
        .tags("namespace", namespace, "component", component, "phase", phase)
        .publishPercentileHistogram()
        .register(registry);
  }
}
