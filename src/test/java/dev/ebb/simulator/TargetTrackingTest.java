package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Target tracking on ConcurrentRequestsPerCopy (high resolution, 10 s): the alarms Application Auto
 * Scaling creates, scale-out in proportion to the metric, and scale-in (to zero with min 0) after
 * 15 minutes below 90 % of the target. Requests are taken to last 1 s (Little's law), so 10
 * requests in a 10-second tick are one concurrent request.
 */
class TargetTrackingTest {
  private final SimFixture f =
      new SimFixture(
          Delays.realistic().withCopies(Duration.ofMinutes(4), Duration.ofMinutes(1)), true);
  private final ScaleToZeroRecipe recipe = new ScaleToZeroRecipe(f);

  @BeforeEach
  void componentWithOneCopy() {
    f.model("m");
    f.componentConfig("cfg");
    f.endpoint("ep", "cfg");
    f.advance(Duration.ofMinutes(6));
    f.component("ic", "ep", "m", 1);
    f.advance(Duration.ofMinutes(5));
  }

  @Test
  void createsAlarmHighAndAlarmLowOnTheTrackedMetric() {
    recipe.target(0, 4).targetTracking(5, 300, 300);
    JsonNode high = recipe.trackingAlarm("AlarmHigh");
    assertThat(high.path("AlarmName").asText())
        .startsWith("TargetTracking-inference-component/ic-AlarmHigh-");
    assertThat(high.path("Namespace").asText()).isEqualTo("AWS/SageMaker");
    assertThat(high.path("MetricName").asText()).isEqualTo("ConcurrentRequestsPerCopy");
    assertThat(high.at("/Dimensions/0/Name").asText()).isEqualTo("InferenceComponentName");
    assertThat(high.at("/Dimensions/0/Value").asText()).isEqualTo("ic");
    assertThat(high.path("Period").asInt()).isEqualTo(10);
    assertThat(high.path("EvaluationPeriods").asInt()).isEqualTo(3);
    assertThat(high.path("Threshold").asDouble()).isEqualTo(5.0);
    assertThat(high.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    JsonNode low = recipe.trackingAlarm("AlarmLow");
    assertThat(low.path("EvaluationPeriods").asInt()).isEqualTo(90);
    assertThat(low.path("DatapointsToAlarm").asInt()).isEqualTo(90);
    assertThat(low.path("Threshold").asDouble()).isEqualTo(4.5);
    assertThat(low.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
  }

  @Test
  void disableScaleInCreatesNoAlarmLow() {
    recipe.target(0, 4);
    JsonNode out =
        f.call(
            "PutScalingPolicy",
            """
            {"ServiceNamespace": "sagemaker", "ResourceId": "inference-component/ic",
             "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
             "PolicyName": "tracking", "PolicyType": "TargetTrackingScaling",
             "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 5,
               "PredefinedMetricSpecification": {"PredefinedMetricType":
                 "SageMakerInferenceComponentInvocationsPerCopy"},
               "DisableScaleIn": true}}
            """);
    assertThat(out.path("Alarms")).singleElement();
    JsonNode high = recipe.trackingAlarm("AlarmHigh");
    assertThat(high.path("MetricName").asText()).isEqualTo("InvocationsPerCopy");
    assertThat(high.path("Statistic").asText()).isEqualTo("Sum");
    assertThat(high.path("Period").asInt()).isEqualTo(60);
    f.advance(Duration.ofMinutes(30));
    assertThat(recipe.desiredCopies()).as("idle, but scale-in is disabled").isEqualTo(1);
  }

  @Test
  void scalesOutInProportionToTheMetric() {
    recipe.target(0, 4).targetTracking(5, 300, 300);
    // 150 requests per 10 s: 15 concurrent on one copy, three times the target, for 30 s.
    for (int i = 0; i < 3; i++) {
      recipe.invoke(150);
      f.advance(Duration.ofSeconds(10));
    }
    assertThat(recipe.trackingAlarm("AlarmHigh").path("StateValue").asText()).isEqualTo("ALARM");
    assertThat(recipe.desiredCopies()).isEqualTo(3);
  }

  @Test
  void theMaximumCapacityBoundsTheScaleOut() {
    recipe.target(0, 2).targetTracking(5, 300, 300);
    for (int i = 0; i < 3; i++) {
      recipe.invoke(500);
      f.advance(Duration.ofSeconds(10));
    }
    assertThat(recipe.desiredCopies()).isEqualTo(2);
  }

  @Test
  void scalesInToZeroAfterFifteenIdleMinutesAndNotBefore() {
    recipe.target(0, 4).targetTracking(5, 300, 300);
    f.advance(Duration.ofMinutes(14));
    assertThat(recipe.desiredCopies()).isEqualTo(1);
    assertThat(recipe.trackingAlarm("AlarmLow").path("StateValue").asText()).isNotEqualTo("ALARM");

    f.advance(Duration.ofMinutes(1).plusSeconds(10));
    assertThat(recipe.trackingAlarm("AlarmLow").path("StateValue").asText()).isEqualTo("ALARM");
    assertThat(recipe.desiredCopies()).isZero();
    f.advance(Duration.ofMinutes(1));
    assertThat(recipe.currentCopies()).isZero();
    assertThat(f.sim.scalingActivities(SimFixture.REGION).get(0).path("Cause").asText())
        .contains("AlarmLow")
        .contains("triggered policy tracking");
  }

  @Test
  void aRequestWithinTheWindowRestartsIt() {
    recipe.target(0, 4).targetTracking(5, 300, 300);
    f.advance(Duration.ofMinutes(10));
    recipe.invoke(100); // 10 concurrent for one tick: above the low threshold (4.5)
    f.advance(Duration.ofMinutes(10));
    assertThat(recipe.desiredCopies()).as("the 15-minute window began again").isEqualTo(1);
    f.advance(Duration.ofMinutes(5).plusSeconds(10));
    assertThat(recipe.desiredCopies()).isZero();
  }

  @Test
  void loadAboveTheLowThresholdKeepsTheCopy() {
    recipe.target(0, 4).targetTracking(5, 300, 300);
    for (int s = 0; s < 20 * 60; s += 10) {
      recipe.invoke(48); // 4.8 concurrent: between 90 % of the target and the target
      f.advance(Duration.ofSeconds(10));
    }
    assertThat(recipe.desiredCopies()).isEqualTo(1);
  }

  @Test
  void theMinimumCapacityStopsScaleInToZero() {
    recipe.target(1, 4).targetTracking(5, 300, 300);
    f.advance(Duration.ofMinutes(30));
    assertThat(recipe.desiredCopies()).isEqualTo(1);
  }
}
