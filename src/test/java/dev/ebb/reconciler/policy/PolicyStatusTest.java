package dev.ebb.reconciler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.ScalingActivity;
import dev.ebb.local.LocalAutoscaler;
import dev.ebb.sagemaker.AwsErrorKind;
import dev.ebb.sagemaker.AwsFailure;
import dev.ebb.sagemaker.SageMakerScaling;
import dev.ebb.scaling.Bounds;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyStatusTest {
  private static final InferenceComponent COMPONENT =
      Manifests.parse(
          InferenceComponent.class,
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceComponent
          metadata: {name: llama}
          spec: {endpointRef: {name: llm}, model: {image: tgi}, resources: {memoryMb: 1024}}
          """,
          1);
  private static final InferenceEndpoint ENDPOINT =
      Manifests.parse(
          InferenceEndpoint.class,
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceEndpoint
          metadata: {name: whisper}
          spec: {backend: sagemaker, variants: [{name: AllTraffic, instanceType: ml.g5.xlarge}]}
          """,
          1);

  @ParameterizedTest(name = "{0} exists={1} -> {2}")
  @CsvSource({
    "'{kind: InferenceComponent, name: llama}', false, TargetNotFound, false",
    "'{kind: InferenceComponent, name: llama}', true, , false",
    "'{kind: InferenceEndpoint, name: whisper, variant: AllTraffic}', false, TargetNotFound, false",
    "'{kind: InferenceEndpoint, name: whisper, variant: AllTraffic}', true, , false",
    "'{kind: InferenceEndpoint, name: whisper, variant: Blue}', true, VariantNotFound, true",
  })
  void targetResolution(String targetRef, boolean exists, String reason, boolean stalled) {
    ScalingPolicy policy = policy("targetRef: " + targetRef, 5);
    boolean component = targetRef.contains("InferenceComponent");

    var status =
        PolicyStatus.unresolved(
            policy,
            exists && component ? Optional.of(COMPONENT) : Optional.empty(),
            exists && !component ? Optional.of(ENDPOINT) : Optional.empty(),
            Instant.EPOCH);

    if (reason == null) {
      assertThat(status).as("resolved").isEmpty();
      return;
    }
    assertThat(status.get().observedGeneration()).isEqualTo(5L);
    assertThat(status.get().condition(Condition.READY))
        .returns("False", Condition::status)
        .returns(reason, Condition::reason);
    assertThat(status.get().condition(Condition.STALLED) != null).isEqualTo(stalled);
  }

  @Test
  void onBackendLocalTheStatusSaysWhatTheEngineDoesAndKeepsWhatARestartNeeds() {
    ScalingPolicy policy = policy("targetRef: {kind: InferenceComponent, name: llama}", 3);
    Instant fired = Instant.parse("2026-11-27T17:00:00Z");
    var view =
        new LocalAutoscaler.View(
            new LocalAutoscaler.Persisted(
                new Bounds(0, 0), fired, Optional.empty(), Optional.of(fired)),
            Optional.of(
                new LocalAutoscaler.Activity(
                    fired, 2, 0, "schedule weekend fired", LocalAutoscaler.Trigger.Tick)),
            true);

    var status =
        PolicyStatus.local(policy, view, new PolicyStatus.Capacity(0, 0), fired.plusSeconds(1));

    assertThat(status.condition(Condition.READY))
        .returns("True", Condition::status)
        .returns("Applied", Condition::reason);
    assertThat(status.condition(Condition.READY).message())
        .contains("between 0 and 0 copies (set by a scheduled action)");
    assertThat(status.lastScalingActivity())
        .returns(2, ScalingActivity::from)
        .returns(0, ScalingActivity::to)
        .returns("Tick", ScalingActivity::trigger);
    assertThat(status.local().schedulesEvaluatedAt()).isEqualTo("2026-11-27T17:00:00Z");

    policy.setStatus(status);
    assertThat(PolicyStatus.persisted(policy)).contains(view.persisted());
    policy.getMetadata().setGeneration(4L);
    assertThat(PolicyStatus.persisted(policy)).as("the spec changed: start afresh").isEmpty();
  }

  @Test
  void untilTheComponentHasADeploymentThePolicyWaits() {
    ScalingPolicy policy = policy("targetRef: {kind: InferenceComponent, name: llama}", 1);
    var view =
        new LocalAutoscaler.View(
            new LocalAutoscaler.Persisted(
                new Bounds(0, 2), Instant.EPOCH, Optional.empty(), Optional.empty()),
            Optional.empty(),
            false);

    var status = PolicyStatus.local(policy, view, PolicyStatus.Capacity.UNKNOWN, Instant.EPOCH);

    assertThat(status.condition(Condition.READY).reason()).isEqualTo("TargetNotReady");
    assertThat(status.condition(Condition.RECONCILING).status()).isEqualTo("True");
  }

  @Test
  void aVariantOfALocalEndpointIsNotATarget() {
    ScalingPolicy policy =
        policy("targetRef: {kind: InferenceEndpoint, name: cpu, variant: AllTraffic}", 1);

    var status = PolicyStatus.unsupportedTarget(policy, Instant.EPOCH);

    assertThat(status.condition(Condition.STALLED).reason()).isEqualTo("UnsupportedTarget");
    assertThat(status.condition(Condition.READY).message()).contains("kind: InferenceComponent");
  }

  /**
   * A schedule in a daylight-saving gap does not fire then: the policy says so (a Warning event
   * follows from the condition turning False), and a schedule clear of any gap says that too.
   */
  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({
    "'30 2 ? * SUN *', Europe/Paris, false, ScheduleTimeSkipped",
    "'0 7 ? * MON *', Europe/Paris, true, ScheduleTimesExist",
    "'30 2 * * ? *', America/New_York, false, ScheduleTimeSkipped",
  })
  void aScheduleInADaylightSavingGapIsToldOf(
      String cron, String zone, boolean fires, String reasonPrefix) {
    ScalingPolicy policy =
        Manifests.parse(
            ScalingPolicy.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: p}
            spec:
              targetRef: {kind: InferenceComponent, name: llama}
              minCapacity: 0
              maxCapacity: 2
              schedule:
              - {name: night, cron: '%s', timeZone: %s, maxCapacity: 0}
            """
                .formatted(cron, zone),
            1);

    var status =
        PolicyStatus.targetNotReady(policy, "waiting", Instant.parse("2026-12-06T00:00:00Z"));

    Condition condition = status.condition(Condition.SCHEDULES_FIRE_AS_WRITTEN);
    assertThat(condition.status()).isEqualTo(fires ? "True" : "False");
    assertThat(condition.reason()).startsWith(reasonPrefix);
    if (!fires) {
      assertThat(condition.message()).contains("night (" + zone + ") at 2027-03-");
    }
  }

  @Test
  void aPolicyWithoutSchedulesHasNoScheduleCondition() {
    var status =
        PolicyStatus.targetNotReady(
            policy("targetRef: {kind: InferenceComponent, name: llama}", 1),
            "waiting",
            Instant.EPOCH);

    assertThat(status.condition(Condition.SCHEDULES_FIRE_AS_WRITTEN)).isNull();
  }

  /**
   * A pass whose first read failed saw nothing of AWS: it keeps what an earlier pass recorded, or a
   * deletion after the target's would find nothing to tear down. A failed pass that did read
   * records what it read.
   */
  @Test
  void aFailedPassForgetsNothingItDidNotSee() {
    ScalingPolicy policy = policy("targetRef: {kind: InferenceComponent, name: llama}", 1);
    var recorded =
        new ScalingPolicyStatus.GeneratedAwsObjects(
            "eu-west-1", "inference-component/llama", List.of("arn:p"), List.of(), List.of());
    policy.setStatus(
        new ScalingPolicyStatus(1L, List.of(), null, null, null, recorded, null, null));
    var throttled =
        Optional.of(
            new AwsFailure(
                AwsErrorKind.THROTTLED,
                "ThrottlingException",
                "slow down",
                "DescribeScalableTargets"));

    var readNothing =
        PolicyStatus.sagemaker(
            policy,
            "eu-west-1",
            SageMakerScaling.Outcome.failedBeforeStart(throttled.get()),
            PolicyStatus.Capacity.UNKNOWN,
            null,
            Instant.EPOCH);
    var readSome =
        PolicyStatus.sagemaker(
            policy,
            "eu-west-1",
            new SageMakerScaling.Outcome(
                new SageMakerScaling.Applied(
                    "inference-component/llama",
                    Optional.of(new SageMakerScaling.Bounds(0, 2)),
                    Map.of(),
                    List.of(),
                    List.of()),
                List.of(),
                throttled),
            PolicyStatus.Capacity.UNKNOWN,
            null,
            Instant.EPOCH);

    assertThat(readNothing.sagemaker()).isEqualTo(recorded);
    assertThat(readSome.sagemaker().policyArns()).as("what the pass read").isEmpty();
    assertThat(readSome.sagemaker().scalableTarget()).isEqualTo("inference-component/llama");
  }

  private static ScalingPolicy policy(String targetRef, long generation) {
    return Manifests.parse(
        ScalingPolicy.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: p}
        spec: {%s, minCapacity: 0, maxCapacity: 2}
        """
            .formatted(targetRef),
        generation);
  }
}
