package dev.ebb.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.local.WakeRule;
import dev.ebb.sagemaker.ScalingRecipes;
import dev.ebb.whatif.aws.AlarmEvaluator;
import dev.ebb.whatif.aws.Cooldown;
import dev.ebb.whatif.aws.MetricStore;
import dev.ebb.whatif.aws.PolicyCapacity;
import dev.ebb.whatif.aws.ScheduledActions;
import dev.ebb.whatif.aws.TargetTracking;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;

/**
 * Backend sagemaker, simulated: the policy compiled by the operator's own code ({@link
 * ScalingRecipes}) into Application Auto Scaling's and CloudWatch's objects ({@link
 * SageMakerRecipe}), run with AWS's documented behaviour ({@code dev.ebb.whatif.aws}, the code the
 * test suite's SageMaker simulator runs): SageMaker's metrics from the trace, alarms evaluated at
 * the end of their periods, policies invoked with their cooldowns, scheduled actions in their time
 * zone, every 10 seconds as the simulator does.
 *
 * <p>Without Ebb's gateway a request that finds no copy fails (SageMaker's "no capacity" error) and
 * counts one {@code NoCapacityInvocationFailures}, which the recipe's alarm turns into a copy. With
 * the gateway in front the request is held instead (up to its bounds) and the gateway rings the
 * policy's scale-from-zero alarm at once (SetAlarmState, as {@code SageMakerCopies} does), whose
 * step Application Auto Scaling runs then; the failure still counts (the gateway learns of zero
 * from it), and the alarm's own firing at the end of its period falls in the step's cooldown. A
 * component the policy will not wake ({@link WakeRule}: no scaleFromZero, or a schedule holding the
 * max capacity at 0) is refused by the gateway at once.
 *
 * <p>Modelled, not run: a new copy serves {@link ColdStartModel#total()} after the capacity is set
 * (instance provisioning and model load); a copy removed stops costing at once; a copy serves any
 * number of requests at once, each for the duration the trace gives; ConcurrentRequestsPerCopy is
 * the requests in flight, averaged over each 10 seconds, per ready copy.
 */
public final class SageMakerPlane {
  static final Duration TICK = Duration.ofSeconds(10);
  private static final Duration REPEAT = Duration.ofMinutes(1);

  private SageMakerPlane() {}

  public static PlaneRun run(String label, SageMakerScenario scenario, Trace trace) {
    return new Simulation(label, scenario, trace).run();
  }

  static String plane(boolean gateway) {
    return gateway
        ? "backend sagemaker, Ebb's gateway in front: Application Auto Scaling and CloudWatch"
        : "backend sagemaker, the recipe alone: Application Auto Scaling and CloudWatch";
  }

  private enum Kind {
    // At one instant: the tick first (it closes the 10 seconds before it, so what arrives at the
    // instant counts in the next ones), then a copy becoming ready serves the arrivals.
    TICK,
    COPY_READY,
    COMPLETED,
    HOLD_TIMEOUT,
    ARRIVAL
  }

  private record Event(Instant at, Kind kind, long seq, Object subject) {}

  private record Held(int request, long bytes) {}

  private static final class Simulation {
    final String label;
    final SageMakerScenario scenario;
    final Trace trace;
    final SageMakerRecipe recipe;
    final MetricStore metrics = new MetricStore();
    final Map<String, String> dimensions;
    final Map<String, Cooldown> cooldowns = new HashMap<>();
    final Map<String, Instant> alarmActedAt = new HashMap<>();
    final Map<String, List<Double>> alarmDatapoints = new HashMap<>();
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
    long seq;
    long heldBytes;
    long outstanding;
    double outstandingSeconds; // requests in flight × seconds, this tick
    int servedThisTick;
    int refusedThisTick;
    Instant lastGatewayWake;
    Instant now;

