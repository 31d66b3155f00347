package dev.ebb.reconciler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
  private static final KubernetesClient client = EmbeddedApiServer.newClient();

  SageMakerSimulator simulator;
  private String ns;

  @BeforeEach
  void namespace() {
    ns = TestNamespace.create(client, "scaling");
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void theScaleToZeroLlmSampleCompilesToTheDigestsRecipe() throws IOException {
    applySample("llm-scale-to-zero.yaml");
    ScalingPolicy policy = awaitPolicy("llama3-8b", SageMakerScalingPolicyIT::applied);
    String component =
        client
            .resources(InferenceComponent.class)
            .inNamespace(ns)
            .withName("llama3-8b")
            .get()
            .getStatus()
            .inferenceComponentName();
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
  void theWhisperAsyncSampleScalesItsVariantOnTheBacklog() throws IOException {
    applySample("whisper-async.yaml");
    ScalingPolicy policy = awaitPolicy("whisper", SageMakerScalingPolicyIT::applied);
    String endpoint =
        client
            .resources(InferenceEndpoint.class)
            .inNamespace(ns)
            .withName("whisper")
            .get()
            .getStatus()
            .endpointName();
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
  void anEditUpdatesInPlaceAndDeletingThePolicyRemovesEverything() throws IOException {
    applySample("llm-scale-to-zero.yaml");
    ScalingPolicy first = awaitPolicy("llama3-8b", SageMakerScalingPolicyIT::applied);
    String resourceId = first.getStatus().sagemaker().scalableTarget();
    String trackingArn =
        policy(scalingOf(resourceId), "TargetTrackingScaling").path("PolicyARN").asText();

    // A merge patch, not an optimistic edit: the operator writes status concurrently.
    client
        .resources(ScalingPolicy.class)
        .inNamespace(ns)
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

    awaitPolicy("llama3-8b", p -> applied(p) && p.getMetadata().getGeneration() == 2L);
    Snapshot.Scaling aws = scalingOf(resourceId);
    JsonNode tracking = policy(aws, "TargetTrackingScaling");
    assertThat(tracking.path("PolicyARN").asText()).as("updated in place").isEqualTo(trackingArn);
    assertThat(tracking.at("/TargetTrackingScalingPolicyConfiguration/TargetValue").asDouble())
        .isEqualTo(10.0);
    assertThat(aws.scalableTargets().get(0).path("MaxCapacity").asInt()).isEqualTo(6);
    assertThat(aws.scheduledActions())
        .extracting(a -> a.path("ScheduledActionName").asText())
        .containsExactly("ebb-weekend-off");

    client.resources(ScalingPolicy.class).inNamespace(ns).withName("llama3-8b").delete();

    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.resources(ScalingPolicy.class).inNamespace(ns).withName("llama3-8b").get()
                    == null);
    assertThat(scalingOf(resourceId).isEmpty())
        .as("nothing left: %s", scalingOf(resourceId))
        .isTrue();
  }

  @Test
  void deletingTheComponentFirstLeavesNothingBehind() throws IOException {
    applySample("llm-scale-to-zero.yaml");
    String resourceId =
        awaitPolicy("llama3-8b", SageMakerScalingPolicyIT::applied)
            .getStatus()
            .sagemaker()
            .scalableTarget();

    client.resources(InferenceComponent.class).inNamespace(ns).withName("llama3-8b").delete();

    ScalingPolicy orphan =
        awaitPolicy(
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
    client
        .load(
            new java.io.ByteArrayInputStream(
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
                """
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .inNamespace(ns)
        .serverSideApply();

    ScalingPolicy stalled =
        awaitPolicy(
            "pinned",
            p ->
                p.getStatus().condition(Condition.STALLED) != null
                    && "CannotScaleToZero"
                        .equals(p.getStatus().condition(Condition.STALLED).reason()));
    assertThat(stalled.getStatus().condition(Condition.READY).message())
        .contains("managedInstanceScaling")
        .contains("minCapacity to 1");
    assertThat(stalled.getStatus().sagemaker()).isNull();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("CannotScaleToZero")));
  }

  // --- helpers -----------------------------------------------------------------------------

  private void applySample(String file) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("config/samples", file))) {
      client.load(in).inNamespace(ns).serverSideApply();
    }
  }

  private static boolean applied(ScalingPolicy p) {
    var ready = p.getStatus().condition(Condition.READY);
    return ready != null
        && "True".equals(ready.status())
        && p.getMetadata().getGeneration().equals(p.getStatus().observedGeneration());
  }

  private ScalingPolicy awaitPolicy(String name, Predicate<ScalingPolicy> condition) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> client.resources(ScalingPolicy.class).inNamespace(ns).withName(name).get(),
            p -> p != null && p.getStatus() != null && condition.test(p));
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
