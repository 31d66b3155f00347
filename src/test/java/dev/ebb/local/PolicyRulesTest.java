package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.scaling.Bounds;
import dev.ebb.scaling.ScalingRules;
import dev.ebb.testing.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PolicyRulesTest {
  @Test
  void everyPartOfTheSpecReachesTheEngine() {
    ScalingRules rules =
        PolicyRules.of(
            policy(
                """
                targetTracking:
                - {metric: ConcurrentRequestsPerCopy, targetValue: 4, scaleInCooldownSeconds: 600}
                - {metric: Custom, custom: {namespace: ModelServer, name: queue_depth, dimensions: {model: llama}}, targetValue: 10, disableScaleIn: true}
                scaleFromZero: {adjustment: 2}
                stepScaling:
                - name: burst
                  adjustmentType: PercentChangeInCapacity
                  minAdjustmentMagnitude: 2
                  alarm: {metric: {name: ConcurrentRequestsPerCopy, statistic: Maximum}, threshold: 5,
                          periodSeconds: 10, evaluationPeriods: 3, datapointsToAlarm: 2}
                  steps: [{lower: 0, upper: 10, adjustment: 50}, {lower: 10, adjustment: 100}]
                schedule:
                - {name: weekend, cron: '0 18 ? * FRI *', timeZone: Europe/Paris, maxCapacity: 0}
                idle: {scaleToZeroAfterSeconds: 120}
                """));

    assertThat(rules.bounds()).isEqualTo(new Bounds(0, 4));
    assertThat(rules.targetTracking())
        .containsExactly(
            new ScalingRules.TargetTracking(
                "ConcurrentRequestsPerCopy",
                4,
                Duration.ofSeconds(300),
                Duration.ofSeconds(600),
                false),
            new ScalingRules.TargetTracking(
                "queue_depth{model=\"llama\"}",
                10,
                Duration.ofSeconds(300),
                Duration.ofSeconds(300),
                true));
    assertThat(rules.scaleFromZero()).contains(new ScalingRules.ScaleFromZero(2));
    var burst = rules.stepScaling().get(0);
    assertThat(burst.alarm())
        .isEqualTo(
            new ScalingRules.Alarm(
                "ConcurrentRequestsPerCopy",
                ScalingRules.Statistic.Maximum,
                5,
                ScalingRules.Comparison.GreaterThanOrEqualToThreshold,
                Duration.ofSeconds(10),
                3,
                2));
    assertThat(burst.adjustmentType())
        .isEqualTo(ScalingRules.AdjustmentType.PercentChangeInCapacity);
    assertThat(burst.minAdjustmentMagnitude()).isEqualTo(OptionalInt.of(2));
    assertThat(burst.steps())
        .containsExactly(
            new ScalingRules.Step(OptionalDouble.of(0), OptionalDouble.of(10), 50),
            new ScalingRules.Step(OptionalDouble.of(10), OptionalDouble.empty(), 100));
    assertThat(
            rules
                .schedules()
                .get(0)
                .firesIn(
                    Instant.parse("2026-11-27T16:59:00Z"), Instant.parse("2026-11-27T17:01:00Z")))
        .as("Friday 18:00 in Paris")
        .containsExactly(Instant.parse("2026-11-27T17:00:00Z"));
    assertThat(rules.idleToZero()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void withoutIdleTheLastCopyGoesAfterSageMakersFifteenMinutes() {
    assertThat(PolicyRules.of(policy("")).idleToZero()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aScheduleTheEngineCannotEvaluateIsNamed() {
    assertThatThrownBy(
            () ->
                PolicyRules.of(
                    policy("schedule: [{name: night, cron: '0 25 ? * MON *', maxCapacity: 0}]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.schedule[night]: ");
  }

  @Test
  void anAlarmThatIgnoresMissingDataIsRefusedByName() {
    assertThatThrownBy(
            () ->
                PolicyRules.of(
                    policy(
                        """
                        stepScaling:
                        - name: burst
                          alarm: {metric: {name: ConcurrentRequestsPerCopy}, threshold: 5,
                                  treatMissingData: ignore}
                          steps: [{lower: 0, adjustment: 1}]
                        """)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.stepScaling[burst].alarm.treatMissingData: ignore");
  }

  @Test
  void anAlarmsMissingDataAndAPolicysAggregationReachTheEngine() {
    var burst =
        PolicyRules.of(
                policy(
                    """
                    stepScaling:
                    - name: burst
                      metricAggregationType: Maximum
                      alarm: {metric: {name: ConcurrentRequestsPerCopy}, threshold: 5,
                              treatMissingData: breaching}
                      steps: [{lower: 0, adjustment: 1}]
                    """))
            .stepScaling()
            .get(0);
    assertThat(burst.metricAggregation()).isEqualTo(ScalingRules.Aggregation.Maximum);
    assertThat(burst.alarm().missingData()).isEqualTo(ScalingRules.MissingData.breaching);
  }

  private static dev.ebb.api.v1alpha1.EffectivePolicy policy(String more) {
    return dev.ebb.api.v1alpha1.EffectivePolicy.of(
        Manifests.parse(
                ScalingPolicy.class,
                """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: p}
            spec:
              targetRef: {kind: InferenceComponent, name: llama}
              minCapacity: 0
              maxCapacity: 4
            %s
            """
                    .formatted(more.indent(2)),
                1)
            .getSpec());
  }
}
