package dev.ebb.reconciler.policy;

import static dev.ebb.testing.TestNamespace.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.reconciler.Reasons;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ScalingPolicies on backend sagemaker, end to end: the samples compile to exactly the objects of
 * the digest's recipes (asserted field by field on the simulator's Application Auto Scaling and
 * CloudWatch state), edits update in place, and deleting the policy or its target first leaves
 * nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SageMakerScalingPolicyIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String REGION = "us-east-1";

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("scaling", TIMEOUT);

  SageMakerSimulator simulator;

  @Test
  void theScaleToZeroLlmSampleCompilesToTheDigestsRecipe() {
    applySample("llm-scale-to-zero.yaml");
    ScalingPolicy policy = ns.awaitReady(ScalingPolicy.class, "llama3-8b");
    String component =
        ns.get(InferenceComponent.class, "llama3-8b").getStatus().inferenceComponentName();
    String resourceId = "inference-component/" + component;
    Snapshot.Scaling aws = scalingOf(resourceId);

    assertThat(aws.scalableTargets())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.path("ScalableDimension").asText())
                  .isEqualTo("sagemaker:inference-component:DesiredCopyCount");
              assertThat(t.path("MinCapacity").asInt()).isZero();
              assertThat(t.path("MaxCapacity").asInt()).isEqualTo(4);
            });
    JsonNode tracking = policy(aws, "TargetTrackingScaling");
    JsonNode tt = tracking.path("TargetTrackingScalingPolicyConfiguration");
    assertThat(tt.at("/PredefinedMetricSpecification/PredefinedMetricType").asText())
        .isEqualTo("SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution");
    assertThat(tt.path("TargetValue").asDouble()).isEqualTo(5.0);
    assertThat(tt.path("ScaleInCooldown").asInt()).isEqualTo(300);
    assertThat(tt.path("ScaleOutCooldown").asInt()).isEqualTo(300);
    JsonNode step = policy(aws, "StepScaling");
    JsonNode sc = step.path("StepScalingPolicyConfiguration");
    assertThat(sc.path("AdjustmentType").asText()).isEqualTo("ChangeInCapacity");
    assertThat(sc.path("MetricAggregationType").asText()).isEqualTo("Maximum");
    assertThat(sc.path("Cooldown").asInt()).isEqualTo(60);
    assertThat(sc.at("/StepAdjustments/0/MetricIntervalLowerBound").asDouble()).isEqualTo(0.0);
    assertThat(sc.at("/StepAdjustments/0/ScalingAdjustment").asInt()).isEqualTo(1);

    JsonNode alarm = ourAlarm(aws, "NoCapacityInvocationFailures");
    assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/SageMaker");
    assertThat(alarm.at("/Dimensions/0/Name").asText()).isEqualTo("InferenceComponentName");
    assertThat(alarm.at("/Dimensions/0/Value").asText()).isEqualTo(component);
    assertThat(alarm.path("Statistic").asText()).isEqualTo("Maximum");
    assertThat(alarm.path("Period").asInt()).isEqualTo(30);
    assertThat(alarm.path("EvaluationPeriods").asInt()).isEqualTo(1);
    assertThat(alarm.path("DatapointsToAlarm").asInt()).isEqualTo(1);
    assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1.0);
    assertThat(alarm.path("ComparisonOperator").asText())
        .isEqualTo("GreaterThanOrEqualToThreshold");
    assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("missing");
    assertThat(alarm.path("AlarmActions"))
        .singleElement()
        .satisfies(a -> assertThat(a.asText()).isEqualTo(step.path("PolicyARN").asText()));

    assertThat(aws.scheduledActions()).hasSize(2);
    JsonNode off = action(aws, "ebb-weekend-off");
    assertThat(off.path("Schedule").asText()).isEqualTo("cron(0 18 ? * FRI *)");
    assertThat(off.path("Timezone").asText()).isEqualTo("Europe/Paris");
    assertThat(off.at("/ScalableTargetAction/MinCapacity").asInt()).isZero();
    assertThat(off.at("/ScalableTargetAction/MaxCapacity").asInt()).isZero();
    JsonNode on = action(aws, "ebb-weekday-on");
    assertThat(on.path("Schedule").asText()).isEqualTo("cron(0 7 ? * MON *)");
    assertThat(on.at("/ScalableTargetAction/MinCapacity").asInt()).isEqualTo(2);
    assertThat(on.at("/ScalableTargetAction/MaxCapacity").asInt()).isEqualTo(4);

    var generated = policy.getStatus().sagemaker();
    assertThat(generated.scalableTarget()).isEqualTo(resourceId);
    assertThat(generated.region()).isEqualTo(REGION);
    assertThat(generated.policyArns())
        .containsExactlyInAnyOrder(
            tracking.path("PolicyARN").asText(), step.path("PolicyARN").asText());
    assertThat(generated.alarms())
        .as("the scale-from-zero alarm and target tracking's two")
        .hasSize(3)
        .allSatisfy(a -> assertThat(a.state()).isEqualTo("INSUFFICIENT_DATA"));
    assertThat(generated.scheduledActions())
        .containsExactlyInAnyOrder("ebb-weekend-off", "ebb-weekday-on");
    assertThat(policy.getStatus().currentCapacity()).isEqualTo(1);
  }

  @Test
  void theWhisperAsyncSampleScalesItsVariantOnTheBacklog() {
    applySample("whisper-async.yaml");
    ScalingPolicy policy = ns.awaitReady(ScalingPolicy.class, "whisper");
    String endpoint = ns.get(InferenceEndpoint.class, "whisper").getStatus().endpointName();
    String resourceId = "endpoint/" + endpoint + "/variant/AllTraffic";
    Snapshot.Scaling aws = scalingOf(resourceId);

    assertThat(aws.scalableTargets())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.path("ScalableDimension").asText())
                  .isEqualTo("sagemaker:variant:DesiredInstanceCount");
              assertThat(t.path("MinCapacity").asInt()).isZero();
              assertThat(t.path("MaxCapacity").asInt()).isEqualTo(5);
            });
    JsonNode tt =
        policy(aws, "TargetTrackingScaling").path("TargetTrackingScalingPolicyConfiguration");
    JsonNode metric = tt.path("CustomizedMetricSpecification");
    assertThat(metric.path("MetricName").asText()).isEqualTo("ApproximateBacklogSizePerInstance");
    assertThat(metric.path("Namespace").asText()).isEqualTo("AWS/SageMaker");
    assertThat(metric.path("Statistic").asText()).isEqualTo("Average");
    assertThat(metric.at("/Dimensions/0/Name").asText()).isEqualTo("EndpointName");
    assertThat(metric.at("/Dimensions/0/Value").asText()).isEqualTo(endpoint);
    assertThat(tt.path("TargetValue").asDouble()).isEqualTo(1.0);
    assertThat(tt.path("ScaleInCooldown").asInt()).isEqualTo(120);
    assertThat(tt.path("ScaleOutCooldown").asInt()).isEqualTo(120);
    JsonNode step = policy(aws, "StepScaling");
    JsonNode alarm = ourAlarm(aws, "HasBacklogWithoutCapacity");
    assertThat(alarm.at("/Dimensions/0/Value").asText()).isEqualTo(endpoint);
    assertThat(alarm.path("AlarmActions").get(0).asText())
        .isEqualTo(step.path("PolicyARN").asText());
    assertThat(policy.getStatus().sagemaker().scalableTarget()).isEqualTo(resourceId);
  }

  @Test
  void anEditUpdatesInPlaceAndDeletingThePolicyRemovesEverything() {
    applySample("llm-scale-to-zero.yaml");
    ScalingPolicy first = ns.awaitReady(ScalingPolicy.class, "llama3-8b");
    String resourceId = first.getStatus().sagemaker().scalableTarget();
    String trackingArn =
        policy(scalingOf(resourceId), "TargetTrackingScaling").path("PolicyARN").asText();

    // A merge patch, not an optimistic edit: the operator writes status concurrently.
    ns.resources(ScalingPolicy.class)
        .withName("llama3-8b")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"spec": {
              "maxCapacity": 6,
              "targetTracking": [{"metric": "ConcurrentRequestsPerCopy", "targetValue": 10,
                                  "scaleOutCooldownSeconds": 300, "scaleInCooldownSeconds": 300}],
              "schedule": [{"name": "weekend-off", "cron": "0 18 ? * FRI *",
                            "timeZone": "Europe/Paris", "minCapacity": 0, "maxCapacity": 0}]}}
            """);

    ns.awaitStatus(
        ScalingPolicy.class, "llama3-8b", p -> ready(p) && p.getMetadata().getGeneration() == 2L);
    Snapshot.Scaling aws = scalingOf(resourceId);
    JsonNode tracking = policy(aws, "TargetTrackingScaling");
    assertThat(tracking.path("PolicyARN").asText()).as("updated in place").isEqualTo(trackingArn);
    assertThat(tracking.at("/TargetTrackingScalingPolicyConfiguration/TargetValue").asDouble())
        .isEqualTo(10.0);
    assertThat(aws.scalableTargets().get(0).path("MaxCapacity").asInt()).isEqualTo(6);
    assertThat(aws.scheduledActions())
        .extracting(a -> a.path("ScheduledActionName").asText())
        .containsExactly("ebb-weekend-off");

    ns.resources(ScalingPolicy.class).withName("llama3-8b").delete();

    ns.awaitGone(ScalingPolicy.class, "llama3-8b");
    assertThat(scalingOf(resourceId).isEmpty())
        .as("nothing left: %s", scalingOf(resourceId))
        .isTrue();
  }

  @Test
  void deletingTheComponentFirstLeavesNothingBehind() {
    applySample("llm-scale-to-zero.yaml");
    String resourceId =
        ns.awaitReady(ScalingPolicy.class, "llama3-8b").getStatus().sagemaker().scalableTarget();

    ns.resources(InferenceComponent.class).withName("llama3-8b").delete();

    ScalingPolicy orphan =
        ns.awaitStatus(
            ScalingPolicy.class,
            "llama3-8b",
            p -> "TargetNotFound".equals(p.getStatus().condition(Condition.READY).reason()));
    assertThat(orphan.getStatus().sagemaker()).isNull();
    assertThat(scalingOf(resourceId).isEmpty())
        .as("nothing left: %s", scalingOf(resourceId))
        .isTrue();
    // Scaling objects go before the component.
    String component = resourceId.substring("inference-component/".length());
    await()
        .atMost(TIMEOUT)
        .until(() -> !simulator.region(REGION).components().containsKey(component));
    List<String> order =
        simulator.calls().stream()
            .filter(Call::succeeded)
            .filter(
                c ->
                    (c.operation().equals("DeregisterScalableTarget")
                            && resourceId.equals(c.request().path("ResourceId").asText()))
                        || (c.operation().equals("DeleteInferenceComponent")
                            && component.equals(
                                c.request().path("InferenceComponentName").asText())))
            .map(Call::operation)
            .toList();
    assertThat(order).containsExactly("DeregisterScalableTarget", "DeleteInferenceComponent");
  }

  @Test
  void minCapacityZeroWhereSageMakerCannotReachZeroStallsAndCreatesNothing() {
    ns.apply(
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: fixed}
        spec:
          backend: sagemaker
          variants:
          - {name: AllTraffic, instanceType: ml.g5.2xlarge, initialInstanceCount: 1}
        ---
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: pinned}
        spec:
          endpointRef: {name: fixed}
          model: {image: 'tgi:2'}
          resources: {memoryMb: 1024}
        ---
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: pinned}
        spec:
          targetRef: {kind: InferenceComponent, name: pinned}
          minCapacity: 0
          maxCapacity: 2
        """);

    ScalingPolicy stalled =
        ns.awaitStalled(ScalingPolicy.class, "pinned", Reasons.CANNOT_SCALE_TO_ZERO);
    assertThat(stalled.getStatus().condition(Condition.READY).message())
        .contains("managedInstanceScaling")
        .contains("minCapacity to 1");
    assertThat(stalled.getStatus().sagemaker()).isNull();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(ns.resources(Event.class).list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("CannotScaleToZero")));
  }

  // --- helpers -----------------------------------------------------------------------------

  private static void applySample(String file) {
    ns.apply(Path.of("config/samples", file));
  }

  /**
   * The scaling state that belongs to {@code resourceId} (alarms: those acting on its policies).
   */
  private Snapshot.Scaling scalingOf(String resourceId) {
    Snapshot.Scaling all = simulator.scaling(REGION);
    Predicate<JsonNode> mine = n -> resourceId.equals(n.path("ResourceId").asText());
    List<JsonNode> policies = all.scalingPolicies().stream().filter(mine).toList();
    List<String> arns = policies.stream().map(p -> p.path("PolicyARN").asText()).toList();
    String component = resourceId.substring(resourceId.lastIndexOf('/') + 1);
    return new Snapshot.Scaling(
        all.scalableTargets().stream().filter(mine).toList(),
        policies,
        all.scheduledActions().stream().filter(mine).toList(),
        all.alarms().stream()
            .filter(
                a ->
                    contains(a.path("AlarmActions"), arns)
                        || a.path("AlarmName").asText().contains(resourceId)
                        || a.toString().contains(component))
            .toList());
  }

  private static boolean contains(JsonNode actions, List<String> arns) {
    for (JsonNode action : actions) {
      if (arns.contains(action.asText())) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode policy(Snapshot.Scaling aws, String type) {
    return aws.scalingPolicies().stream()
        .filter(p -> type.equals(p.path("PolicyType").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " policy in " + aws));
  }

  private static JsonNode ourAlarm(Snapshot.Scaling aws, String metric) {
    return aws.alarms().stream()
        .filter(a -> metric.equals(a.path("MetricName").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no alarm on " + metric + " in " + aws));
  }

  private static JsonNode action(Snapshot.Scaling aws, String name) {
    return aws.scheduledActions().stream()
        .filter(a -> name.equals(a.path("ScheduledActionName").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no scheduled action " + name + " in " + aws));
  }
}
