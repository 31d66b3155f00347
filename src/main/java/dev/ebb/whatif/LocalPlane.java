package dev.ebb.whatif;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.CopyLoad;
import dev.ebb.local.LocalMetrics;
import dev.ebb.local.PolicyRules;
import dev.ebb.local.WakeRule;
import dev.ebb.scaling.Copies;
import dev.ebb.scaling.Decision;
import dev.ebb.scaling.EngineState;
import dev.ebb.scaling.ScalingEngine;
import dev.ebb.scaling.ScalingRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Backend local, simulated: the trace's requests go through a model of Ebb's gateway (sent at once
 * to a ready copy; held at zero copies up to its bounds; refused when the policy's wake rule says
 * so) while the operator's own code decides: {@link PolicyRules} compiles the policy, {@link
 * ScalingEngine} decides on the same tick and on the same demand signal as {@code LocalAutoscaler},
 * {@link LocalMetrics} keeps what it reads, {@link CopyLoad} samples the load every second as the
 * gateway does, and {@link WakeRule} decides what a request at zero does.
 *
 * <p>What is modelled rather than run: a new copy serves {@link ColdStartModel#total()} after the
 * scale command; a copy removed by a scale-in stops costing at once and finishes what it was
 * sending; a copy serves any number of requests at once, each for the duration the trace gives (the
 * trace is what copies did, not what they could do).
 */
public final class LocalPlane {
  static final String PLANE = "backend local: Ebb's engine and gateway";
  private static final ComponentKey KEY = new ComponentKey("what-if", "component");

  private LocalPlane() {}

  public static PlaneRun run(String label, LocalScenario scenario, Trace trace) {
    return new Simulation(label, scenario, trace).run();
  }

  private enum Kind {
    // Order among events at the same instant: a copy that becomes ready serves the requests
    // arriving at that instant; sampling and evaluating see the instant's arrivals.
    COPY_READY,
    COMPLETED,
    HOLD_TIMEOUT,
    ARRIVAL,
    SAMPLE,
    TICK
  }

  private record Event(Instant at, Kind kind, long seq, Object subject) {}

  private record Held(int request, long bytes) {}

  private static final class Simulation {
    final String label;
    final LocalScenario scenario;
    final Trace trace;
    final SimulatedClock clock;
    final LocalMetrics metrics;
    final ScalingEngine engine;
    final EffectivePolicy effective;
    final ScalingRules rules;
    final PriorityQueue<Event> events =
        new PriorityQueue<>(
            Comparator.comparing(Event::at)
                .thenComparing(Event::kind)
                .thenComparingLong(Event::seq));
    final SimulatedCopies copies;
    final Deque<Held> held = new ArrayDeque<>();
    final Outcome[] outcomes;
    final List<Activity> activities = new ArrayList<>();
    final TimelineBuilder timeline;
    EngineState state;
    long seq;
    long heldBytes;
    long outstanding;
    long invocations;
    long sampledInvocations;

    Simulation(String label, LocalScenario scenario, Trace trace) {
      this.label = label;
      this.scenario = scenario;
      this.trace = trace;
      this.clock = new SimulatedClock(trace.start());
      this.metrics = new LocalMetrics(clock);
      this.engine = new ScalingEngine(clock);
      this.effective = EffectivePolicy.of(scenario.policy().getSpec());
      this.rules = PolicyRules.of(effective);
      this.state = EngineState.fresh(trace.start(), rules.bounds());
      this.outcomes = new Outcome[trace.requests().size()];
      this.timeline = new TimelineBuilder(trace.start(), trace.end());
      this.copies = new SimulatedCopies(trace.start(), trace.end(), scenario.initialCopies());
    }

    PlaneRun run() {
      timeline.copies(trace.start(), copies.size(), copies.ready());
      for (int i = 0; i < trace.requests().size(); i++) {
        schedule(trace.requests().get(i).at(), Kind.ARRIVAL, i);
      }
      schedule(trace.start().plusSeconds(1), Kind.SAMPLE, null);
      schedule(trace.start(), Kind.TICK, null);
      while (!events.isEmpty()) {
        Event event = events.poll();
        if (event.at().isAfter(trace.end()) && held.isEmpty() && outstanding == 0) {
          break;
        }
        advanceTo(event.at());
        handle(event);
      }
      advanceTo(later(trace.end(), clock.instant()));
      return new PlaneRun(
          label,
          PLANE,
          trace,
          List.of(outcomes),
          timeline.minutes(),
          List.copyOf(activities),
          copies.copySeconds(),
          copies.starts(),
          copies.wakes(),
          java.util.Optional.empty()); // the cluster's nodes are not Ebb's to count
    }

    private static Instant later(Instant a, Instant b) {
      return a.isAfter(b) ? a : b;
    }

    private void schedule(Instant at, Kind kind, Object subject) {
      events.add(new Event(at, kind, seq++, subject));
    }

    /** Moves time, paying for the copies that existed meanwhile, up to the trace's end. */
    private void advanceTo(Instant to) {
      copies.payTo(to);
      clock.moveTo(later(to, clock.instant()));
    }

    private void handle(Event event) {
      Instant now = event.at();
      switch (event.kind()) {
        case ARRIVAL -> arrive((Integer) event.subject(), now);
        case COMPLETED -> outstanding--;
        case COPY_READY -> copyReady((SimulatedCopies.Copy) event.subject(), now);
        case HOLD_TIMEOUT -> holdTimedOut((Held) event.subject(), now);
        case SAMPLE -> {
          sample();
          if (now.isBefore(trace.end())) {
            schedule(now.plusSeconds(1), Kind.SAMPLE, null);
          }
        }
        case TICK -> {
          evaluate("Tick");
          if (now.isBefore(trace.end())) {
            schedule(now.plus(scenario.tick()), Kind.TICK, null);
          }
        }
      }
    }

    private void arrive(int index, Instant now) {
      TraceRequest request = trace.requests().get(index);
      metrics.of(KEY).requestArrived();
      timeline.arrival(now);
      if (copies.ready() > 0) {
        send(index, now);
        return;
      }
      // As the gateway's directory: refused only while no copy is asked for; a starting copy
      // holds the request whatever the policy says.
      if (copies.isEmpty() && wakeRule().refusal("component").isPresent()) {
        fail(index, now, Outcome.Failure.REFUSED_AT_ZERO);
        return;
      }
      if (held.size() >= scenario.maxQueuedRequests()) {
        fail(index, now, Outcome.Failure.QUEUE_FULL);
        return;
      }
      if (heldBytes + request.bytes() > scenario.maxHeldBytes()) {
        fail(index, now, Outcome.Failure.HELD_BYTES_FULL);
        return;
      }
      Held h = new Held(index, request.bytes());
      held.add(h);
      heldBytes += request.bytes();
      timeline.held(now, held.size());
      schedule(now.plus(scenario.coldStartTimeout()), Kind.HOLD_TIMEOUT, h);
      holdingChanged();
    }

    private void send(int index, Instant now) {
      TraceRequest request = trace.requests().get(index);
      outstanding++;
      invocations++;
      outcomes[index] = Outcome.sent(request.at(), now);
      if (!outcomes[index].waited().isZero()) {
        timeline.waited(request.at());
      }
      schedule(now.plus(request.duration()), Kind.COMPLETED, null);
    }

    private void fail(int index, Instant now, Outcome.Failure why) {
      TraceRequest request = trace.requests().get(index);
      outcomes[index] = Outcome.failed(request.at(), now, why);
      timeline.failed(request.at());
    }

    private void holdTimedOut(Held h, Instant now) {
      if (!held.remove(h)) {
        return; // sent meanwhile
      }
      heldBytes -= h.bytes();
      fail(h.request(), now, Outcome.Failure.TIMED_OUT);
      holdingChanged();
    }

    /** As the gateway tells the operator: a positive count wakes the policy now. */
    private void holdingChanged() {
      metrics.holding(KEY, held.size());
      if (!held.isEmpty()) {
        evaluate("Demand");
      }
    }

    private void copyReady(SimulatedCopies.Copy copy, Instant now) {
      if (!copies.markReady(copy)) {
        return;
      }
      timeline.copies(now, copies.size(), copies.ready());
      if (held.isEmpty()) {
        return;
      }
      while (!held.isEmpty()) {
        Held h = held.poll();
        heldBytes -= h.bytes();
        send(h.request(), now);
      }
      metrics.holding(KEY, 0);
    }

    private void sample() {
      long sent = invocations - sampledInvocations;
      sampledInvocations = invocations;
      CopyLoad.of(outstanding, sent, copies.ready())
          .ifPresent(load -> load.recordInto(metrics.of(KEY)));
    }

    private void evaluate(String trigger) {
      int ready = copies.ready();
      Decision decision =
          engine.evaluate(
              rules,
              new Copies(copies.size(), ready, copies.size() - ready),
              metrics.of(KEY),
              state);
      state = decision.next();
      if (!decision.scales()) {
        return;
      }
      Instant now = clock.instant();
      activities.add(new Activity(now, decision.from(), decision.to(), decision.reason(), trigger));
      if (decision.to() > copies.size()) {
        for (SimulatedCopies.Copy copy : copies.startUpTo(decision.to(), now)) {
          schedule(now.plus(scenario.coldStart().total()), Kind.COPY_READY, copy);
        }
      } else {
        // Kubernetes removes copies that are not ready first, then the newest.
        copies.removeDownTo(decision.to());
      }
      timeline.copies(now, copies.size(), copies.ready());
    }

    /** The wake rule the gateway applies now, with the max capacity a schedule put in force. */
    private WakeRule wakeRule() {
      return WakeRule.of(
          scenario.policy().getMetadata().getName(), effective, Optional.of(state.bounds().max()));
    }
  }

  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }
}
