package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.ScalingRecipes.Desired;
import dev.ebb.sagemaker.ScalingRecipes.DesiredAlarm;
import dev.ebb.sagemaker.ScalingRecipes.DesiredPolicy;
import dev.ebb.sagemaker.ScalingRecipes.Target;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;

class ScalingRecipesTest {
  private static Desired compile(String spec, Target target) {
    ScalingPolicy policy =
        Manifests.parse(
            ScalingPolicy.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: p, namespace: team}
            spec:
            %s
            """
                .formatted(spec.indent(2)),
            1);
    return ScalingRecipes.of(EffectivePolicy.of(policy.getSpec()), target, "ebb-team-p-1234abcd");
  }

  private static DesiredPolicy policy(Desired desired, String name) {
    return desired.policies().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no policy " + name + " in " + desired.policies()));
  }

  @Test
  void targetsAreNamedAsApplicationAutoScalingNamesThem() {
    assertThat(Target.component("team-llama-1a2b3c4d", "team-llm-5e6f7a8b").resourceId())
        .isEqualTo("inference-component/team-llama-1a2b3c4d");
    assertThat(Target.variant("whisper", "AllTraffic").resourceId())
        .isEqualTo("endpoint/whisper/variant/AllTraffic");
    assertThat(Target.variant("whisper", "AllTraffic").dimension())
        .isEqualTo(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT);
    assertThat(Target.ofResourceId("inference-component/x")).contains(Target.component("x", null));
    assertThat(Target.ofResourceId("endpoint/e/variant/v")).contains(Target.variant("e", "v"));
    assertThat(Target.ofResourceId("table/x")).isEmpty();
  }

  @Test
  void stepScalingCompilesToAPolicyAndTheAlarmThatFiresIt() {
    Desired desired =
        compile(
            """
            targetRef: {kind: InferenceEndpoint, name: e, variant: AllTraffic}
            minCapacity: 1
            maxCapacity: 8
            stepScaling:
            - name: latency
              adjustmentType: PercentChangeInCapacity
              minAdjustmentMagnitude: 2
              cooldownSeconds: 120
              steps: [{lower: 0, upper: 100, adjustment: 50}, {lower: 100, adjustment: 100}]
              alarm:
                metric: {name: ModelLatency, dimensions: {EndpointName: e, VariantName: AllTraffic}, statistic: Maximum}
                threshold: 500000
                periodSeconds: 60
                evaluationPeriods: 3
                datapointsToAlarm: 2
            """,
            Target.variant("e", "AllTraffic"));

    DesiredPolicy step = policy(desired, "ebb-step-latency");
    assertThat(step.type()).isEqualTo(PolicyType.STEP_SCALING);
    assertThat(step.stepScaling().adjustmentTypeAsString()).isEqualTo("PercentChangeInCapacity");
    assertThat(step.stepScaling().minAdjustmentMagnitude()).isEqualTo(2);
    assertThat(step.stepScaling().cooldown()).isEqualTo(120);
    assertThat(step.stepScaling().stepAdjustments()).hasSize(2);
    assertThat(step.stepScaling().stepAdjustments().get(1).metricIntervalUpperBound()).isNull();
    assertThat(desired.alarms())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a)
                  .extracting(
                      DesiredAlarm::name,
                      DesiredAlarm::policyName,
                      DesiredAlarm::namespace,
                      DesiredAlarm::metricName,
                      DesiredAlarm::statistic,
                      DesiredAlarm::periodSeconds,
                      DesiredAlarm::evaluationPeriods,
                      DesiredAlarm::datapointsToAlarm,
                      DesiredAlarm::threshold,
                      DesiredAlarm::comparison,
                      DesiredAlarm::treatMissingData)
                  .containsExactly(
                      "ebb-team-p-1234abcd-step-latency",
                      "ebb-step-latency",
                      "AWS/SageMaker",
                      "ModelLatency",
                      "Maximum",
                      60,
                      3,
                      2,
                      500000.0,
                      "GreaterThanOrEqualToThreshold",
                      "missing");
              assertThat(a.dimensions())
                  .isEqualTo(Map.of("EndpointName", "e", "VariantName", "AllTraffic"));
            });
  }

  @Test
  void customMetricsAndEveryScheduleForm() {
    Desired desired =
        compile(
            """
            targetRef: {kind: InferenceComponent, name: llama}
            minCapacity: 0
            maxCapacity: 4
            targetTracking:
            - metric: Custom
              targetValue: 3
              disableScaleIn: true
              custom: {namespace: Team/Queue, name: Depth, dimensions: {Queue: q}, statistic: Sum}
            - metric: InvocationsPerCopy
              targetValue: 100
            schedule:
            - {name: nightly, rate: 1 day, minCapacity: 0}
            - {name: launch, at: '2026-12-24T18:00:00', timeZone: Europe/Paris, maxCapacity: 8,
               start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00+01:00'}
            """,
            Target.component("llama-x", "llm-y"));

    var custom = policy(desired, "ebb-target-tracking-custom-1").targetTracking();
    assertThat(custom.customizedMetricSpecification().namespace()).isEqualTo("Team/Queue");
    assertThat(custom.customizedMetricSpecification().statisticAsString()).isEqualTo("Sum");
    assertThat(custom.disableScaleIn()).isTrue();
    assertThat(
            policy(desired, "ebb-target-tracking-InvocationsPerCopy")
                .targetTracking()
                .predefinedMetricSpecification()
                .predefinedMetricTypeAsString())
        .isEqualTo("SageMakerInferenceComponentInvocationsPerCopy");
    assertThat(desired.alarms()).as("no scaleFromZero, no step scaling").isEmpty();
    assertThat(desired.actions())
        .extracting(a -> a.name() + " " + a.schedule() + " " + a.timeZone())
        .containsExactly(
            "ebb-nightly rate(1 day) UTC", "ebb-launch at(2026-12-24T18:00:00) Europe/Paris");
    var launch = desired.actions().get(1);
    assertThat(launch.start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(launch.end()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
    assertThat(launch.action().maxCapacity()).isEqualTo(8);
    assertThat(launch.action().minCapacity()).isNull();
  }

  @Test
  void alarmNamesAreUniquePerNamespaceAndName() {
    assertThat(ScalingRecipes.alarmBase("team", "p")).startsWith("ebb-team-p-");
    assertThat(ScalingRecipes.alarmBase("team", "p"))
        .isNotEqualTo(ScalingRecipes.alarmBase("team-p", ""));
  }
}
