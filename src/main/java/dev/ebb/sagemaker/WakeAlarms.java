package dev.ebb.sagemaker;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Rings a component's scale-from-zero alarm ahead of CloudWatch: SetAlarmState to ALARM, so that
 * Application Auto Scaling takes the policy's scale-from-zero step now rather than when the alarm
 * next evaluates. Waking through the alarm, and not by setting the copy count, keeps Application
 * Auto Scaling the only one scaling: the alarm's own transition a moment later (the request that
 * found no copy counted a NoCapacityInvocationFailures) falls within the step's cooldown and adds
 * nothing, and the target's min, max and scheduled limits apply as they would to the alarm.
 *
 * <p>CloudWatch's API reference for SetAlarmState: "When the updated state differs from the
 * previous value, the action configured for the appropriate state is invoked", and "If an alarm
 * triggers EC2 Auto Scaling policies or application Auto Scaling policies, you must include
 * information in the StateReasonData parameter to enable the policy to take the correct action":
 * the data is what CloudWatch records for a metric alarm that breaches, one datapoint at the
 * threshold, which falls in the step whose lower bound is 0. The alarm returns to its evaluated
 * state "often within seconds".
 */
public final class WakeAlarms {
  private final Supplier<CloudWatchClient> client;
  private final Clock clock;

  public WakeAlarms(Supplier<CloudWatchClient> client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Sets alarm {@code name} (a component's, {@link ScalingRecipes#scaleFromZeroAlarm}) to ALARM.
   */
  public void ring(String name, String why) {
    Calls.call(
        "SetAlarmState",
        () ->
            client
                .get()
                .setAlarmState(
                    r ->
                        r.alarmName(name)
                            .stateValue(StateValue.ALARM)
                            .stateReason(why)
                            .stateReasonData(reasonData(clock.instant()))));
  }

  /**
   * CloudWatch's own state reason data for a breaching metric alarm (version 1.0), with one
   * datapoint at the wake alarm's threshold.
   */
  public static String reasonData(Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    Instant start = at.minusSeconds(ScalingRecipes.COMPONENT_WAKE_PERIOD_SECONDS);
    double value = ScalingRecipes.WAKE_THRESHOLD;
    return """
        {"version":"1.0","queryDate":"%s","startDate":"%s","statistic":"Maximum",\
        "period":%d,"recentDatapoints":[%s],"threshold":%s,\
        "evaluatedDatapoints":[{"timestamp":"%s","sampleCount":1.0,"value":%s}]}"""
        .formatted(
            at, start, ScalingRecipes.COMPONENT_WAKE_PERIOD_SECONDS, value, value, start, value);
  }
}
