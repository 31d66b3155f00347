package dev.ebb.scaling;

import dev.ebb.scaling.Reason.Cause;
import dev.ebb.scaling.ScalingRules.Aggregation;
import dev.ebb.scaling.ScalingRules.Alarm;
import dev.ebb.scaling.ScalingRules.MissingData;
import dev.ebb.scaling.ScalingRules.Step;
import dev.ebb.scaling.ScalingRules.StepScaling;
import dev.ebb.scaling.ScalingRules.TargetTracking;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides a target's capacity with Application Auto Scaling's semantics, so one ScalingPolicy means
 * the same on SageMaker and on the cluster's GPUs:
 *
 * <ul>
 *   <li>scheduled actions move the bounds when they fire; everything else acts inside them;
 *   <li>target tracking: desired = ceil(current × metric ÷ target); scale out as soon as the metric
 *       is above target over the scale-out window; scale in only when it stays at least 10 % below
 *       target over the whole scale-in window; cooldowns; disable-scale-in;
 *   <li>with min 0, the last copy goes after the idle window without requests;
 *   <li>demand at zero scales out at once when the policy has a scale-from-zero step (the caller
 *       evaluates on the signal, not on a tick), and not at all without one, as on SageMaker;
 *   <li>while a copy is still starting, nothing is scaled in (it is not idle, and Kubernetes would
 *       remove the starting pod first);
 *   <li>after an operator restart, no scale-in until a full window of fresh data has arrived.
 * </ul>
 */
public final class ScalingEngine {
  /** Scale out on one minute of high-resolution data, as AWS's high alarm does. */
  public static final Duration SCALE_OUT_WINDOW = Duration.ofMinutes(1);

  /** Scale in on fifteen minutes of data, as AWS's low alarm does (90 datapoints of 10 s). */
  public static final Duration SCALE_IN_WINDOW = Duration.ofMinutes(15);

  /** Scale in only when the metric stays this far below target. */
  static final double SCALE_IN_MARGIN = 0.9;

  private final Clock clock;

  public ScalingEngine(Clock clock) {
    this.clock = clock;
  }

  public Decision evaluate(
      ScalingRules rules, Copies copies, MetricSource metrics, EngineState state) {
    Instant now = clock.instant();
    List<Reason> why = new ArrayList<>();
    Bounds bounds = boundsInForce(rules, state, now, why);
    int current = copies.desired();
    int to = current;
    if (current == 0) {
      to = fromZero(rules, metrics, bounds, why);
    } else if (current < bounds.min()) {
      to = bounds.min();
      why.add(new Reason(Cause.BELOW_MIN, "below min capacity " + bounds.min()));
    } else if (current > bounds.max()) {
      if (copies.starting() > 0) {
        why.add(
            new Reason(
                Cause.ABOVE_MAX_DEFERRED,
                "above max capacity "
                    + bounds.max()
                    + ", deferred: "
                    + copies.starting()
                    + " copies still starting"));
      } else {
        to = bounds.max();
        why.add(new Reason(Cause.ABOVE_MAX, "above max capacity " + bounds.max()));
      }
    } else {
      to = inside(rules, copies, metrics, state, bounds, now, why);
    }
    EngineState next =
        new EngineState(
            state.startedAt(),
            bounds,
            now,
            to > current ? Optional.of(now) : state.lastScaleOut(),
            to < current ? Optional.of(now) : state.lastScaleIn());
    if (why.isEmpty()) {
      why.add(new Reason(Cause.STEADY, "steady"));
    }
    return new Decision(current, to, List.copyOf(why), next);
  }

  /** The bounds after every scheduled action that fired since the last evaluation, in order. */
  private static Bounds boundsInForce(
      ScalingRules rules, EngineState state, Instant now, List<Reason> why) {
    record Fired(Instant at, Schedule schedule) {}
    List<Fired> fired = new ArrayList<>();
    for (Schedule schedule : rules.schedules()) {
      schedule
          .firesIn(state.lastEvaluation(), now)
          .forEach(at -> fired.add(new Fired(at, schedule)));
    }
    fired.sort(Comparator.comparing(Fired::at));
    Bounds bounds = state.bounds();
    for (Fired f : fired) {
      bounds = f.schedule().apply(bounds);
      why.add(
          new Reason(
              Cause.SCHEDULE_FIRED,
              "schedule "
                  + f.schedule().name()
                  + " fired at "
                  + f.at()
                  + ": capacity "
                  + bounds.min()
                  + ".."
                  + bounds.max()));
    }
    return bounds;
  }