    Simulation(String label, SageMakerScenario scenario, Trace trace) {
      this.label = label;
      this.scenario = scenario;
      this.trace = trace;
      this.recipe = scenario.recipe(trace.start());
      this.dimensions = Map.of("InferenceComponentName", scenario.componentName());
      this.outcomes = new Outcome[trace.requests().size()];
      this.timeline = new TimelineBuilder(trace.start(), trace.end());
      this.copies = new SimulatedCopies(trace.start(), trace.end(), scenario.initialCopies());
    }

    PlaneRun run() {
      timeline.copies(trace.start(), copies.size(), copies.ready());
      for (int i = 0; i < trace.requests().size(); i++) {
        schedule(trace.requests().get(i).at(), Kind.ARRIVAL, i);
      }
      long first = (trace.start().getEpochSecond() / TICK.toSeconds() + 1) * TICK.toSeconds();
      schedule(Instant.ofEpochSecond(first), Kind.TICK, null);
      while (!events.isEmpty()) {
        Event event = events.poll();
        if (event.at().isAfter(trace.end()) && held.isEmpty() && outstanding == 0) {
          break;
        }
        advanceTo(event.at());
        handle(event);
      }
      advanceTo(trace.end());
      List<Minute> minutes = timeline.minutes();
      return new PlaneRun(
          label,
          plane(scenario.gateway()),
          trace,
          List.of(outcomes),
          minutes,
          List.copyOf(activities),
          copies.copySeconds(),
          copies.starts(),
          copies.wakes(),
          Optional.of(
              Instances.of(
                  scenario.instances(),
                  activities,
                  scenario.initialCopies(),
                  trace.start(),
                  trace.end(),
                  minutes.size())));
    }

    private void schedule(Instant at, Kind kind, Object subject) {
      events.add(new Event(at, kind, seq++, subject));
    }

    private void advanceTo(Instant to) {
      Instant from = now == null ? trace.start() : now;
      if (to.isAfter(from)) {
        outstandingSeconds += outstanding * LocalPlane.seconds(Duration.between(from, to));
      }
      copies.payTo(to);
      now = to.isAfter(from) ? to : from;
    }

    private void handle(Event event) {
      Instant t = event.at();
      switch (event.kind()) {
        case ARRIVAL -> arrive((Integer) event.subject(), t);
        case COMPLETED -> outstanding--;
        case COPY_READY -> copyReady((SimulatedCopies.Copy) event.subject(), t);
        case HOLD_TIMEOUT -> holdTimedOut((Held) event.subject(), t);
        case TICK -> {
          tick(t);
          if (t.isBefore(trace.end()) || !held.isEmpty()) {
            schedule(t.plus(TICK), Kind.TICK, null);
          }
        }
      }
    }

    private void arrive(int index, Instant t) {
      TraceRequest request = trace.requests().get(index);
      timeline.arrival(t);
      if (copies.ready() > 0) {
        send(index, t);
        return;
      }
      // As the gateway's directory: a component no policy will wake (no scaleFromZero, or a
      // schedule holds its max capacity at 0) is refused at once, before SageMaker sees it.
      if (scenario.gateway() && copies.isEmpty() && wakeRule().refusal("component").isPresent()) {
        fail(index, t, Outcome.Failure.REFUSED_AT_ZERO);
        return;
      }
      // SageMaker refuses it: no copy. The failure is a metric, whoever sent it.
      refusedThisTick++;
      if (!scenario.gateway()) {
        fail(index, t, Outcome.Failure.NO_CAPACITY);
        return;
      }
      if (held.size() >= scenario.maxQueuedRequests()) {
        fail(index, t, Outcome.Failure.QUEUE_FULL);
        return;
      }
      if (heldBytes + request.bytes() > scenario.maxHeldBytes()) {
        fail(index, t, Outcome.Failure.HELD_BYTES_FULL);
        return;
      }
      Held h = new Held(index, request.bytes());
      boolean first = held.isEmpty();
      held.add(h);
      heldBytes += request.bytes();
      timeline.held(t, held.size());
      schedule(t.plus(scenario.coldStartTimeout()), Kind.HOLD_TIMEOUT, h);
      if (first) {
        gatewayWake(t);
      }
    }

