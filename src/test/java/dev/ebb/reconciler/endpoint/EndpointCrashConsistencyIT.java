package dev.ebb.reconciler.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.endpoint.SageMakerEndpointConverger.Outcome;
import dev.ebb.sagemaker.DeploymentAlarms;
import dev.ebb.sagemaker.SageMakerEndpoints;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.CrashingClient;
import dev.ebb.testing.Manifests;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Crash consistency: the operator stops right after its Nth successful AWS mutation (the call
 * reached SageMaker, the answer never reached Ebb) and a fresh one, with no memory of the first,
 * takes over. For every N on the create, update and delete paths, SageMaker must end with exactly
 * the expected resources: nothing duplicated, nothing orphaned. The operator knows what it made
 * only from the object's status (as the API server keeps it between passes), and finds it by name:
 * no pass lists models or configs.
 */
class EndpointCrashConsistencyIT {
  /** These tests roll nothing back: the rollback alarms are never looked up. */
  private static final DeploymentAlarms NO_ROLLBACKS =
      new DeploymentAlarms(
          () -> {
            throw new IllegalStateException("no deployment is rolled back here");
          });

  private static final String REGION = "us-east-1";
  private static SageMakerSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = SageMakerSimulator.builder().delays(Delays.none()).build().start();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static InferenceEndpoint endpoint(String image, String instanceType) {
    InferenceEndpoint endpoint =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: crashy, uid: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}
            spec:
              backend: sagemaker
              sagemaker: {executionRoleArn: 'arn:aws:iam::123456789012:role/SageMakerExecution'}
              variants:
              - name: AllTraffic
                instanceType: %s
                weight: 1.0
                model: {image: '%s', modelDataUrl: 's3://models-bucket/m/model.tar.gz'}
            """
                .formatted(instanceType, image),
            1);
    return endpoint;
  }

  /** Create path: CreateModel, CreateEndpointConfig, CreateEndpoint. */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3})
  void createConverges(int crashAfter) {
    simulator.reset();
    Stored stored = new Stored(endpoint("whisper:1", "ml.m5.large"));

    crashThenRecover(crashAfter, stored.converge());

    assertExactly(target(stored.object));
    assertNoListCalls();
  }

  /**
   * The first pass only records the names it is about to create, creates nothing, and its status
   * says so rather than naming a step it did not take.
   */
  @org.junit.jupiter.api.Test
  void theFirstPassRecordsWhatItWillCreateAndSaysSo() {
    simulator.reset();
    Stored stored = new Stored(endpoint("whisper:1", "ml.m5.large"));
    try (SageMakerClient fresh = CrashingClient.healthy(simulator, REGION)) {
      Outcome outcome = stored.converge().apply(new SageMakerEndpoints(() -> fresh));

      assertThat(outcome.recordFirst()).isTrue();
    }
    SageMakerTarget target = target(stored.object);
    assertThat(stored.object.getStatus().models())
        .containsExactlyInAnyOrderElementsOf(target.modelNames().values());
    assertThat(stored.object.getStatus().endpointConfigs()).containsExactly(target.configName());
    assertThat(simulator.region(REGION).models()).isEmpty();
    assertThat(
            stored
                .object
                .getStatus()
                .condition(dev.ebb.api.v1alpha1.Condition.RECONCILING)
                .message())
        .contains("recorded")
        .doesNotContain("last step");
  }

  /**
   * Update path: CreateModel, CreateEndpointConfig, UpdateEndpoint, DeleteEndpointConfig,
   * DeleteModel.
   */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void updateConverges(int crashAfter) {
    simulator.reset();
    Stored stored = new Stored(endpoint("whisper:1", "ml.m5.large"));
    recover(stored.converge());
    stored.specChanged(endpoint("whisper:2", "ml.m5.xlarge"));

    crashThenRecover(crashAfter, stored.converge());

    assertExactly(target(stored.object));
    assertThat(stored.object.getStatus().models())
        .containsExactlyInAnyOrderElementsOf(target(stored.object).modelNames().values());
    assertThat(stored.object.getStatus().endpointConfigs())
        .containsExactly(target(stored.object).configName());
    assertNoListCalls();
  }

  /**
   * A crash right after CreateModel, then a new spec before the operator comes back: the model of
   * the first spec is known from the status (recorded before it was created) and deleted.
   */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2})
  void aSpecChangeAfterACrashOrphansNothing(int crashAfter) {
    simulator.reset();
    Stored stored = new Stored(endpoint("whisper:1", "ml.m5.large"));
    crash(crashAfter, stored.converge());
    stored.specChanged(endpoint("whisper:2", "ml.m5.xlarge"));

    recover(stored.converge());

    assertExactly(target(stored.object));
    assertNoListCalls();
  }

  /** Delete path: DeleteEndpoint, DeleteEndpointConfig, DeleteModel. */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3})
  void deleteLeavesNothing(int crashAfter) {
    simulator.reset();
    Stored stored = new Stored(endpoint("whisper:1", "ml.m5.large"));
    recover(stored.converge());

    crashThenRecover(crashAfter, stored.teardown());

    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.endpoints()).isEmpty();
    assertThat(state.endpointConfigs()).isEmpty();
    assertThat(state.models()).isEmpty();
    assertNoListCalls();
  }

  /**
   * An endpoint an earlier Ebb provisioned, whose status records no models or configs: the first
   * pass lists them once, and from then on the status knows them.
   */
  @org.junit.jupiter.api.Test
  void anEndpointMadeBeforeModelsWereRecordedIsListedOnce() {
    simulator.reset();
    Stored stored = new Stored(endpoint("whisper:1", "ml.m5.large"));
    recover(stored.converge());
    stored.forgetRecords();
    stored.specChanged(endpoint("whisper:2", "ml.m5.xlarge"));

    recover(stored.converge());
    recover(stored.teardown());

    assertThat(simulator.calls("ListModels")).hasSize(1);
    assertThat(simulator.calls("ListEndpointConfigs")).hasSize(1);
    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.endpoints()).isEmpty();
    assertThat(state.endpointConfigs()).isEmpty();
    assertThat(state.models()).isEmpty();
  }

  // --- helpers -----------------------------------------------------------------------------

  private static SageMakerTarget target(InferenceEndpoint endpoint) {
    return SageMakerTarget.of(endpoint, Optional.empty()).orElseThrow();
  }

  /**
   * The endpoint as the API server holds it: a pass that ends writes its status (as the reconciler
   * does, in reconcile and in cleanup); a pass cut short by the crash writes nothing.
   */
  private static final class Stored {
    InferenceEndpoint object;

    Stored(InferenceEndpoint object) {
      this.object = object;
    }

    /** A new spec (a user's apply): the object keeps its status. */
    void specChanged(InferenceEndpoint next) {
      next.setStatus(object.getStatus());
      object = next;
    }

    /** The status as an Ebb that did not record models and configs left it. */
    void forgetRecords() {
      var s = object.getStatus();
      object.setStatus(
          new dev.ebb.api.v1alpha1.InferenceEndpointStatus(
              s.observedGeneration(),
              s.conditions(),
              s.state(),
              s.endpointName(),
              s.endpointArn(),
              s.endpointStatus(),
              s.failureReason(),
              s.endpointConfigName(),
              s.lastDeployedConfigName(),
              s.url(),
              s.variants(),
              s.access(),
              s.retry(),
              null,
              null));
    }

    Function<SageMakerEndpoints, Outcome> converge() {
      return ops -> {
        SageMakerTarget target = target(object);
        Outcome outcome = SageMakerEndpointConverger.converge(object, target, ops, NO_ROLLBACKS);
        object.setStatus(
            EndpointStatus.sagemaker(
                object, target, outcome, Optional.empty(), null, Instant.now()));
        return outcome;
      };
    }

    Function<SageMakerEndpoints, Outcome> teardown() {
      return ops -> {
        Outcome outcome =
            SageMakerEndpointConverger.teardown(
                target(object).endpointName(),
                object.getMetadata().getUid(),
                SageMakerEndpointConverger.recorded(object),
                ops);
        object.setStatus(
            EndpointStatus.deleting(object, List.of(), Optional.of(outcome), Instant.now()));
        return outcome;
      };
    }
  }

  /** Models and configs are found by name: no List call grows with the account. */
  private static void assertNoListCalls() {
    assertThat(simulator.calls())
        .extracting(dev.ebb.simulator.Call::operation)
        .doesNotContain("ListModels", "ListEndpointConfigs");
  }

  private static void assertExactly(SageMakerTarget target) {
    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.endpoints().keySet()).containsExactly(target.endpointName());
    assertThat(state.endpoint(target.endpointName()).status()).isEqualTo("InService");
    assertThat(state.endpoint(target.endpointName()).configName()).isEqualTo(target.configName());
    assertThat(state.endpointConfigs().keySet()).containsExactly(target.configName());
    assertThat(state.models().keySet())
        .containsExactlyInAnyOrderElementsOf(Set.copyOf(target.modelNames().values()));
  }

  private static void crashThenRecover(int crashAfter, Function<SageMakerEndpoints, Outcome> pass) {
    crash(crashAfter, pass);
    recover(pass);
  }

  /** Runs {@code pass} until the process dies right after its Nth successful mutation. */
  private static void crash(int crashAfter, Function<SageMakerEndpoints, Outcome> pass) {
    try (var crash = CrashingClient.after(crashAfter, simulator, REGION)) {
      var ops = new SageMakerEndpoints(crash::client);
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

  /** Passes with a fresh client until a pass finds nothing to do. */
  private static void recover(Function<SageMakerEndpoints, Outcome> pass) {
    try (SageMakerClient fresh = CrashingClient.healthy(simulator, REGION)) {
      var ops = new SageMakerEndpoints(() -> fresh);
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
