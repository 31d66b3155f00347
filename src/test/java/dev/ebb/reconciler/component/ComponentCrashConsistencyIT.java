package dev.ebb.reconciler.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.component.SageMakerComponentConverger.Outcome;
import dev.ebb.reconciler.endpoint.EndpointPasses;
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
    ENDPOINT.setStatus(null); // a new simulator: nothing made yet
    try (SageMakerClient client = CrashingClient.healthy(simulator, REGION)) {
      EndpointPasses.untilSettled(ENDPOINT, new SageMakerEndpoints(() -> client), NO_ROLLBACKS);
    }
    simulator.clearCalls(); // the components' calls are what the tests look at
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
    Stored stored = new Stored(component("llama:1", 0));

    crashThenRecover(crashAfter, stored.converge());

    assertExactly(target(stored.object), 0);
    assertNoListCalls();
  }

  /** Update path: CreateModel, UpdateInferenceComponent, DeleteModel (the superseded one). */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3})
  void updateConverges(int crashAfter) {
    Stored stored = new Stored(component("llama:1", 2));
    recover(stored.converge());
    stored.specChanged(component("llama:2", 2));

    crashThenRecover(crashAfter, stored.converge());

    assertExactly(target(stored.object), 2);
    assertNoListCalls();
  }

  /**
   * A crash right after CreateModel, then a spec change before the next pass: the model of the
   * abandoned spec was recorded before it was created, so it is deleted too.
   */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2})
  void aSpecChangeAfterACrashOrphansNoModel(int crashAfter) {
    Stored stored = new Stored(component("llama:1", 1));
    recover(stored.converge());
    stored.specChanged(component("llama:2", 1));
    crash(crashAfter, stored.converge());
    stored.specChanged(component("llama:3", 1));

    recover(stored.converge());

    assertExactly(target(stored.object), 1);
    assertNoListCalls();
  }

  /** Delete path: DeleteInferenceComponent, DeleteModel. */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2})
  void deleteLeavesNothing(int crashAfter) {
    Stored stored = new Stored(component("llama:1", 1));
    recover(stored.converge());

    crashThenRecover(crashAfter, stored.teardown());

    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.components()).isEmpty();
    assertThat(state.models()).isEmpty();
    assertThat(state.endpoints()).hasSize(1);
    assertNoListCalls();
  }

  /**
   * A component made by an Ebb that did not record its models (status.models absent) is listed
   * once, by the first pass; from then on its status records them and nothing is listed again.
   */
  @org.junit.jupiter.api.Test
  void aComponentMadeBeforeModelsWereRecordedIsListedOnce() {
    Stored stored = new Stored(component("llama:1", 1));
    recover(stored.converge());
    var status = stored.object.getStatus();
    stored.object.setStatus(
        new dev.ebb.api.v1alpha1.InferenceComponentStatus(
            status.observedGeneration(),
            status.conditions(),
            status.state(),
            status.inferenceComponentName(),
            status.inferenceComponentArn(),
            status.sageMakerStatus(),
            status.failureReason(),
            status.copies(),
            status.lastColdStart(),
            status.selector(),
            status.lastDeployedSpecification(),
            status.retry(),
            null));
    simulator.clearCalls();

    recover(stored.converge());
    recover(stored.converge());
    recover(stored.teardown());

    assertThat(simulator.calls("ListModels")).hasSize(1);
    assertThat(simulator.region(REGION).models()).isEmpty();
  }

  // --- helpers -----------------------------------------------------------------------------

  private static SageMakerComponentTarget target(InferenceComponent component) {
    SageMakerTarget endpoint = SageMakerTarget.of(ENDPOINT, Optional.empty()).orElseThrow();
    return SageMakerComponentTarget.of(
            component, ENDPOINT, endpoint.endpointName(), Optional.empty(), false)
        .orElseThrow();
  }

  /**
   * The component as the API server holds it: a pass that ends writes its status (as the reconciler
   * does, status.models included); a pass cut short by the crash writes nothing.
   */
  private static final class Stored {
    InferenceComponent object;

    Stored(InferenceComponent object) {
      this.object = object;
    }

    /** A new spec (a user's apply): the object keeps its status. */
    void specChanged(InferenceComponent next) {
      next.setStatus(object.getStatus());
      object = next;
    }

    Function<SageMakerComponents, Outcome> converge() {
      return ops -> {
        SageMakerComponentTarget target = target(object);
        Outcome outcome = SageMakerComponentConverger.converge(object, target, ops);
        object.setStatus(
            ComponentStatus.sagemaker(object, target, outcome, null, java.time.Instant.now()));
        return outcome;
      };
    }

    /** Cleanup writes no status: every teardown pass starts from the last reconcile's. */
    Function<SageMakerComponents, Outcome> teardown() {
      return ops ->
          SageMakerComponentConverger.teardown(
              SageMakerNames.componentName(object),
              UID,
              SageMakerComponentConverger.recorded(object),
              ops);
    }
  }

  /** Models and components are found by name: no List call grows with the account. */
  private static void assertNoListCalls() {
    assertThat(simulator.calls())
        .extracting(dev.ebb.simulator.Call::operation)
        .doesNotContain("ListModels", "ListInferenceComponents");
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
    crash(crashAfter, pass);
    recover(pass);
  }

  /** Runs {@code pass} until the process dies right after its Nth successful mutation. */
  private static void crash(int crashAfter, Function<SageMakerComponents, Outcome> pass) {
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