    /**
     * As SageMakerCopies: when holding starts at zero copies, the policy's scale-from-zero alarm is
     * set to ALARM with one datapoint at its threshold (at most once per the step's cooldown),
     * which invokes its step.
     */
    private void gatewayWake(Instant t) {
      var fromZero = scenario.effective().scaleFromZero();
      if (fromZero.isEmpty() || !copies.isEmpty()) {
        return;
      }
      if (lastGatewayWake != null
          && t.isBefore(lastGatewayWake.plusSeconds(fromZero.get().cooldownSeconds()))) {
        return;
      }
      lastGatewayWake = t;
      String name = scenario.scaleFromZeroAlarm();
      for (ObjectNode alarm : recipe.alarms()) {
        if (name.equals(alarm.path("AlarmName").asText())
            && !"ALARM".equals(alarm.path("StateValue").asText())) {
          alarm.put("StateValue", "ALARM");
          alarmDatapoints.put(name, List.of(ScalingRecipes.WAKE_THRESHOLD));
          act(alarm, t, "Gateway");
        }
      }
    }

    private void send(int index, Instant t) {
      TraceRequest request = trace.requests().get(index);
      outstanding++;
      servedThisTick++;
      outcomes[index] = Outcome.sent(request.at(), t);
      if (!outcomes[index].waited().isZero()) {
        timeline.waited(request.at());
      }
      schedule(t.plus(request.duration()), Kind.COMPLETED, null);
    }

    private void fail(int index, Instant t, Outcome.Failure why) {
      TraceRequest request = trace.requests().get(index);
      outcomes[index] = Outcome.failed(request.at(), t, why);
      timeline.failed(request.at());
    }

    private void holdTimedOut(Held h, Instant t) {
      if (!held.remove(h)) {
        return;
      }
      heldBytes -= h.bytes();
      fail(h.request(), t, Outcome.Failure.TIMED_OUT);
      timeline.held(t, held.size());
    }

    private void copyReady(SimulatedCopies.Copy copy, Instant t) {
      if (!copies.markReady(copy)) {
        return;
      }
      timeline.copies(t, copies.size(), copies.ready());
      while (!held.isEmpty()) {
        Held h = held.poll();
        heldBytes -= h.bytes();
        send(h.request(), t);
      }
      timeline.held(t, 0);
    }

    /** One 10-second tick, as the simulator's: metrics, scheduled actions, then alarms. */
    private void tick(Instant t) {
      publish(t.minus(TICK));
      for (ObjectNode action : recipe.actions()) {
        for (Instant firing : ScheduledActions.firings(action, t.minus(TICK), t)) {
          fireScheduled(action, firing);
        }
      }
      for (ObjectNode alarm : recipe.alarms()) {
        evaluate(alarm, t);
      }
      if (t.getEpochSecond() % 3600 == 0) {
        metrics.prune(t);
      }
    }

    /** SageMaker's datapoints of the tick [start, start + TICK). */
    private void publish(Instant start) {
      int readyCopies = copies.ready();
      for (int i = 0; i < servedThisTick; i++) {
        metrics.put(key("Invocations"), start, 1);
        metrics.put(key("InvocationsPerCopy"), start, 1.0 / Math.max(readyCopies, 1));
      }
      for (int i = 0; i < refusedThisTick; i++) {
        metrics.put(key("NoCapacityInvocationFailures"), start, 1);
      }
      if (readyCopies > 0) {
        double concurrent = outstandingSeconds / TICK.toSeconds();
        metrics.put(key("ConcurrentRequestsPerCopy"), start, concurrent / readyCopies);
      }
      servedThisTick = 0;
      refusedThisTick = 0;
      outstandingSeconds = 0;
    }