  private static int fromZero(
      ScalingRules rules, MetricSource metrics, Bounds bounds, List<Reason> why) {
    if (metrics.heldRequests() > 0 && rules.scaleFromZero().isEmpty() && bounds.min() == 0) {
      // As on SageMaker, where only the recipe's scale-from-zero step wakes a component.
      why.add(
          new Reason(
              Cause.DEMAND_WITHOUT_SCALE_FROM_ZERO,
              metrics.heldRequests()
                  + " requests waiting, but the policy has no scaleFromZero: nothing wakes the"
                  + " component"));
      return 0;
    }
    if (metrics.heldRequests() > 0 && rules.scaleFromZero().isPresent()) {
      int adjustment = rules.scaleFromZero().get().adjustment();
      int to = bounds.clamp(Math.max(1, Math.max(adjustment, bounds.min())));
      why.add(
          to == 0
              ? new Reason(
                  Cause.DEMAND_AT_MAX_ZERO,
                  metrics.heldRequests() + " requests waiting, but max capacity in force is 0")
              : new Reason(
                  Cause.DEMAND_AT_ZERO,
                  metrics.heldRequests() + " requests waiting at zero copies"));
      return to;
    }
    if (bounds.min() > 0) {
      why.add(new Reason(Cause.BELOW_MIN, "below min capacity " + bounds.min()));
      return bounds.min();
    }
    return 0;
  }

  /** Target tracking and the idle window, between the bounds. */
  private static int inside(
      ScalingRules rules,
      Copies copies,
      MetricSource metrics,
      EngineState state,
      Bounds bounds,
      Instant now,
      List<Reason> why) {
    int current = copies.desired();
    int out = current;
    Integer in = null;
    boolean everyPolicyAllowsScaleIn = !rules.targetTracking().isEmpty();
    for (TargetTracking t : rules.targetTracking()) {
      OptionalDouble recent = metrics.average(t.metric(), SCALE_OUT_WINDOW);
      if (recent.isPresent() && recent.getAsDouble() > t.targetValue()) {
        int wanted = (int) Math.ceil(current * recent.getAsDouble() / t.targetValue());
        if (within(state.lastScaleOut(), t.scaleOutCooldown(), now)) {
          why.add(
              new Reason(
                  Cause.COOLDOWN, t.metric() + " above target, scale-out cooldown in effect"));
        } else if (wanted > out) {
          out = wanted;
          why.add(
              new Reason(
                  Cause.ABOVE_TARGET,
                  t.metric() + " " + recent.getAsDouble() + " above target " + t.targetValue()));
        }
      }
      Optional<Integer> wantsIn = scaleIn(t, current, metrics, state, now);
      if (wantsIn.isEmpty()) {
        everyPolicyAllowsScaleIn = false;
      } else {
        in = in == null ? wantsIn.get() : Math.max(in, wantsIn.get());
      }
    }
    Integer stepIn = null;
    for (StepScaling policy : rules.stepScaling()) {
      Optional<Integer> stepped = step(policy, current, metrics, now, why);
      if (stepped.isEmpty() || stepped.get() == current) {
        continue;
      }
      if (stepped.get() > current) {
        if (within(state.lastScaleOut(), policy.cooldown(), now)) {
          why.add(
              new Reason(Cause.COOLDOWN, "step policy " + policy.name() + ": cooldown in effect"));
        } else {
          out = Math.max(out, stepped.get());
        }
      } else if (!within(state.lastScaleIn(), policy.cooldown(), now)) {
        stepIn = stepIn == null ? stepped.get() : Math.max(stepIn, stepped.get());
      }
    }
    if (out > current) {
      return bounds.clamp(out);
    }
    boolean warm = !now.isBefore(state.startedAt().plus(SCALE_IN_WINDOW));
    if (copies.starting() > 0) {
      // A starting copy is neither idle nor removable (Kubernetes would remove it first).
      why.add(
          new Reason(
              Cause.COPIES_STARTING,
              copies.starting()
                  + " copies still starting: nothing is scaled in until they are ready"));
      return current;
    }
    if (bounds.min() == 0 && idle(rules, metrics, state, now)) {
      why.add(new Reason(Cause.IDLE, "no requests for " + rules.idleToZero().toSeconds() + " s"));
      return 0;
    }
    if (!warm) {
      return current;
    }
    int scaleIn = current;
    if (everyPolicyAllowsScaleIn && in != null && in < current) {
      why.add(
          new Reason(
              Cause.BELOW_TARGET, "every tracked metric at least 10% below target for 15 minutes"));
      scaleIn = Math.max(1, in);
    }
    if (stepIn != null) {
      scaleIn = scaleIn == current ? stepIn : Math.max(scaleIn, stepIn);
    }
    return bounds.clamp(Math.min(current, scaleIn));
  }

