package dev.ebb.reconciler.policy;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.local.PolicyRules;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import dev.ebb.scaling.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The SchedulesFireAsWritten condition: whether a scheduled action names a wall-clock time that a
 * daylight-saving change skips. Such a time does not exist, so the action does not fire then
 * (EventBridge Scheduler's documented rule, which Ebb's local autoscaler follows; Application Auto
 * Scaling documents none). A Warning event is recorded when the condition turns False.
 */
final class ScheduleGaps {
  /** Far enough ahead to see both of a year's changes in every zone, whenever it is asked. */
  static final Duration HORIZON = Duration.ofDays(400);

  private ScheduleGaps() {}

  /** Sets the condition on a policy with schedules; a policy without any has none. */
  static void set(ScalingPolicy policy, Conditions conditions) {
    if (policy.getSpec().schedule() == null || policy.getSpec().schedule().isEmpty()) {
      return;
    }
    List<Schedule> schedules;
    try {
      schedules = PolicyRules.of(EffectivePolicy.of(policy.getSpec())).schedules();
    } catch (IllegalArgumentException e) {
      return; // an invalid schedule is reported as InvalidSpec
    }
    Instant now = conditions.now();
    List<String> skipped = new ArrayList<>();
    for (Schedule schedule : schedules) {
      List<LocalDateTime> times = schedule.skippedIn(now, now.plus(HORIZON));
      if (!times.isEmpty()) {
        skipped.add(
            schedule.name()
                + " ("
                + schedule.zone()
                + ") at "
                + times.get(0)
                + (times.size() > 1 ? " and " + (times.size() - 1) + " more" : ""));
      }
    }
    if (skipped.isEmpty()) {
      conditions.set(
          Condition.SCHEDULES_FIRE_AS_WRITTEN,
          true,
          Reasons.SCHEDULE_TIMES_EXIST,
          "Every scheduled action's times exist in its time zone over the next 400 days.");
    } else {
      conditions.set(
          Condition.SCHEDULES_FIRE_AS_WRITTEN,
          false,
          Reasons.SCHEDULE_TIME_SKIPPED,
          "spec.schedule "
              + String.join("; ", skipped)
              + ": the clocks skip that time for daylight saving, so the action does not fire"
              + " then. Move it out of the gap (for example an hour earlier) if it must run.");
    }
  }
}
