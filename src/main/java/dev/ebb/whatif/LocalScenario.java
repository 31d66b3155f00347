package dev.ebb.whatif;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * One policy on one local component, with what the operator and its gateway would apply to it.
 *
 * @param tick how often the operator evaluates the policy besides on demand ({@code
 *     ebb.local.autoscaling-tick}, 2 s by default)
 * @param maxQueuedRequests requests held per component at zero copies: the endpoint's {@code
 *     spec.local.gateway.maxQueuedRequests}, else {@code ebb.gateway.max-queued-requests} (1,000)
 * @param coldStartTimeout how long a held request waits: the endpoint's {@code
 *     spec.local.gateway.coldStartTimeoutSeconds}, else {@code ebb.gateway.cold-start-timeout} (600
 *     s)
 * @param maxHeldBytes the gateway's bound on held bodies ({@code ebb.gateway.max-held-bytes}, 64
 *     MiB)
 * @param initialCopies the copies at the trace's start: the component's {@code spec.copies} (1 when
 *     unset), or what a measured run began with
 */
public record LocalScenario(
    ScalingPolicy policy,
    InferenceComponent component,
    ColdStartModel coldStart,
    Duration tick,
    int maxQueuedRequests,
    Duration coldStartTimeout,
    long maxHeldBytes,
    int initialCopies) {

  public static final Duration DEFAULT_TICK = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_QUEUED = 1000;
  public static final Duration DEFAULT_COLD_START_TIMEOUT = Duration.ofSeconds(600);
  public static final long DEFAULT_MAX_HELD_BYTES = 64L << 20;

  /** The scenario with the operator's defaults, and the endpoint's gateway settings if given. */
  public static LocalScenario of(
      ScalingPolicy policy,
      InferenceComponent component,
      Optional<InferenceEndpoint> endpoint,
      ColdStartModel coldStart) {
    var gateway =
        endpoint
            .map(InferenceEndpoint::getSpec)
            .map(spec -> spec.local())
            .map(local -> local.gateway());
    int queued =
        gateway.map(g -> g.maxQueuedRequests()).filter(q -> q != null).orElse(DEFAULT_MAX_QUEUED);
    Duration timeout =
        gateway
            .map(g -> g.coldStartTimeoutSeconds())
            .filter(s -> s != null)
            .map(Duration::ofSeconds)
            .orElse(DEFAULT_COLD_START_TIMEOUT);
    Integer copies = component.getSpec().copies();
    return new LocalScenario(
        policy,
        component,
        coldStart,
        DEFAULT_TICK,
        queued,
        timeout,
        DEFAULT_MAX_HELD_BYTES,
        copies == null ? 1 : copies);
  }

  /** The same scenario starting with {@code copies} copies. */
  public LocalScenario withInitialCopies(int copies) {
    if (copies < 0) {
      throw new IllegalArgumentException("copies cannot be negative");
    }
    return new LocalScenario(
        policy,
        component,
        coldStart,
        tick,
        maxQueuedRequests,
        coldStartTimeout,
        maxHeldBytes,
        copies);
  }

  /** The same scenario evaluated every {@code other} ({@code ebb.local.autoscaling-tick}). */
  public LocalScenario withTick(Duration other) {
    if (other.isNegative() || other.isZero()) {
      throw new IllegalArgumentException("the autoscaling tick must be positive");
    }
    return new LocalScenario(
        policy,
        component,
        coldStart,
        other,
        maxQueuedRequests,
        coldStartTimeout,
        maxHeldBytes,
        initialCopies);
  }

  /** The same scenario with another policy. */
  public LocalScenario with(ScalingPolicy other) {
    return new LocalScenario(
        other,
        component,
        coldStart,
        tick,
        maxQueuedRequests,
        coldStartTimeout,
        maxHeldBytes,
        initialCopies);
  }
}
