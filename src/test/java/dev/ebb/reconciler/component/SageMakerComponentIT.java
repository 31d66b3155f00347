package dev.ebb.reconciler.component;

import static dev.ebb.testing.TestNamespace.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** InferenceComponents on backend sagemaker: operator + real API server + simulator. */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SageMakerComponentIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("components", TIMEOUT);

  SageMakerSimulator simulator;

  @BeforeEach
  void endpointThatHostsComponents() {
    ns.apply(
        InferenceEndpoint.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: llm}
        spec:
          backend: sagemaker
          variants:
          - name: AllTraffic
            instanceType: ml.g5.2xlarge
            managedInstanceScaling: {minInstanceCount: 0, maxInstanceCount: 4}
        """);
  }

  @Test
  void zeroCopiesIsCreatedWithOneThenSetToZeroAndReportsInService() {
    ns.apply(InferenceComponent.class, component("llama", 0));

    InferenceComponent ready =
        ns.awaitStatus(
            InferenceComponent.class,
            "llama",
            c -> ready(c) && Integer.valueOf(0).equals(c.getStatus().copies().current()));
    String name = ready.getStatus().inferenceComponentName();
    Snapshot.Component live = sagemaker().component(name);
    assertThat(live.status()).isEqualTo("InService");
    assertThat(live.desiredCopyCount()).isZero();
    assertThat(simulator.calls("CreateInferenceComponent"))
        .filteredOn(
            c -> c.succeeded() && name.equals(c.request().path("InferenceComponentName").asText()))
        .singleElement()
        .satisfies(
            c -> assertThat(c.request().at("/RuntimeConfig/CopyCount").asInt()).isEqualTo(1));
    assertThat(ready.getStatus().sageMakerStatus()).isEqualTo("InService");
    assertThat(ready.getStatus().inferenceComponentArn()).isEqualTo(live.arn());
  }

  @Test
  void aScalingPolicyOwnsTheLiveCopyCount() {
    ns.apply(
        ScalingPolicy.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: owner}
        spec:
          targetRef: {kind: InferenceComponent, name: owned}
          minCapacity: 0
          maxCapacity: 4
        """);
    ns.apply(InferenceComponent.class, component("owned", 1));
    String name =
        ns.awaitReady(InferenceComponent.class, "owned").getStatus().inferenceComponentName();
    simulator.clearCalls();

    ns.resources(InferenceComponent.class).withName("owned").scale(3);

    // Another pass happens (the spec changed); the copy count is left to the policy.
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                ns.awaitStatus(
                        InferenceComponent.class,
                        "owned",
                        c -> c.getStatus().observedGeneration() == 2L)
                    != null);
    assertThat(simulator.calls("UpdateInferenceComponentRuntimeConfig")).noneMatch(Call::succeeded);
    assertThat(sagemaker().component(name).desiredCopyCount()).isEqualTo(1);
  }

  /** A new image rolls out in batches under the spec's RollingUpdatePolicy, alarms attached. */
  @Test
  void anImageChangeRollsOutWithTheSpecsRollingUpdatePolicy() {
    ns.apply(InferenceComponent.class, component("rolled", 2));
    String name =
        ns.awaitReady(InferenceComponent.class, "rolled").getStatus().inferenceComponentName();
    simulator.clearCalls();

    ns.apply(
        InferenceComponent.class,
        component("rolled", 2).replace("tgi:2", "tgi:3")
            + """
              sagemaker:
                rollingUpdate:
                  maxBatch: {copies: 1}
                  waitSeconds: 60
                  rollbackMaxBatch: {percent: 100}
                  autoRollbackAlarms: [llama-latency]
            """);

    ns.awaitStatus(
        InferenceComponent.class, "rolled", c -> ready(c) && c.getMetadata().getGeneration() == 2L);
    assertThat(simulator.calls("UpdateInferenceComponent"))
        .filteredOn(
            c -> c.succeeded() && name.equals(c.request().path("InferenceComponentName").asText()))
        .singleElement()
        .satisfies(
            c -> {
              var policy = c.request().at("/DeploymentConfig/RollingUpdatePolicy");
              assertThat(policy.at("/MaximumBatchSize/Type").asText()).isEqualTo("COPY_COUNT");
              assertThat(policy.at("/MaximumBatchSize/Value").asInt()).isEqualTo(1);
              assertThat(policy.at("/WaitIntervalInSeconds").asInt()).isEqualTo(60);
              assertThat(policy.at("/RollbackMaximumBatchSize/Type").asText())
                  .isEqualTo("CAPACITY_PERCENT");
              assertThat(
                      c.request()
                          .at("/DeploymentConfig/AutoRollbackConfiguration/Alarms/0/AlarmName")
                          .asText())
                  .isEqualTo("llama-latency");
            });
  }

  /** The loop the field report found for endpoints, on components: a rollback is not redone. */
  @Test
  void aRolledBackUpdateStallsAndIsNotRepeatedUntilTheSpecChanges() {
    ns.apply(InferenceComponent.class, component("guarded", 1));
    String name =
        ns.awaitReady(InferenceComponent.class, "guarded").getStatus().inferenceComponentName();
    simulator.clearCalls();
    simulator
        .faults()
        .failNextUpdate("UpdateInferenceComponent", "Alarm llama-latency went into ALARM.");

    ns.apply(InferenceComponent.class, component("guarded", 1).replace("tgi:2", "tgi:3"));

    var stalled = ns.awaitStalled(InferenceComponent.class, "guarded", Reasons.ROLLED_BACK);
    assertThat(stalled.getStatus().condition(Condition.STALLED).message())
        .contains("Alarm llama-latency went into ALARM.");
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> true);
    assertThat(simulator.calls("UpdateInferenceComponent"))
        .filteredOn(
            c -> c.succeeded() && name.equals(c.request().path("InferenceComponentName").asText()))
        .hasSize(1);

    ns.apply(InferenceComponent.class, component("guarded", 1).replace("tgi:2", "tgi:4"));
    ns.awaitStatus(
        InferenceComponent.class,
        "guarded",
        c -> ready(c) && c.getMetadata().getGeneration() == 3L);
  }

  @Test
  void deletingTheComponentRemovesItAndItsModel() {
    ns.apply(InferenceComponent.class, component("gone", 1));
    String name =
        ns.awaitReady(InferenceComponent.class, "gone").getStatus().inferenceComponentName();

    ns.resources(InferenceComponent.class).withName("gone").delete();

    ns.awaitGone(InferenceComponent.class, "gone");
    assertThat(sagemaker().components()).doesNotContainKey(name);
    assertThat(sagemaker().models().keySet()).noneMatch(m -> m.startsWith(name));
  }

  @Test
  void deletingTheEndpointFirstWaitsForItsComponentsAndSaysSo() {
    ns.apply(InferenceComponent.class, component("first", 1));
    String component =
        ns.awaitReady(InferenceComponent.class, "first").getStatus().inferenceComponentName();
    InferenceEndpoint live = endpoint().get();
    String endpoint = live.getStatus().endpointName();
    assertThat(live.getStatus().url())
        .isEqualTo(simulator.endpoint() + "/endpoints/" + endpoint + "/invocations");

    endpoint().delete();

    InferenceEndpoint waiting = awaitEndpointWaitingForComponents();
    assertThat(readyCondition(waiting).message()).contains("InferenceComponents first");
    assertThat(waiting.getStatus().condition(Condition.RECONCILING).status()).isEqualTo("True");
    assertThat(sagemaker().endpoints()).containsKey(endpoint);
    assertThat(deleteEndpointCalls(endpoint)).isEmpty();

    ns.resources(InferenceComponent.class).withName("first").delete();

    await().atMost(TIMEOUT).until(() -> endpoint().get() == null);
    assertThat(sagemaker().components()).doesNotContainKey(component);
    assertThat(sagemaker().endpoints()).doesNotContainKey(endpoint);
  }

  @Test
  void aComponentMadeOutsideEbbHoldsTheEndpointsDeletionWithAClearStatus() {
    String endpoint = awaitEndpointInService();
    handMadeComponent("hand-made-" + ns.name(), endpoint);

    endpoint().delete();

    InferenceEndpoint waiting = awaitEndpointWaitingForComponents();
    assertThat(readyCondition(waiting).message())
        .contains("hand-made-" + ns.name())
        .contains("deletionPolicy: Retain");
    assertThat(deleteEndpointCalls(endpoint)).isEmpty();

    await()
        .atMost(TIMEOUT)
        .until(() -> "InService".equals(sagemaker().component("hand-made-" + ns.name()).status()));
    simulator.call(
        SimulatorResource.REGION,
        "DeleteInferenceComponent",
        json("{\"InferenceComponentName\": \"hand-made-%s\"}", ns.name()));

    await().atMost(TIMEOUT).until(() -> endpoint().get() == null);
    assertThat(sagemaker().endpoints()).doesNotContainKey(endpoint);
  }

  @Test
  void aComponentMadeOutsideEbbIsLeftAloneUnlessAdoptedAndAdoptionNeverRecreatesIt() {
    String endpoint = awaitEndpointInService();
    String name = "adoptee-" + ns.name();
    handMadeComponent(name, endpoint);
    await().atMost(TIMEOUT).until(() -> "InService".equals(sagemaker().component(name).status()));
    String arn = sagemaker().component(name).arn();
    String theirModel = sagemaker().component(name).modelName();

    ns.apply(InferenceComponent.class, named("adoptee", name, false));

    InferenceComponent stalled =
        ns.awaitStalled(InferenceComponent.class, "adoptee", Reasons.COMPONENT_NOT_OWNED);
    assertThat(stalled.getStatus().condition(Condition.READY).message()).contains("adopt: true");
    assertThat(sagemaker().component(name).modelName()).isEqualTo(theirModel);
    assertThat(sagemaker().component(name).tags()).doesNotContainKey("ebb.dev/uid");

    ns.apply(InferenceComponent.class, named("adoptee", name, true));

    InferenceComponent adopted = ns.awaitReady(InferenceComponent.class, "adoptee");
    Snapshot.Component live = sagemaker().component(name);
    assertThat(live.arn()).as("the same component, not a new one").isEqualTo(arn);
    assertThat(live.tags()).containsEntry("ebb.dev/uid", adopted.getMetadata().getUid());
    assertThat(live.modelName()).as("converged to the spec in place").isNotEqualTo(theirModel);
    assertThat(simulator.calls("CreateInferenceComponent"))
        .as("only the hand-made create")
        .filteredOn(
            c -> c.succeeded() && name.equals(c.request().path("InferenceComponentName").asText()))
        .hasSize(1);
    assertThat(simulator.calls("UpdateInferenceComponent"))
        .anyMatch(
            c -> c.succeeded() && name.equals(c.request().path("InferenceComponentName").asText()));

    ns.resources(InferenceComponent.class).withName("adoptee").delete();
    await().atMost(TIMEOUT).until(() -> !sagemaker().components().containsKey(name));
  }

  // --- helpers -----------------------------------------------------------------------------

  private InferenceEndpoint awaitEndpointWaitingForComponents() {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> endpoint().get(), e -> "WaitingForComponents".equals(readyCondition(e).reason()));
  }

  private List<Call> deleteEndpointCalls(String endpoint) {
    return simulator.calls("DeleteEndpoint").stream()
        .filter(c -> endpoint.equals(c.request().path("EndpointName").asText()))
        .toList();
  }

  private String awaitEndpointInService() {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> endpoint().get(),
            e -> e.getStatus() != null && "InService".equals(e.getStatus().endpointStatus()))
        .getStatus()
        .endpointName();
  }

  /** An inference component (and its model) created directly in SageMaker, not through Ebb. */
  private void handMadeComponent(String name, String endpoint) {
    simulator.call(
        SimulatorResource.REGION,
        "CreateModel",
        json(
            "{\"ModelName\": \"%s\", \"ExecutionRoleArn\": \"%s\","
                + " \"PrimaryContainer\": {\"Image\": \"tgi:2\"}}",
            name, SimulatorResource.DEFAULT_ROLE));
    simulator.call(
        SimulatorResource.REGION,
        "CreateInferenceComponent",
        json(
            "{\"InferenceComponentName\": \"%s\", \"EndpointName\": \"%s\","
                + " \"VariantName\": \"AllTraffic\", \"Specification\": {\"ModelName\":"
                + " \"%1$s\", \"ComputeResourceRequirements\":"
                + " {\"MinMemoryRequiredInMb\": 1024}}, \"RuntimeConfig\": {\"CopyCount\": 1}}",
            name, endpoint));
  }

  private static String named(String object, String componentName, boolean adopt) {
    return component(object, 1)
        + "  sagemaker: {inferenceComponentName: %s, adopt: %s}\n".formatted(componentName, adopt);
  }

  private io.fabric8.kubernetes.client.dsl.Resource<InferenceEndpoint> endpoint() {
    return ns.resources(InferenceEndpoint.class).withName("llm");
  }

  private static Condition readyCondition(InferenceEndpoint endpoint) {
    return endpoint.getStatus() == null || endpoint.getStatus().condition(Condition.READY) == null
        ? new Condition(null, null, null, null, null, null)
        : endpoint.getStatus().condition(Condition.READY);
  }

  private static ObjectNode json(String template, Object... args) {
    try {
      return (ObjectNode) new ObjectMapper().readTree(template.formatted(args));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String component(String name, int copies) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: %s}
        spec:
          endpointRef: {name: llm}
          model:
            image: 763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi:2
            modelDataUrl: s3://models-bucket/llama3-8b/
          resources: {acceleratorCount: 1, memoryMb: 16384}
          copies: %d
        """
        .formatted(name, copies);
  }

  private Snapshot.Region sagemaker() {
    return simulator.region(SimulatorResource.REGION);
  }
}
