package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.whatif.aws.Schedule;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled actions in their time zone: the schedule's expressions, the StartTime/EndTime window,
 * and a firing that moves the target's bounds and brings the capacity inside them.
 */
class ScheduledScalingTest {
  private final SimFixture f = new SimFixture(Delays.none(), true);
  private final ScaleToZeroRecipe recipe = new ScaleToZeroRecipe(f);

  @BeforeEach
  void componentWithOneCopy() {
    // The clock starts on Monday 2026-11-23 10:00Z.
    f.componentEndpointInService();
    recipe.target(0, 4);
  }

  private void action(String name, String schedule, String timezone, int min, int max) {
    f.call(
        "PutScheduledAction",
        """
        {"ServiceNamespace": "sagemaker", "ResourceId": "inference-component/ic",
         "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
         "ScheduledActionName": "%s", "Schedule": "%s", "Timezone": "%s",
         "ScalableTargetAction": {"MinCapacity": %d, "MaxCapacity": %d}}
        """
            .formatted(name, schedule, timezone, min, max));
  }

  private JsonNode target() {
    return f.sim.scaling(SimFixture.REGION).scalableTargets().get(0);
  }

  @Test
  void aCronFiresInItsTimeZoneAndMovesTheBounds() {
    action("weekend-off", "cron(0 18 ? * FRI *)", "Europe/Paris", 0, 0);
    f.clock.set(Instant.parse("2026-11-27T16:59:50Z")); // Friday 17:59:50 in Paris
    assertThat(target().path("MaxCapacity").asInt()).isEqualTo(4);
    assertThat(recipe.desiredCopies()).isEqualTo(1);

    f.advance(Duration.ofSeconds(10));
    assertThat(target().path("MinCapacity").asInt()).isZero();
    assertThat(target().path("MaxCapacity").asInt()).isZero();
    assertThat(recipe.desiredCopies()).as("above the new max: scaled in").isZero();
    assertThat(f.sim.scalingActivities(SimFixture.REGION).get(0).path("Cause").asText())
        .isEqualTo("scheduled action name weekend-off set min capacity to 0 and max capacity to 0");
  }

  @Test
  void aRaisedMinimumScalesOut() {
    action("weekday-on", "cron(0 7 ? * MON *)", "Europe/Paris", 2, 4);
    f.clock.set(Instant.parse("2026-11-30T05:59:50Z")); // Monday 06:59:50 in Paris
    f.advance(Duration.ofSeconds(10));
    assertThat(recipe.desiredCopies()).isEqualTo(2);
  }

  @Test
  void expressions() {
    Instant monday = Instant.parse("2026-11-23T10:00:00Z");
    Instant start = monday;
    assertThat(
            Schedule.parse("rate(5 minutes)", null)
                .firings(monday, monday.plus(Duration.ofMinutes(12)), start))
        .containsExactly(monday.plus(Duration.ofMinutes(5)), monday.plus(Duration.ofMinutes(10)));
    assertThat(
            Schedule.parse("at(2026-11-23T12:30:00)", "America/New_York")
                .firings(monday, monday.plus(Duration.ofDays(1)), start))
        .containsExactly(Instant.parse("2026-11-23T17:30:00Z"));
    assertThat(
            Schedule.parse("cron(*/20 9-10 ? * MON-FRI *)", "UTC")
                .firings(monday, monday.plus(Duration.ofHours(1)), start))
        .containsExactly(
            Instant.parse("2026-11-23T10:20:00Z"), Instant.parse("2026-11-23T10:40:00Z"));
    assertThat(
            Schedule.parse("cron(0 12 1 * ? *)", "UTC")
                .firings(monday, monday.plus(Duration.ofDays(10)), start))
        .containsExactly(Instant.parse("2026-12-01T12:00:00Z"));
  }

  @Test
  void nothingFiresOutsideStartAndEnd() {
    f.call(
        "PutScheduledAction",
        """
        {"ServiceNamespace": "sagemaker", "ResourceId": "inference-component/ic",
         "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
         "ScheduledActionName": "hourly", "Schedule": "rate(1 hour)",
         "StartTime": %d, "EndTime": %d,
         "ScalableTargetAction": {"MinCapacity": 3}}
        """
            .formatted(
                Instant.parse("2026-11-23T12:00:00Z").getEpochSecond(),
                Instant.parse("2026-11-23T12:30:00Z").getEpochSecond()));
    f.advance(Duration.ofHours(5));
    assertThat(recipe.desiredCopies()).as("its first firing, 13:00, is after EndTime").isEqualTo(1);
  }

  @Test
  void suspendedScheduledScalingDoesNotFire() {
    f.call(
        "RegisterScalableTarget",
        """
        {"ServiceNamespace": "sagemaker", "ResourceId": "inference-component/ic",
         "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
         "SuspendedState": {"ScheduledScalingSuspended": true}}
        """);
    action("soon", "rate(1 minute)", "UTC", 3, 4);
    f.advance(Duration.ofMinutes(5));
    assertThat(recipe.desiredCopies()).isEqualTo(1);
  }
}