    private MetricStore.Key key(String metric) {
      return MetricStore.Key.of(TargetTracking.NAMESPACE, metric, dimensions);
    }

    private void fireScheduled(ObjectNode action, Instant t) {
      JsonNode bounds = action.path("ScalableTargetAction");
      ObjectNode target = recipe.target();
      if (bounds.hasNonNull("MinCapacity")) {
        target.put("MinCapacity", bounds.get("MinCapacity").asInt());
      }
      if (bounds.hasNonNull("MaxCapacity")) {
        target.put("MaxCapacity", bounds.get("MaxCapacity").asInt());
      }
      int desired = PolicyCapacity.clamp(copies.size(), target);
      if (desired != copies.size()) {
        scaleTo(
            t,
            desired,
            "scheduled action " + action.path("ScheduledActionName").asText(),
            "Schedule");
      }
    }

    /** CloudWatch evaluating one alarm, and invoking its policy while it is in ALARM. */
    private void evaluate(ObjectNode alarm, Instant t) {
      String name = alarm.path("AlarmName").asText();
      boolean entered = false;
      if (AlarmEvaluator.due(alarm, t)) {
        AlarmEvaluator.Evaluation e = AlarmEvaluator.evaluate(alarm, metrics, t);
        entered = e.state().equals("ALARM") && !"ALARM".equals(alarm.path("StateValue").asText());
        if (!e.state().equals(alarm.path("StateValue").asText())) {
          AlarmEvaluator.setState(alarm, e, t);
        }
        alarmDatapoints.put(name, e.datapoints());
      }
      if (!"ALARM".equals(alarm.path("StateValue").asText())) {
        alarmActedAt.remove(name);
        return;
      }
      Instant acted = alarmActedAt.get(name);
      if (!entered && acted != null && t.isBefore(acted.plus(REPEAT))) {
        return;
      }
      act(alarm, t, "Alarm");
    }

    /** Application Auto Scaling running the policy {@code alarm} names, with its cooldown. */
    private void act(ObjectNode alarm, Instant t, String trigger) {
      String name = alarm.path("AlarmName").asText();
      alarmActedAt.put(name, t);
      String arn = alarm.path("AlarmActions").path(0).asText();
      ObjectNode policy =
          recipe.policies().stream()
              .filter(p -> arn.equals(p.path("PolicyARN").asText()))
              .findFirst()
              .orElse(null);
      if (policy == null) {
        return;
      }
      int current = copies.size();
      OptionalInt wanted =
          PolicyCapacity.wanted(
              policy,
              alarm,
              alarmDatapoints.getOrDefault(name, List.of()),
              current,
              cooldowns.get(arn),
              t);
      if (wanted.isEmpty()) {
        return;
      }
      int desired = PolicyCapacity.clamp(wanted.getAsInt(), recipe.target());
      if (desired == current) {
        return;
      }
      cooldowns.put(arn, new Cooldown(t, current, desired));
      scaleTo(
          t,
          desired,
          "monitor alarm "
              + name
              + " in state ALARM triggered policy "
              + policy.path("PolicyName").asText(),
          trigger);
    }

    private void scaleTo(Instant t, int to, String cause, String trigger) {
      int from = copies.size();
      activities.add(new Activity(t, from, to, cause, trigger));
      if (to > from) {
        for (SimulatedCopies.Copy copy : copies.startUpTo(to, t)) {
          schedule(t.plus(scenario.coldStart().total()), Kind.COPY_READY, copy);
        }
      } else {
        copies.removeDownTo(to); // not ready first, then the newest (assumed as on Kubernetes)
      }
      timeline.copies(t, copies.size(), copies.ready());
    }

    /** The gateway's wake rule, with the max capacity a scheduled action put in force. */
    private WakeRule wakeRule() {
      return WakeRule.of(
          scenario.policy().getMetadata().getName(),
          scenario.effective(),
          Optional.of(recipe.target().path("MaxCapacity").asInt()));
    }
  }
}
