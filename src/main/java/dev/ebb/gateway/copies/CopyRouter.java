package dev.ebb.gateway.copies;

import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.CopyLoad;
import dev.ebb.local.LocalMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Takes a copy of a component for each request: the ready copy with the fewest requests in flight
 * or, at zero copies, a place in the component's hold queue (bounded) until a copy is routable, the
 * request's hold time passes, its client leaves or the component is deleted.
 *
 * <p>The one hold queue of the gateway, for both planes: clients' requests and the gateway's own
 * calls (asynchronous invocations) on backend local, and requests SageMaker refused for want of
 * capacity on backend sagemaker. Held requests are what a client waits in while a model wakes, so
 * they are answered alike whichever plane the model is on: the same bound and "too many" answer,
 * the same deadline, the same cancel when the client leaves, the same answer when the component is
 * deleted, the same meters. What differs between the planes is kept out of this class, behind two
 * seams: where copies come from ({@link CopySource}: the pod watch and the gateway's probes, or
 * SageMaker's DescribeInferenceComponent) and who listens to the demand ({@link Demand}: the policy
 * engine and the peers, or nobody). The CDI bean is backend local's router; the pass-through builds
 * its own over SageMaker's copies.
 */
@ApplicationScoped
public class CopyRouter {
  private final Vertx vertx;
  private final CopySource copies;
  private final Demand demand;
  private final GatewayMeters meters;
  private final HeldBytes heldBytes;
  private final Map<ComponentKey, ComponentRoute<Hold>> routes = new ConcurrentHashMap<>();
  private final Map<ComponentKey, Long> sampledInvocations = new ConcurrentHashMap<>();
  private long sampler = -1;

  @Inject
  public CopyRouter(
      Vertx vertx,
      CopyProbes probes,
      LocalMetrics metrics,
      GatewayMeters meters,
      Event<HeldDemand> demand,
      HeldBytes heldBytes) {
    this(vertx, probes, new PolicyEngineDemand(metrics, demand::fire), meters, heldBytes);
  }

  /** Backend local's router: its demand goes to the policy engine and the peers. */
  CopyRouter(
      Vertx vertx,
      CopySource copies,
      LocalMetrics metrics,
      GatewayMeters meters,
      Consumer<HeldDemand> demand) {
    this(vertx, copies, new PolicyEngineDemand(metrics, demand), meters, HeldBytes.UNBOUNDED);
  }

  /** A router over {@code copies}, its demand told to {@code demand}, holding bodies unbounded. */
  public CopyRouter(Vertx vertx, CopySource copies, Demand demand, GatewayMeters meters) {
    this(vertx, copies, demand, meters, HeldBytes.UNBOUNDED);
  }

  /** A router over {@code copies}, its held bodies counted against {@code heldBytes}. */
  public CopyRouter(
      Vertx vertx, CopySource copies, Demand demand, GatewayMeters meters, HeldBytes heldBytes) {
    this.vertx = vertx;
    this.copies = copies;
    this.demand = demand;
    this.meters = meters;
    this.heldBytes = heldBytes;
  }

  /**
   * Something waiting for (or on its way to) a copy: a client's request, or a call the gateway
   * makes itself. Its methods run on the Vert.x context it was routed from.
   */
  public interface Waiter {
    /** A copy is ready for it: send it there, and release the lease once the answer is over. */
    void send(Lease lease);

    /** No copy became ready within {@code heldFor}. */
    void expired(Duration heldFor);

    /** Its component was deleted while it waited. */
    void componentGone();

    /** The bytes it keeps in memory while held (its request body). */
    default long bytes() {
      return 0;
    }
  }

  /** A copy taken by one request, counted as in flight on it until released. */
  public static final class Lease {
    private final ComponentRoute<?> route;
    private final ComponentRoute.Copy copy;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(ComponentRoute<?> route, ComponentRoute.Copy copy) {
      this.route = route;
      this.copy = copy;
    }

    /** The copy's address: its pod's IP, or the upstream's name on backend sagemaker. */
    public String address() {
      return copy.address;
    }

    /** The request's answer is over; later calls change nothing. */
    public void release() {
      if (released.compareAndSet(false, true)) {
        route.release(copy);
      }
    }
  }

  /** What became of a request. */
  public sealed interface Outcome {}

  /** A copy was ready: {@link Waiter#send} has run. */
  public record Sent() implements Outcome {}

  /** Holding it would pass a bound: nothing was done with it. */
  public record Full(Bound bound) implements Outcome {}

  /** Which bound a refused request would have passed. */
  public enum Bound {
    /** The component's {@code maxHeld} requests are held. */
    COUNT,
    /** The gateway's held bodies would pass {@link HeldBytes#max}. */
    BYTES
  }

  /** Held until a copy is ready (or its hold time passes). */
  public static final class Held implements Outcome {
    private final Hold hold;
    private final ComponentRoute<Hold> route;
    private final CopyRouter router;

    private Held(Hold hold, ComponentRoute<Hold> route, CopyRouter router) {
      this.hold = hold;
      this.route = route;
      this.router = router;
    }

    /** Stops waiting (the client left): nothing will be called on its waiter. */
    public void cancel() {
      if (route.unhold(hold)) {
        router.heldBytes.release(hold.bytes);
        router.vertx.cancelTimer(hold.deadline);
        router.demandChanged(hold.component, route);
      }
    }
  }

  /** A waiter in a hold queue. */
  private static final class Hold {
    final ComponentKey component;
    final Waiter waiter;
    final Context context;
    final Duration holdFor;
    final long bytes;
    volatile long deadline = -1;