  /**
   * The capacity a step policy asks for when its alarm is in ALARM; empty while the alarm is not,
   * or when no step contains the metric's distance from the threshold.
   */
  private static Optional<Integer> step(
      StepScaling policy, int current, MetricSource metrics, Instant now, List<Reason> why) {
    Alarm alarm = policy.alarm();
    int breaching = 0;
    // The datapoints that crossed the threshold, as the alarm's state reason lists them; the
    // policy's aggregation of them chooses the step (Ebb's reading of MetricAggregationType, which
    // AWS documents only as "the aggregation type for the CloudWatch metrics").
    List<Double> present = new ArrayList<>();
    for (int i = 0; i < alarm.evaluationPeriods(); i++) {
      Instant to = now.minus(alarm.period().multipliedBy(i));
      OptionalDouble value =
          metrics.aggregate(alarm.metric(), alarm.statistic(), to.minus(alarm.period()), to);
      if (value.isPresent()) {
        if (alarm.comparison().breaches(value.getAsDouble(), alarm.threshold())) {
          breaching++;
          present.add(value.getAsDouble());
        }
      } else if (alarm.missingData() == MissingData.breaching) {
        breaching++;
      }
    }
    if (breaching < alarm.datapointsToAlarm()) {
      return Optional.empty();
    }
    // In ALARM on missing data alone (breaching), no value says which step: the threshold's own
    // step is taken, the smallest change the policy makes when its alarm fires.
    double difference =
        present.isEmpty() ? 0 : aggregate(present, policy.metricAggregation()) - alarm.threshold();
    Optional<Step> step = policy.steps().stream().filter(s -> s.contains(difference)).findFirst();
    if (step.isEmpty()) {
      return Optional.empty();
    }
    int adjustment = step.get().adjustment();
    int to =
        switch (policy.adjustmentType()) {
          case ChangeInCapacity -> current + adjustment;
          case ExactCapacity -> adjustment;
          case PercentChangeInCapacity -> current + percentChange(current, adjustment, policy);
        };
    why.add(
        new Reason(
            Cause.STEP,
            "step policy "
                + policy.name()
                + ": alarm on "
                + alarm.metric()
                + " ("
                + breaching
                + " of "
                + alarm.evaluationPeriods()
                + " periods), "
                + policy.adjustmentType()
                + " "
                + adjustment));
    return Optional.of(Math.max(0, to));
  }

  private static double aggregate(List<Double> values, Aggregation aggregation) {
    var stream = values.stream().mapToDouble(Double::doubleValue);
    return switch (aggregation) {
      case Average -> stream.average().orElseThrow();
      case Minimum -> stream.min().orElseThrow();
      case Maximum -> stream.max().orElseThrow();
    };
  }

  /**
   * A percentage of current capacity, rounded as Application Auto Scaling rounds it (toward zero
   * beyond ±1, away from zero inside it), then raised to the minimum magnitude.
   */
  static int percentChange(int current, int percent, StepScaling policy) {
    double exact = current * percent / 100.0;
    int change;
    if (exact > 1) {
      change = (int) Math.floor(exact);
    } else if (exact > 0) {
      change = 1;
    } else if (exact > -1) {
      change = exact == 0 ? 0 : -1;
    } else {
      change = (int) Math.ceil(exact);
    }
    int magnitude = policy.minAdjustmentMagnitude().orElse(0);
    if (change != 0 && Math.abs(change) < magnitude) {
      change = Integer.signum(change) * magnitude;
    }
    return change;
  }

  /** What one target tracking policy would scale in to, if it allows scaling in now. */
  private static Optional<Integer> scaleIn(
      TargetTracking t, int current, MetricSource metrics, EngineState state, Instant now) {
    if (t.disableScaleIn()
        || within(state.lastScaleIn(), t.scaleInCooldown(), now)
        || !metrics.covers(t.metric(), SCALE_IN_WINDOW)) {
      return Optional.empty();
    }
    OptionalDouble highest = metrics.maximum(t.metric(), SCALE_IN_WINDOW);
    OptionalDouble average = metrics.average(t.metric(), SCALE_IN_WINDOW);
    if (highest.isEmpty()
        || average.isEmpty()
        || highest.getAsDouble() > SCALE_IN_MARGIN * t.targetValue()) {
      return Optional.empty();
    }
    return Optional.of((int) Math.ceil(current * average.getAsDouble() / t.targetValue()));
  }

  /** No request for the idle window, counted from the last request or the operator's start. */
  private static boolean idle(
      ScalingRules rules, MetricSource metrics, EngineState state, Instant now) {
    Instant quietSince =
        metrics.lastRequest().filter(r -> r.isAfter(state.startedAt())).orElse(state.startedAt());
    return !now.isBefore(quietSince.plus(rules.idleToZero()));
  }

  private static boolean within(Optional<Instant> since, Duration cooldown, Instant now) {
    return since.map(s -> now.isBefore(s.plus(cooldown))).orElse(false);
  }
}
