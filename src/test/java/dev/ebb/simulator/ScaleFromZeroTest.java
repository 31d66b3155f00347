package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sagemaker.WakeAlarms;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scale from zero as SageMaker's guide sets it up: a request refused at zero copies publishes
 * NoCapacityInvocationFailures, the alarm on it fires at the end of its 30-second period, and
 * Application Auto Scaling's step policy adds a copy, which arrives after the copy delay (4 min).
 */
class ScaleFromZeroTest {
  private final SimFixture f =
      new SimFixture(
          Delays.realistic().withCopies(Duration.ofMinutes(4), Duration.ofMinutes(1)), true);
  private final ScaleToZeroRecipe recipe = new ScaleToZeroRecipe(f);

  @BeforeEach
  void componentAtZeroCopies() {
    f.model("m");
    f.componentConfig("cfg");
    f.endpoint("ep", "cfg");
    f.advance(Duration.ofMinutes(6));
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));
    f.copies("ic", 0);
    f.advance(Duration.ofMinutes(1));
    recipe.target(0, 4).scaleFromZero(60);
    assertThat(recipe.currentCopies()).isZero();
  }

  @Test
  void aRefusedRequestFiresTheAlarmAndTheStepAddsACopy() {
    f.advance(Duration.ofSeconds(5)); // 10:12:05, inside the period ending 10:12:30
    assertThat(recipe.invoke(3)).as("refused at zero copies").isEqualTo(3);
    assertThat(recipe.alarm("ic-from-zero").path("StateValue").asText())
        .isEqualTo("INSUFFICIENT_DATA");

    f.advance(Duration.ofSeconds(25)); // the period ends: the alarm evaluates
    JsonNode alarm = recipe.alarm("ic-from-zero");
    assertThat(alarm.path("StateValue").asText()).isEqualTo("ALARM");
    assertThat(recipe.desiredCopies()).isEqualTo(1);
    List<JsonNode> activities = f.sim.scalingActivities(SimFixture.REGION);
    assertThat(activities).hasSize(1);
    assertThat(activities.get(0).path("Cause").asText())
        .isEqualTo("monitor alarm ic-from-zero in state ALARM triggered policy from-zero");
    assertThat(activities.get(0).path("StatusCode").asText()).isEqualTo("Successful");
    assertThat(recipe.invoke(1)).as("still provisioning").isEqualTo(1);

    f.advance(Duration.ofMinutes(4));
    assertThat(recipe.currentCopies()).isEqualTo(1);
    assertThat(recipe.invoke(5)).isZero();
    // Once no request is refused for a full period, the alarm has no data again.
    f.advance(Duration.ofMinutes(1));
    assertThat(recipe.alarm("ic-from-zero").path("StateValue").asText())
        .isEqualTo("INSUFFICIENT_DATA");
  }

  /**
   * Ebb's gateway wakes a component by ringing its alarm (SetAlarmState, with the state reason data
   * {@link WakeAlarms} sends): the step runs at once, and the alarm's own transition at the end of
   * the period falls within the step's cooldown, so one copy is started, not two.
   */
  @Test
  void anAlarmRungAheadOfItsPeriodTakesTheStepOnceAndItsOwnFiringAddsNothing() {
    f.advance(Duration.ofSeconds(5)); // 10:12:05, inside the period ending 10:12:30
    assertThat(recipe.invoke(1)).as("refused at zero copies").isEqualTo(1);
    ring("ic-from-zero");
    assertThat(recipe.desiredCopies()).as("the step, at once").isEqualTo(1);

    f.advance(Duration.ofMinutes(3)); // the period ends (ALARM on the refused request), and more
    assertThat(recipe.desiredCopies()).as("the alarm's own firing is in the cooldown").isEqualTo(1);
    assertThat(f.sim.scalingActivities(SimFixture.REGION))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.path("Cause").asText())
                    .isEqualTo(
                        "monitor alarm ic-from-zero in state ALARM triggered policy from-zero"));
  }

  @Test
  void anAlarmRungWithoutStateReasonDataScalesNothing() {
    recipe.invoke(1);
    f.call(
        "SetAlarmState",
        """
        {"AlarmName": "ic-from-zero", "StateValue": "ALARM", "StateReason": "by hand"}
        """);
    f.advance(Duration.ofSeconds(10));
    assertThat(recipe.desiredCopies()).isZero();
  }

  private void ring(String alarm) {
    var in = Json.object();
    in.put("AlarmName", alarm);
    in.put("StateValue", "ALARM");
    in.put("StateReason", "Ebb's gateway holds requests");
    in.put("StateReasonData", WakeAlarms.reasonData(f.clock.instant()));
    f.call("SetAlarmState", in.toString());
  }

  @Test
  void anAlarmStillInAlarmInvokesThePolicyAgainOnceAMinute() {
    // Requests keep failing while the copy is provisioned: the alarm stays in ALARM and invokes
    // the policy every minute; SageMaker refuses the change while the component is Updating, and
    // once the copy is there a further +1 is held back by nothing but the cooldown.
    for (int s = 0; s < 6 * 60; s += 10) {
      recipe.invoke(1);
      f.advance(Duration.ofSeconds(10));
    }
    List<JsonNode> activities = f.sim.scalingActivities(SimFixture.REGION);
    assertThat(activities.size()).as("one invocation a minute, %s", activities).isGreaterThan(3);
    assertThat(activities.get(activities.size() - 1).path("StatusCode").asText())
        .isEqualTo("Successful");
    assertThat(activities.stream().filter(a -> a.path("StatusCode").asText().equals("Failed")))
        .as("refused while Updating")
        .isNotEmpty()
        .allSatisfy(
            a -> assertThat(a.path("StatusMessage").asText()).contains("must be InService"));
    assertThat(recipe.desiredCopies()).isBetween(1, 2);
  }

  @Test
  void theScaleOutCooldownHoldsASecondStepBack() {
    // 3 failures in the first period; a 10-minute cooldown; the copy takes 4 minutes.
    f.call(
        "PutScalingPolicy",
        """
        {"ServiceNamespace": "sagemaker", "ResourceId": "inference-component/ic",
         "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
         "PolicyName": "from-zero", "PolicyType": "StepScaling",
         "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
           "MetricAggregationType": "Maximum", "Cooldown": 600,
           "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}}
        """);
    for (int s = 0; s < 8 * 60; s += 10) {
      recipe.invoke(1);
      f.advance(Duration.ofSeconds(10));
    }
    assertThat(recipe.desiredCopies()).as("no second copy within the cooldown").isEqualTo(1);
  }

  @Test
  void theMaximumCapacityBoundsTheStep() {
    recipe.target(0, 0);
    recipe.invoke(1);
    f.advance(Duration.ofSeconds(30));
    assertThat(recipe.alarm("ic-from-zero").path("StateValue").asText()).isEqualTo("ALARM");
    assertThat(recipe.desiredCopies()).isZero();
    assertThat(f.sim.scalingActivities(SimFixture.REGION)).isEmpty();
  }

  @Test
  void describeScalingActivitiesAnswersNewestFirst() {
    recipe.invoke(1);
    f.advance(Duration.ofSeconds(30));
    JsonNode out =
        f.call(
            "DescribeScalingActivities",
            """
            {"ServiceNamespace": "sagemaker", "ResourceId": "inference-component/ic",
             "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount"}
            """);
    assertThat(out.path("ScalingActivities")).hasSize(1);
    assertThat(out.at("/ScalingActivities/0/Description").asText())
        .isEqualTo("Setting desired copy count to 1 (from 0).");
  }
}
