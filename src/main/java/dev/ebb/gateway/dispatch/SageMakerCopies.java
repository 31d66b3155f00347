package dev.ebb.gateway.dispatch;

import dev.ebb.gateway.copies.CopyRouter;
import dev.ebb.gateway.copies.CopySource;
import dev.ebb.gateway.copies.WhileHeld;
import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.local.ComponentKey;
import dev.ebb.sagemaker.AwsCallException;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Backend sagemaker's copies, as the {@link CopyRouter} sees them, so that a SageMaker component
 * waking from zero holds its requests in the same queue as a local one. SageMaker spreads requests
 * over a component's copies itself, so to the gateway a component has one copy, SageMaker Runtime
 * ({@link #RUNTIME}). It is routable once DescribeInferenceComponent reports a copy, and no longer
 * once a request finds the component at zero again ({@link #noCopy}): this poll is what tells the
 * router a copy came, as the pod watch and the probes do on backend local.
 *
 * <p>Held demand wakes the component, as on backend local, through the policy's own recipe: when
 * holding starts, the gateway rings the policy's scale-from-zero alarm (at most once per the step's
 * cooldown), and Application Auto Scaling takes the step now instead of when the alarm next
 * evaluates, within the max capacity in force. The gateway never sets the copy count itself: the
 * alarm's own transition moments later (the request that found no copy counted a
 * NoCapacityInvocationFailures) then falls within the step's cooldown and adds nothing, where a
 * second actor would have added a second copy. Polling stops when nothing is held.
 */
final class SageMakerCopies implements CopySource {
  private static final Logger LOG = Logger.getLogger(SageMakerCopies.class);

  /** How often a component with held requests is looked at (one DescribeInferenceComponent). */
  static final Duration WAKE_POLL = Duration.ofSeconds(1);

  /** The address of every SageMaker component's one copy. */
  static final String RUNTIME = "sagemaker-runtime";

  private final Vertx vertx;
  private final SageMakerControl control;
  private final GatewayMeters meters;
  private final Clock clock;

  /** Where each component is that the latest request found at zero. */
  private final Map<ComponentKey, Resolution.SageMaker> asleep = new ConcurrentHashMap<>();

  /** Components a poll found with a copy since a request last found them at zero. */
  private final Set<ComponentKey> awake = ConcurrentHashMap.newKeySet();

  /** The components polled now: those with held requests. */
  private final WhileHeld polling;

  private final Map<ComponentKey, Instant> lastWake = new ConcurrentHashMap<>();
  private volatile Predicate<ComponentKey> holding = k -> false;
  private volatile Consumer<ComponentKey> onChange = k -> {};

  SageMakerCopies(Vertx vertx, SageMakerControl control, GatewayMeters meters, Clock clock) {
    this.vertx = vertx;
    this.control = control;
    this.meters = meters;
    this.clock = clock;
    this.polling = new WhileHeld(vertx, WAKE_POLL, k -> holding.test(k), this::wake, this::poll);
  }

  @Override
  public void start(Predicate<ComponentKey> holding, Consumer<ComponentKey> onChange) {
    this.holding = holding;
    this.onChange = onChange;
  }

  /**
   * A request found {@code component} ({@code target}) at zero copies: it has no copy until a poll
   * finds one.
   */
  void noCopy(ComponentKey component, Resolution.SageMaker target) {
    asleep.put(component, target);
    if (awake.remove(component)) {
      onChange.accept(component);
    }
  }

  @Override
  public List<String> routable(ComponentKey component) {
    return awake.contains(component) ? List.of(RUNTIME) : List.of();
  }

  /** None: SageMaker's copies are counted by SageMaker, not by Ebb's policy engine. */
  @Override
  public int ready(ComponentKey component) {
    return 0;
  }

  /** Requests are held: wake the component, and look for its copy until none are held. */
  @Override
  public void probeWhileHolding(ComponentKey component) {
    polling.start(component);
  }

  /** Whether {@code component} is polled now. */
  boolean isPolling(ComponentKey component) {
    return polling.running(component);
  }

  @Override
  public void forget(ComponentKey component) {
    polling.stop(component);
    asleep.remove(component);
    awake.remove(component);
    lastWake.remove(component);
  }

  /**
   * Rings the component's scale-from-zero alarm, unless it was rung within the step's cooldown.
   * Without a policy step, nothing wakes it but SageMaker's own scaling; the requests are still
   * held.
   */
  private void wake(ComponentKey component) {
    Resolution.SageMaker found = asleep.get(component);
    if (found == null || found.wake().isEmpty()) {
      return;
    }
    Resolution.Wake step = found.wake().get();
    Instant now = clock.instant();
    Instant last = lastWake.get(component);
    if (last != null && now.isBefore(last.plus(step.cooldown()))) {
      return;
    }
    lastWake.put(component, now);
    String name = found.component().get();
    vertx
        .executeBlocking(
            () -> {
              control.wake(found, step.alarm());
              return null;
            })
        .onComplete(
            done -> {
              if (done.failed()) {
                LOG.warnf(
                    "could not wake inference component %s: %s",
                    name,
                    done.cause() instanceof AwsCallException a
                        ? a.failure().message()
                        : done.cause().getMessage());
              } else {
                meters.sageMakerWoke(name);
              }
            });
  }

  /** Once the component has a copy, it is routable: the router sends every held request. */
  private void poll(ComponentKey component) {
    Resolution.SageMaker found = asleep.get(component);
    if (found == null) {
      return; // forgotten
    }
    vertx
        .<Optional<Integer>>executeBlocking(() -> control.copies(found))
        .onComplete(
            described -> {
              // Not once the component is gone: it would be routed again.
              if (polling.running(component)
                  && described.succeeded()
                  && described.result().orElse(0) > 0) {
                awake.add(component);
                onChange.accept(component);
              }
            });
  }
}
