package dev.ebb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TrackedMetric;
import dev.ebb.testing.Manifests;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EffectivePolicyTest {
  private static final String EVERYTHING_OMITTED =
      """
      targetTracking:
      - {metric: Custom, custom: {name: Waiting}, targetValue: 4}
      scaleFromZero: {}
      stepScaling:
      - name: burst
        alarm: {metric: {name: ConcurrentRequestsPerCopy}, threshold: 5}
        steps: [{lower: 0, adjustment: 1}]
      schedule:
      - {name: night, cron: '0 22 * * ? *', maxCapacity: 0}
      """;

  /** The same policy with every default the CRD documents written out. */
  private static final String EVERYTHING_WRITTEN =
      """
      targetTracking:
      - metric: Custom
        custom: {namespace: AWS/SageMaker, name: Waiting, statistic: Average}
        targetValue: 4
        scaleOutCooldownSeconds: 300
        scaleInCooldownSeconds: 300
        disableScaleIn: false
      scaleFromZero: {adjustment: 1, cooldownSeconds: 60}
      stepScaling:
      - name: burst
        adjustmentType: ChangeInCapacity
        cooldownSeconds: 300
        metricAggregationType: Average
        alarm:
          metric: {namespace: AWS/SageMaker, name: ConcurrentRequestsPerCopy, statistic: Average}
          threshold: 5
          comparison: GreaterThanOrEqualToThreshold
          periodSeconds: 60
          evaluationPeriods: 1
          datapointsToAlarm: 1
          treatMissingData: missing
        steps: [{lower: 0, adjustment: 1}]
      schedule:
      - {name: night, cron: '0 22 * * ? *', timeZone: UTC, maxCapacity: 0}
      idle: {scaleToZeroAfterSeconds: 900}
      """;

  @Test
  void anOmittedFieldMeansWhatTheCrdsDefaultSays() {
    assertThat(effective(EVERYTHING_OMITTED)).isEqualTo(effective(EVERYTHING_WRITTEN));
  }

  @Test
  void theDefaultsAreSageMakersOwn() {
    EffectivePolicy policy = effective(EVERYTHING_OMITTED);
    assertThat(policy.scaleFromZero().orElseThrow())
        .isEqualTo(new EffectivePolicy.ScaleFromZero(1, 60));
    assertThat(policy.targetTracking().get(0).scaleInCooldownSeconds()).isEqualTo(300);
    assertThat(policy.idleToZero()).isEqualTo(Duration.ofMinutes(15));
    assertThat(policy.scheduledActions().get(0).expression()).isEqualTo("cron(0 22 * * ? *)");
  }

  @Test
  void theMetricsTableSaysWhatEachKindMayTrack() {
    assertThat(TrackedMetric.allowedFor(TargetKind.InferenceComponent))
        .containsExactly(
            TrackedMetric.ConcurrentRequestsPerCopy,
            TrackedMetric.InvocationsPerCopy,
            TrackedMetric.Custom);
    assertThat(TrackedMetric.allowedFor(TargetKind.InferenceEndpoint))
        .containsExactly(
            TrackedMetric.ConcurrentRequestsPerModel,
            TrackedMetric.InvocationsPerInstance,
            TrackedMetric.BacklogPerInstance,
            TrackedMetric.Custom);
    for (TrackedMetric metric : TrackedMetric.values()) {
      assertThat(
              metric == TrackedMetric.Custom
                  || metric.predefinedMetricType().isPresent()
                      != metric.endpointMetricName().isPresent())
          .as("%s compiles to exactly one SageMaker metric", metric)
          .isTrue();
    }
  }

  private static EffectivePolicy effective(String more) {
    return EffectivePolicy.of(
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
