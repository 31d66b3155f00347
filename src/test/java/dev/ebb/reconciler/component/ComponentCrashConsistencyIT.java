package dev.ebb.reconciler.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.component.SageMakerComponentConverger.Outcome;
import dev.ebb.reconciler.endpoint.SageMakerEndpointConverger;
import dev.ebb.reconciler.endpoint.SageMakerTarget;
import dev.ebb.sagemaker.DeploymentAlarms;
import dev.ebb.sagemaker.SageMakerComponents;
import dev.ebb.sagemaker.SageMakerEndpoints;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.CrashingClient;
import dev.ebb.testing.Manifests;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Crash consistency for inference components, as {@code EndpointCrashConsistencyIT} is for
 * endpoints: the operator dies right after its Nth successful AWS mutation on the create, update or
 * delete path, a fresh one takes over, and SageMaker ends with exactly one component and exactly
 * the models it needs.
 */
class ComponentCrashConsistencyIT {
  /** These tests roll nothing back: the rollback alarms are never looked up. */
  private static final DeploymentAlarms NO_ROLLBACKS =
      new DeploymentAlarms(
          () -> {
            throw new IllegalStateException("no deployment is rolled back here");
          });

  private static final String REGION = "us-east-1";
  private static final String UID = "4c3b2a19-0817-4e6d-9c5b-a4f3e2d1c0b9";
  private static SageMakerSimulator simulator;

  private static final InferenceEndpoint ENDPOINT =
      Manifests.parse(
          InferenceEndpoint.class,
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceEndpoint
          metadata: {name: llm, namespace: crash, uid: 7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d}
          spec:
            backend: sagemaker
            sagemaker: {executionRoleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution'}
            variants:
            - name: AllTraffic
              instanceType: ml.g5.2xlarge
              managedInstanceScaling: {minInstanceCount: 0, maxInstanceCount: 4}
          """,
          1);

  @BeforeAll
  static void start() {
    simulator = SageMakerSimulator.builder().delays(Delays.none()).build().start();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @BeforeEach
  void endpointInService() {
    simulator.reset();
    SageMakerTarget target = SageMakerTarget.of(ENDPOINT, Optional.empty()).orElseThrow();
    try (SageMakerClient client = CrashingClient.healthy(simulator, REGION)) {
      var ops = new SageMakerEndpoints(() -> client);
      for (int i = 0; i < 10; i++) {
        var outcome = SageMakerEndpointConverger.converge(ENDPOINT, target, ops, NO_ROLLBACKS);
        if (outcome.end().settled()) {
          return;
        }
      }
    }
    throw new AssertionError("endpoint did not converge");
  }

  private static InferenceComponent component(String image, int copies) {
    return Manifests.parse(
        InferenceComponent.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: llama, namespace: crash, uid: %s}
        spec:
          endpointRef: {name: llm}
          model: {image: '%s', modelDataUrl: 's3://models-bucket/llama/'}
          resources: {acceleratorCount: 1, memoryMb: 8192}
          copies: %d
        """
            .formatted(UID, image, copies),
        1);
  }

  /**
   * Create path for a component asked to start at zero: CreateModel, CreateInferenceComponent (with
   * 1 copy), UpdateInferenceComponentRuntimeConfig (to 0).
   */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3})
  void createConverges(int crashAfter) {
    InferenceComponent spec = component("llama:1", 0);

    crashThenRecover(crashAfter, converge(spec));

    assertExactly(target(spec), 0);
  }

  /** Update path: CreateModel, UpdateInferenceComponent, DeleteModel (the superseded one). */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3})
  void updateConverges(int crashAfter) {
    recover(converge(component("llama:1", 2)));
    InferenceComponent v2 = component("llama:2", 2);

    crashThenRecover(crashAfter, converge(v2));

    assertExactly(target(v2), 2);
  }

  /** Delete path: DeleteInferenceComponent, DeleteModel. */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2})
  void deleteLeavesNothing(int crashAfter) {
    InferenceComponent spec = component("llama:1", 1);
    recover(converge(spec));

    crashThenRecover(
        crashAfter,
        ops -> SageMakerComponentConverger.teardown(SageMakerNames.componentName(spec), UID, ops));

    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.components()).isEmpty();
    assertThat(state.models()).isEmpty();
    assertThat(state.endpoints()).hasSize(1);
  }

  // --- helpers -----------------------------------------------------------------------------

  private static SageMakerComponentTarget target(InferenceComponent component) {
    SageMakerTarget endpoint = SageMakerTarget.of(ENDPOINT, Optional.empty()).orElseThrow();
    return SageMakerComponentTarget.of(
            component, ENDPOINT, endpoint.endpointName(), Optional.empty(), false)
        .orElseThrow();
  }

  private static Function<SageMakerComponents, Outcome> converge(InferenceComponent component) {
    return ops -> SageMakerComponentConverger.converge(component, target(component), ops);
  }

  private static void assertExactly(SageMakerComponentTarget target, int copies) {
    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.components().keySet()).containsExactly(target.componentName());
    Snapshot.Component component = state.component(target.componentName());
    assertThat(component.status()).isEqualTo("InService");
    assertThat(component.modelName()).isEqualTo(target.modelName());
    assertThat(component.desiredCopyCount()).isEqualTo(copies);
    assertThat(component.tags()).containsEntry("ebb.dev/uid", UID);
    assertThat(state.models().keySet()).containsExactly(target.modelName());
  }

  private static void crashThenRecover(
      int crashAfter, Function<SageMakerComponents, Outcome> pass) {
    try (var crash = CrashingClient.after(crashAfter, simulator, REGION)) {
      var ops = new SageMakerComponents(crash::client);
      for (int i = 0; i < 20 && !crash.happened(); i++) {
        try {
          pass.apply(ops);
        } catch (CrashingClient.ProcessGone processGone) {
          // The crash: everything in memory is lost; only what SageMaker holds remains.
        }
      }
      assertThat(crash.happened()).as("the crash happened").isTrue();
    }
    recover(pass);
  }

  private static void recover(Function<SageMakerComponents, Outcome> pass) {
    try (SageMakerClient fresh = CrashingClient.healthy(simulator, REGION)) {
      var ops = new SageMakerComponents(() -> fresh);
      for (int i = 0; i < 30; i++) {
        Outcome outcome = pass.apply(ops);
        assertThat(outcome.failure()).as("pass %d", i).isEmpty();
        if (outcome.end().settled()) {
          return;
        }
      }
    }
    throw new AssertionError("did not converge after the crash");
  }
}