    Hold(ComponentKey component, Waiter waiter, Context context, Duration holdFor) {
      this.component = component;
      this.waiter = waiter;
      this.context = context;
      this.holdFor = holdFor;
      this.bytes = waiter.bytes();
    }
  }

  /** Starts hearing about copies, and sampling the load for the demand once a second. */
  public void start() {
    copies.start(this::holding, this::copiesChanged);
    sampler = vertx.setPeriodic(1_000, id -> sample());
  }

  /**
   * Sends {@code waiter} to the least busy ready copy of {@code component} (at once, on this
   * thread) or, at zero copies, holds it up to {@code holdFor} (at most {@code maxHeld} held).
   */
  public Outcome route(ComponentKey component, int maxHeld, Duration holdFor, Waiter waiter) {
    ComponentRoute<Hold> route = route(component);
    demand.arrived(component);
    Hold hold = new Hold(component, waiter, vertx.getOrCreateContext(), holdFor);
    // Reserved before the admission and given back unless it holds: the admission's choice
    // between a copy and the queue is one step, and the budget must not be passed in between.
    boolean fits = heldBytes.reserve(hold.bytes);
    var admission = route.admit(hold, fits ? maxHeld : 0);
    if (!(admission instanceof ComponentRoute.Held) && fits) {
      heldBytes.release(hold.bytes);
    }
    if (admission instanceof ComponentRoute.ToCopy toCopy) {
      waiter.send(new Lease(route, toCopy.copy()));
      return new Sent();
    }
    if (admission instanceof ComponentRoute.Full) {
      return new Full(fits ? Bound.COUNT : Bound.BYTES);
    }
    held(hold, route);
    return new Held(hold, route, this);
  }

  /** Something is held: it expires after its hold time, and the demand wakes the component. */
  private void held(Hold hold, ComponentRoute<Hold> route) {
    hold.deadline =
        vertx.setTimer(
            hold.holdFor.toMillis(),
            id -> {
              if (route.unhold(hold)) {
                heldBytes.release(hold.bytes);
                demandChanged(hold.component, route);
                hold.waiter.expired(hold.holdFor);
              }
            });
    if (route.held() == 1) {
      meters.woke(hold.component);
    }
    demandChanged(hold.component, route);
    copies.probeWhileHolding(hold.component);
  }

  /** Whether requests are held for {@code component} now. */
  boolean holding(ComponentKey component) {
    ComponentRoute<Hold> route = routes.get(component);
    return route != null && route.held() > 0;
  }

  /** The demand hears every change of held requests; more than 0 wakes. */
  private void demandChanged(ComponentKey component, ComponentRoute<Hold> route) {
    demand.holding(component, route.held());
  }

  /**
   * A component was deleted: its held requests are answered now rather than at their deadline, and
   * its routing state and meters go.
   */
  public void componentGone(ComponentKey component) {
    ComponentRoute<Hold> route = routes.remove(component);
    copies.forget(component);
    demand.forget(component);
    sampledInvocations.remove(component);
    meters.forget(component);
    if (route == null) {
      return;
    }
    for (Hold hold : route.releaseAll()) {
      heldBytes.release(hold.bytes);
      vertx.cancelTimer(hold.deadline);
      hold.context.runOnContext(v -> hold.waiter.componentGone());
    }
  }

  /**
   * From the pod watch, or a probe that found a starting copy answering: hands every held request
   * to the copies that are now routable.
   */
  void copiesChanged(ComponentKey component) {
    ComponentRoute<Hold> route = route(component);
    List<ComponentRoute.Dispatch<Hold>> dispatches;
    // Both callers may run at once: reading the copies and applying them is one step, so an older
    // reading never overwrites a newer one.
    synchronized (route) {
      dispatches = route.copiesAre(copies.routable(component));
    }
    if (dispatches.isEmpty()) {
      return;
    }
    demandChanged(component, route);
    for (var dispatch : dispatches) {
      Hold hold = dispatch.request();
      heldBytes.release(hold.bytes);
      vertx.cancelTimer(hold.deadline);
      Lease lease = new Lease(route, dispatch.copy());
      hold.context.runOnContext(v -> hold.waiter.send(lease));
    }
  }

  private ComponentRoute<Hold> route(ComponentKey component) {
    return routes.computeIfAbsent(
        component,
        key -> {
          ComponentRoute<Hold> route = new ComponentRoute<>();
          route.copiesAre(copies.routable(key));
          meters.holding(key, route, ComponentRoute::held);
          return route;
        });
  }

  /**
   * Once a second, what the demand tracks per component: concurrent requests per copy and
   * invocations per copy (per minute, as SageMaker counts them).
   */
  void sample() {
    routes.forEach(
        (component, route) -> {
          long invocations = route.invocations();
          long previous = sampledInvocations.getOrDefault(component, invocations);
          sampledInvocations.put(component, invocations);
          // Per copy as the policy engine counts copies: by their pods' Ready condition. A copy
          // routable only by the gateway's probe adds its requests, not a copy (nor, while no
          // copy is Ready, a sample: as before a wake completes). SageMaker's copies are counted
          // by SageMaker, never here.
          CopyLoad.of(route.outstanding(), invocations - previous, copies.ready(component))
              .ifPresent(load -> demand.load(component, load));
        });
  }

  @PreDestroy
  public void stop() {
    if (sampler >= 0) {
      vertx.cancelTimer(sampler);
    }
  }
}
