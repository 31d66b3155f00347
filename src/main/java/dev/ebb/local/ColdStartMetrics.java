package dev.ebb.local;

import dev.ebb.api.v1alpha1.InferenceComponentStatus.ColdStart;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Publishes copies' cold starts: the whole of each as {@code ebb_local_cold_start_seconds}, tagged
 * by namespace and component, and its phases ({@link ColdStarts}) as the histogram {@code
 * ebb_local_cold_start_phase_seconds}, tagged by phase only, so a component adds a bounded number
 * of series to a scrape however many phases are measured (issue 17; docs/observability.md). Each
 * copy is recorded once: reconciles see the same ready pod many times, so the pods already recorded
 * are remembered (per component, only while they exist), and copies that were ready before this
 * operator started were recorded by its predecessor.
 */
@ApplicationScoped
@Startup // "started" is the operator's start, not the first reconcile's
public class ColdStartMetrics {
  static final String NAME = "ebb.local.cold.start";
  static final String PHASE_NAME = "ebb.local.cold.start.phase";

  private final MeterRegistry registry;
  private final Instant started;
  private final Map<ComponentKey, Set<String>> recorded = new ConcurrentHashMap<>();

  public ColdStartMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.started = clock.instant();
  }

  /**
   * Records the copies of {@code component} not recorded yet; {@code copies} are all its ready
   * copies.
   */
  public void recordNew(ComponentKey component, List<ColdStarts.Measured> copies) {
    Set<String> before = recorded.getOrDefault(component, Set.of());
    for (ColdStarts.Measured copy : copies) {
      if (!before.contains(copy.podUid()) && copy.ready().isAfter(started)) {
        record(component, copy.coldStart());
      }
    }
    recorded.put(
        component, copies.stream().map(ColdStarts.Measured::podUid).collect(Collectors.toSet()));
  }

  /**
   * Forgets a deleted component's copies (the gateway removes its meters: GatewayMeters#forget).
   */
  public void forget(ComponentKey component) {
    recorded.remove(component);
  }

  private void record(ComponentKey component, ColdStart coldStart) {
    DistributionSummary.builder(NAME)
        .description("Cold start of a backend local copy: pod created to ready")
        .baseUnit("seconds")
        .tags("namespace", component.namespace(), "component", component.name())
        .publishPercentileHistogram()
        .register(registry)
        .record(coldStart.seconds());
    for (Map.Entry<String, Double> phase : coldStart.phases().entrySet()) {
      DistributionSummary.builder(PHASE_NAME)
          .description("Phases of backend local copies' cold starts, over all components")
          .baseUnit("seconds")
          .tags("phase", phase.getKey())
          .publishPercentileHistogram()
          .register(registry)
          .record(phase.getValue());
    }
  }
}
