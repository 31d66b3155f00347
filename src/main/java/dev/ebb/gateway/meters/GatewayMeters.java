package dev.ebb.gateway.meters;

import dev.ebb.local.ComponentKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Prometheus meters (docs/gateway.md, "Metrics"), each named and described once.
 * Every stage records through here; nothing else in the gateway touches the registry.
 */
@ApplicationScoped
public class GatewayMeters {
  private final MeterRegistry registry;
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  public GatewayMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  private record TimerKey(ComponentKey component, String outcome) {}

  /**
   * A request to {@code component} was answered with {@code outcome} (the upstream status, or
   * "failed"), {@code startedNanos} being its arrival: held time included.
   */
  public void answered(ComponentKey component, String outcome, long startedNanos) {
    // Looked up once per component and outcome: this runs per request.
    timers
        .computeIfAbsent(
            new TimerKey(component, outcome),
            key ->
                Timer.builder("ebb.gateway.requests")
                    .description(
                        "Requests answered by the gateway, from arrival (held time included)")
                    .tags(tags(component))
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  /** A request found {@code component} at zero copies and woke it. */
  public void woke(ComponentKey component) {
    Counter.builder("ebb.gateway.wakes")
        .description("Requests that found a component at zero copies and woke it")
        .tags(tags(component))
        .register(registry)
        .increment();
  }

  /** The requests held for {@code component}, read when scraped. */
  public <T> void holding(
      ComponentKey component, T state, java.util.function.ToDoubleFunction<T> held) {
    Gauge.builder("ebb.gateway.held.requests", state, held)
        .description("Requests held waiting for a copy")
        .tags(tags(component))
        .register(registry);
  }

  /** A starting copy answered the gateway's probe {@code sinceStart} after its server started. */
  public void probedCopy(ComponentKey component, Duration sinceStart) {
    Timer.builder("ebb.gateway.probed.copies")
        .description(
            "Starting copies the gateway's probe found answering /ping before their pod was Ready:"
                + " time from the model server's container start (to the second)")
        .tags(tags(component))
        .register(registry)
        .record(sinceStart.isNegative() ? Duration.ZERO : sinceStart);
  }

  /** The gateway woke the SageMaker inference component {@code component} at a request. */
  public void sageMakerWoke(String component) {
    Counter.builder("ebb.gateway.sagemaker.wakes")
        .description("SageMaker components woken by the gateway at the first request")
        .tag("component", component)
        .register(registry)
        .increment();
  }

  /** A request found {@code component} parked at max capacity 0 and was answered at once. */
  public void sageMakerParked(String component) {
    Counter.builder("ebb.gateway.sagemaker.parked")
        .description(
            "Requests answered at once because a schedule holds their SageMaker component at max"
                + " capacity 0")
        .tag("component", component)
        .register(registry)
        .increment();
  }

  /**
   * {@code component} is gone: every meter tagged with it goes too, whoever registered it (the
   * gateway's, the autoscaler's, cold starts), so a fleet that creates and deletes components does
   * not grow its scrape forever.
   */
  public void forget(ComponentKey component) {
    registry.getMeters().stream()
        .filter(
            m ->
                component.name().equals(m.getId().getTag("component"))
                    && component.namespace().equals(m.getId().getTag("namespace")))
        .toList()
        .forEach(registry::remove);
  }

  private static List<Tag> tags(ComponentKey component) {
    return List.of(
        Tag.of("namespace", component.namespace()), Tag.of("component", component.name()));
  }
}
