package dev.ebb.local;

import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.config.LocalConfig;
import dev.ebb.scaling.Bounds;
import dev.ebb.scaling.Copies;
import dev.ebb.scaling.Decision;
import dev.ebb.scaling.EngineState;
import dev.ebb.scaling.ScalingEngine;
import dev.ebb.scaling.ScalingRules;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The autoscaling loop of backend local. Every ScalingPolicy on a local InferenceComponent is
 * evaluated by the policy engine on a short tick, at once when its spec changes, and at once when
 * the gateway reports demand for the component; a decision to change capacity is written through
 * the Deployment's scale subresource, recorded as a Kubernetes Event, and handed to the policy
 * reconciler (which writes it, with the engine state worth keeping, into the policy's status).
 *
 * <p>All evaluations run on one thread, so a policy is never evaluated twice at once. Deployments
 * and their copies' pods are read from informers per namespace that has local policies.
 */
@ApplicationScoped
public class LocalAutoscaler {
  private static final Logger LOG = Logger.getLogger(LocalAutoscaler.class);

  /** What caused an evaluation. */
  public enum Trigger {
    /** The periodic tick. */
    Tick,
    /** The gateway reported requests held at zero copies. */
    Demand,
    /** The policy was created or its spec changed. */
    PolicyChange
  }

  /** A capacity change the loop made. */
  public record Activity(Instant time, int from, int to, String cause, Trigger trigger) {}

  /** The engine state a policy's status keeps, so an operator restart resumes where it was. */
  public record Persisted(
      Bounds bounds,
      Instant boundsEvaluatedAt,
      Optional<Instant> lastScaleOut,
      Optional<Instant> lastScaleIn) {}

  /** What the loop knows about one policy, for its status. */
  public record View(Persisted persisted, Optional<Activity> lastActivity, boolean targetFound) {}

  /** A policy by namespace and name. */
  public record PolicyKey(String namespace, String name) {
    static PolicyKey of(ScalingPolicy policy) {
      return new PolicyKey(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
    }
  }

  private final CopiesSource copies;
  private final CapacityWriter capacity;
  private final java.util.function.Supplier<EvaluationLoop> loops;
  private final Clock clock;
  private final LocalMetrics metrics;
  private final LocalConfig config;
  private final ScalingEngine engine;
  private final MeterRegistry registry;
  private final ScalingEvents events;
  private final Map<PolicyKey, Tracked> tracked = new ConcurrentHashMap<>();
  private final Map<PolicyKey, Scrape> scrapes = new ConcurrentHashMap<>();
  private volatile Consumer<PolicyKey> onChange = key -> {};
  private EvaluationLoop loop;

  /**
   * The loop on its ports (the Flink autoscaler's shape): where copies are read, where decisions
   * are written, where activities are told, and the demand and metrics the gateway reports.
   */
  @jakarta.inject.Inject
  public LocalAutoscaler(
      CopiesSource copies,
      CapacityWriter capacity,
      Clock clock,
      LocalMetrics metrics,
      LocalConfig config,
      MeterRegistry registry,
      ScalingEvents events) {
    this(copies, capacity, clock, metrics, config, registry, events, EvaluationLoop::thread);
  }

  LocalAutoscaler(
      CopiesSource copies,
      CapacityWriter capacity,
      Clock clock,
      LocalMetrics metrics,
      LocalConfig config,
      MeterRegistry registry,
      ScalingEvents events,
      java.util.function.Supplier<EvaluationLoop> loops) {
    this.copies = copies;
    this.capacity = capacity;
    this.loops = loops;
    this.events = events;
    this.registry = registry;
    this.clock = clock;
    this.metrics = metrics;
    this.config = config;
    this.engine = new ScalingEngine(clock);
    metrics.onDemand(this::demand);
  }

  /** Who is told when a policy's status should change: the policy reconciler. */
  public void onChange(Consumer<PolicyKey> listener) {
    this.onChange = listener;
  }

  /**
   * Starts (or keeps) evaluating {@code policy} on {@code target}'s Deployment.
   *
   * @param rules the policy's spec in the engine's terms
   * @param restored engine state from the policy's status, used when this process first sees the
   *     policy: the bounds a schedule set survive a restart, and the schedules that fired while the
   *     operator was down are replayed
   * @return what the loop knows for the policy's status
   */
  public View track(
      ScalingPolicy policy, ScalingRules rules, ComponentKey target, Optional<Persisted> restored) {
    return track(policy, rules, target, restored, List.of());
  }

  /**
   * As {@link #track(ScalingPolicy, ScalingRules, ComponentKey, Optional)}, for a policy that also
   * reads metrics that the loop's own scrapers measure ({@code measured}: the policy's model-server
   * series and GPU metrics; see {@link LocalMetricCatalog}).
   */
  public synchronized View track(
      ScalingPolicy policy,
      ScalingRules rules,
      ComponentKey target,
      Optional<Persisted> restored,
      List<LocalMetricCatalog.Source> measured) {
    start(target.namespace());
    if (measured.isEmpty()) {
      scrapes.remove(PolicyKey.of(policy));
    } else {
      scrapes.put(PolicyKey.of(policy), new Scrape(target, List.copyOf(measured)));
    }
    PolicyKey key = PolicyKey.of(policy);
    Instant now = clock.instant();
    Tracked t = tracked.get(key);
    boolean changed;
    if (t == null) {
      EngineState state =
          restored
              .map(
                  r ->
                      new EngineState(
                          now,
                          r.bounds(),
                          r.boundsEvaluatedAt(),
                          r.lastScaleOut(),
                          r.lastScaleIn()))
              .orElseGet(() -> EngineState.fresh(now, rules.bounds()));
      t = new Tracked(policy, rules, target, state);
      tracked.put(key, t);
      changed = true;
    } else {
      synchronized (t) {
        changed =
            !Objects.equals(t.generation, policy.getMetadata().getGeneration())
                || !t.target.equals(target);
        if (!t.rules.bounds().equals(rules.bounds())) {
          // New min/max replace whatever a schedule set, as RegisterScalableTarget does on AWS.
          t.state =
              new EngineState(
                  t.state.startedAt(),
                  rules.bounds(),
                  t.state.lastEvaluation(),
                  t.state.lastScaleOut(),
                  t.state.lastScaleIn());
          t.boundsEvaluatedAt = now;
        }
        t.policy = policy;
        t.generation = policy.getMetadata().getGeneration();
        t.rules = rules;
        t.target = target;
      }
    }
    if (changed) {
      Tracked evaluate = t;
      loop.submit(() -> evaluate(evaluate, Trigger.PolicyChange));
    }
    return view(t);
  }

  /** Stops evaluating a policy (it was deleted, retargeted or became invalid). */
  public void untrack(ScalingPolicy policy) {
    tracked.remove(PolicyKey.of(policy));
    scrapes.remove(PolicyKey.of(policy));
  }

  /** What one policy reads from scraped sources. */
  private record Scrape(ComponentKey target, List<LocalMetricCatalog.Source> sources) {}

  /**
   * The sources of type {@code type} each component's policies read, for the scraper that measures
   * them (only this replica's tracked policies: only the leader's are).
   */
  public <T extends LocalMetricCatalog.Source> Map<ComponentKey, Set<T>> measured(Class<T> type) {
    Map<ComponentKey, Set<T>> all = new HashMap<>();
    scrapes
        .values()
        .forEach(
            s ->
                s.sources().stream()
                    .filter(type::isInstance)
                    .map(type::cast)
                    .forEach(
                        source ->
                            all.computeIfAbsent(s.target(), k -> new HashSet<>()).add(source)));
    return all;
  }

  private static View view(Tracked t) {
    synchronized (t) {
      return new View(
          new Persisted(
              t.state.bounds(), t.boundsEvaluatedAt, t.state.lastScaleOut(), t.state.lastScaleIn()),
          Optional.ofNullable(t.lastActivity),
          t.targetFound);
    }
  }

  /** Demand for a component: its policies are evaluated now, on the loop's thread. */
  private void demand(ComponentKey component) {
    if (loop == null) {
      return;
    }
    loop.submit(
        () ->
            tracked.values().stream()
                .filter(t -> t.target.equals(component))
                .forEach(t -> evaluate(t, Trigger.Demand)));
  }

  private synchronized void start(String namespace) {
    if (loop == null) {
      loop = loops.get();
      loop.every(config.autoscalingTick(), this::tick);
    }
    copies.watch(namespace);
  }

  private void tick() {
    tracked.values().forEach(t -> evaluate(t, Trigger.Tick));
  }

  private void evaluate(Tracked t, Trigger trigger) {
    if (tracked.get(PolicyKey.of(t.policy)) != t) {
      return; // untracked since it was queued
    }
    try {
      evaluateTracked(t, trigger);
    } catch (RuntimeException e) {
      // The loop must survive anything one policy does; the next tick tries again.
      LOG.warnf(
          e,
          "autoscaling %s/%s failed",
          t.policy.getMetadata().getNamespace(),
          t.policy.getMetadata().getName());
    }
  }

  private void evaluateTracked(Tracked t, Trigger trigger) {
    Optional<Deployment> deployment = copies.deployment(t.target);
    boolean notify = false;
    Decision decision;
    EngineState before;
    synchronized (t) {
      if (t.targetFound != deployment.isPresent()) {
        t.targetFound = deployment.isPresent();
        notify = true;
      }
      if (deployment.isEmpty()) {
        if (notify) {
          onChange.accept(PolicyKey.of(t.policy));
        }
        return;
      }
      before = t.state;
      decision =
          engine.evaluate(
              t.rules,
              copies(
                  t,
                  deployment.get(),
                  copies.pods(t.target),
                  clock.instant(),
                  config.unschedulableTimeout()),
              metrics.of(t.target),
              t.state);
      t.state = decision.next();
      if (!before.bounds().equals(t.state.bounds())) {
        t.boundsEvaluatedAt = t.state.lastEvaluation();
        notify = true;
      }
    }
    if (decision.scales()) {
      notify |= scale(t, deployment.get(), decision, before, trigger);
    }
    if (notify) {
      onChange.accept(PolicyKey.of(t.policy));
    }
  }

  /** Writes the decision through the scale subresource; true when it took effect. */
  private boolean scale(
      Tracked t, Deployment deployment, Decision decision, EngineState before, Trigger trigger) {
    try {
      capacity.scale(deployment, decision.to());
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not scale Deployment %s/%s to %d: %s",
          deployment.getMetadata().getNamespace(),
          deployment.getMetadata().getName(),
          decision.to(),
          e.getMessage());
      synchronized (t) {
        // Not scaled: no cooldown starts. The bounds a schedule set still hold.
        t.state =
            new EngineState(
                t.state.startedAt(),
                t.state.bounds(),
                t.state.lastEvaluation(),
                before.lastScaleOut(),
                before.lastScaleIn());
      }
      return false;
    }
    Instant now = clock.instant(); // the scale command was accepted: the activity's time
    if (trigger == Trigger.Demand && decision.from() == 0) {
      metrics
          .of(t.target)
          .heldSince()
          .ifPresent(
              since ->
                  Timer.builder("ebb.local.wake.command")
                      .description(
                          "Ebb's own time to wake a component: the first request held at zero"
                              + " copies to the scale command accepted by the API server")
                      .tags("namespace", t.target.namespace(), "component", t.target.name())
                      .publishPercentileHistogram()
                      .register(registry)
                      .record(Duration.between(since, now)));
    }
    Activity activity =
        new Activity(now, decision.from(), decision.to(), decision.reason(), trigger);
    synchronized (t) {
      t.lastActivity = activity;
      t.written = new Written(deployment.getMetadata().getResourceVersion(), decision.to());
    }
    ScalingLog.scaled(
        t.target, now, decision.from(), decision.to(), trigger.name(), decision.reason());
    String direction = decision.to() > decision.from() ? "ScaledOut" : "ScaledIn";
    io.micrometer.core.instrument.Counter.builder("ebb.scaling.activities")
        .description("Scaling activities of backend local's autoscaling loop")
        .tags(
            "namespace",
            t.target.namespace(),
            "component",
            t.target.name(),
            "direction",
            direction,
            "trigger",
            trigger.name())
        .register(registry)
        .increment();
    events.scaled(
        t.policy,
        direction,
        "InferenceComponent "
            + t.target.name()
            + ": "
            + decision.from()
            + " -> "
            + decision.to()
            + " copies ("
            + trigger
            + "): "
            + decision.reason(),
        now);
    return true;
  }

  /**
   * The copies as the engine sees them. Until the informer shows the loop's own last write, the
   * written count is the desired one (so a decision is not taken twice). A copy that is not ready
   * is starting until Kubernetes reports the rollout stuck (ProgressDeadlineExceeded, see {@link
   * ModelServerWorkload#progressDeadlineSeconds}), or until it has been unschedulable, or failing
   * and not ready, for {@code unschedulableTimeout} ({@link UnschedulableCopies#forEngine}).
   */
  private static Copies copies(
      Tracked t,
      Deployment deployment,
      List<Pod> pods,
      Instant now,
      Duration unschedulableTimeout) {
    int desired =
        deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    if (t.written != null) {
      if (Objects.equals(
          t.written.resourceVersion(), deployment.getMetadata().getResourceVersion())) {
        desired = t.written.replicas();
      } else {
        t.written = null;
      }
    }
    var status = deployment.getStatus();
    int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    boolean stuck =
        status != null
            && status.getConditions() != null
            && status.getConditions().stream()
                .anyMatch(
                    c ->
                        "Progressing".equals(c.getType())
                            && "False".equals(c.getStatus())
                            && "ProgressDeadlineExceeded".equals(c.getReason()));
    return UnschedulableCopies.forEngine(
        desired,
        ready,
        stuck,
        UnschedulableCopies.of(pods),
        FailingCopies.of(pods),
        now,
        unschedulableTimeout);
  }

  @PreDestroy
  void stop() {
    if (loop != null) {
      loop.stop();
    }
    copies.close();
  }

  /** The scale the loop last wrote, over the Deployment version it was written on. */
  private record Written(String resourceVersion, int replicas) {}

  /** One tracked policy; mutable fields are guarded by the instance's monitor. */
  private static final class Tracked {
    ScalingPolicy policy;
    Long generation;
    ScalingRules rules;
    ComponentKey target;
    EngineState state;
    Instant boundsEvaluatedAt;
    Activity lastActivity;
    boolean targetFound;
    Written written;

    Tracked(ScalingPolicy policy, ScalingRules rules, ComponentKey target, EngineState state) {
      this.policy = policy;
      this.generation = policy.getMetadata().getGeneration();
      this.rules = rules;
      this.target = target;
      this.state = state;
      this.boundsEvaluatedAt = state.lastEvaluation();
    }
  }
}
