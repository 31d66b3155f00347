package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.whatif.aws.AlarmEvaluator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudWatch and Application Auto Scaling running in simulated time. Like every other transition it
 * runs lazily, when a call or an inspection observes the region: the time since the last
 * observation is replayed tick by tick ({@link #TICK}, the shortest alarm period), so an hour on a
 * {@link ManualClock} costs 360 ticks, not an hour. At each tick, in order: SageMaker's transitions
 * due by then, SageMaker's metrics for the tick that ended, the scheduled actions due, and every
 * alarm at the end of one of its periods, whose Auto Scaling actions run the policies they name.
 *
 * <p>An alarm in ALARM invokes its Auto Scaling actions on the transition and again once a minute
 * for as long as it stays there (CloudWatch does so for Auto Scaling actions only); other actions
 * are not run.
 */
final class Autoscaling {
  static final Duration TICK = Duration.ofSeconds(10);
  private static final Duration REPEAT = Duration.ofMinutes(1);
  private static final String POLICY_ARN = "arn:aws:autoscaling:";

  private final String account;
  private volatile Delays delays;
  private final Faults faults;
  private final Quotas quotas;
  private volatile boolean enabled;

  Autoscaling(String account, Delays delays, Faults faults, Quotas quotas) {
    this.account = account;
    this.delays = delays;
    this.faults = faults;
    this.quotas = quotas;
  }

  void enable(boolean on) {
    this.enabled = on;
  }

  void delays(Delays delays) {
    this.delays = delays;
  }

  /** Brings {@code region} up to {@code now}: transitions, and with scaling on, every tick. */
  void advance(RegionStore region, Instant now) {
    ScalingState state = region.scaling;
    if (!enabled) {
      state.lastTick = null; // time spent off is not replayed when turned on again
      region.advance(now);
      return;
    }
    if (state.lastTick == null) {
      state.lastTick =
          Instant.ofEpochSecond(now.getEpochSecond() / TICK.toSeconds() * TICK.toSeconds());
    }
    for (Instant t = state.lastTick.plus(TICK); !t.isAfter(now); t = t.plus(TICK)) {
      region.advance(t);
      tick(region, t);
      state.lastTick = t;
      if (t.getEpochSecond() % 3600 == 0) {
        state.metrics.prune(t);
      }
    }
    region.advance(now);
  }

  private void tick(RegionStore region, Instant t) {
    Ctx ctx = new Ctx(region, t, account, delays, faults, quotas);
    SageMakerMetrics.publish(region, t);
    ScheduledScaling.run(ctx, t.minus(TICK));
    for (ObjectNode alarm : new ArrayList<>(region.alarms.values())) {
      evaluate(ctx, alarm);
    }
  }

  private static void evaluate(Ctx ctx, ObjectNode alarm) {
    ScalingState state = ctx.region().scaling;
    String name = alarm.path("AlarmName").asText();
    Instant t = ctx.now();
    boolean entered = false;
    if (AlarmEvaluator.due(alarm, t)) {
      AlarmEvaluator.Evaluation e = AlarmEvaluator.evaluate(alarm, state.metrics, t);
      entered = e.state().equals("ALARM") && !"ALARM".equals(alarm.path("StateValue").asText());
      if (!e.state().equals(alarm.path("StateValue").asText())) {
        AlarmEvaluator.setState(alarm, e, t);
      }
      state.alarmDatapoints.put(name, e.datapoints());
    }
    if (!"ALARM".equals(alarm.path("StateValue").asText())
        || !alarm.path("ActionsEnabled").asBoolean(true)) {
      state.alarmActedAt.remove(name);
      return;
    }
    Instant acted = state.alarmActedAt.get(name);
    if (!entered && acted != null && t.isBefore(acted.plus(REPEAT))) {
      return;
    }
    act(ctx, alarm, t);
  }

  /**
   * Invokes the alarm's Auto Scaling actions with the datapoints it last had: on evaluation, and
   * when SetAlarmState moves it into ALARM.
   */
  static void act(Ctx ctx, ObjectNode alarm, Instant t) {
    ScalingState state = ctx.region().scaling;
    String name = alarm.path("AlarmName").asText();
    if (!alarm.path("ActionsEnabled").asBoolean(true)) {
      return;
    }
    state.alarmActedAt.put(name, t);
    List<Double> datapoints = state.alarmDatapoints.getOrDefault(name, List.of());
    for (JsonNode action : alarm.path("AlarmActions")) {
      if (action.asText().startsWith(POLICY_ARN)) {
        PolicyExecution.invoke(ctx, action.asText(), alarm, datapoints);
      }
    }
  }
}
