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
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Crash consistency: the operator stops right after its Nth successful AWS mutation (the call
 * reached SageMaker, the answer never reached Ebb) and a fresh one, with no memory of the first,
 * takes over. For every N on the create, update and delete paths, SageMaker must end with exactly
 * the expected resources: nothing duplicated, nothing orphaned.
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
    InferenceEndpoint spec = endpoint("whisper:1", "ml.m5.large");

    crashThenRecover(
        crashAfter,
        (ops, target) -> SageMakerEndpointConverger.converge(spec, target, ops, NO_ROLLBACKS),
        spec);

    assertExactly(target(spec));
  }

  /**
   * Update path: CreateModel, CreateEndpointConfig, UpdateEndpoint, DeleteEndpointConfig,
   * DeleteModel.
   */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void updateConverges(int crashAfter) {
    simulator.reset();
    InferenceEndpoint v1 = endpoint("whisper:1", "ml.m5.large");
    recover(
        (ops, target) -> SageMakerEndpointConverger.converge(v1, target, ops, NO_ROLLBACKS), v1);
    InferenceEndpoint v2 = endpoint("whisper:2", "ml.m5.xlarge");

    crashThenRecover(
        crashAfter,
        (ops, target) -> SageMakerEndpointConverger.converge(v2, target, ops, NO_ROLLBACKS),
        v2);

    assertExactly(target(v2));
  }

  /** Delete path: DeleteEndpoint, DeleteEndpointConfig, DeleteModel. */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3})
  void deleteLeavesNothing(int crashAfter) {
    simulator.reset();
    InferenceEndpoint spec = endpoint("whisper:1", "ml.m5.large");
    recover(
        (ops, target) -> SageMakerEndpointConverger.converge(spec, target, ops, NO_ROLLBACKS),
        spec);

    crashThenRecover(
        crashAfter,
        (ops, target) ->
            SageMakerEndpointConverger.teardown(
                target.endpointName(), spec.getMetadata().getUid(), ops),
        spec);

    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.endpoints()).isEmpty();
    assertThat(state.endpointConfigs()).isEmpty();
    assertThat(state.models()).isEmpty();
  }

  // --- helpers -----------------------------------------------------------------------------

  private static SageMakerTarget target(InferenceEndpoint endpoint) {
    return SageMakerTarget.of(endpoint, Optional.empty()).orElseThrow();
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

  /**
   * Passes with a client that dies after {@code crashAfter} mutations, then passes with a new one.
   */
  private static void crashThenRecover(
      int crashAfter,
      BiFunction<SageMakerEndpoints, SageMakerTarget, Outcome> pass,
      InferenceEndpoint spec) {
    try (var crash = CrashingClient.after(crashAfter, simulator, REGION)) {
      var ops = new SageMakerEndpoints(crash::client);
      for (int i = 0; i < 20 && !crash.happened(); i++) {
        try {
          pass.apply(ops, target(spec));
        } catch (CrashingClient.ProcessGone processGone) {
          // The crash: everything in memory is lost; only what SageMaker holds remains.
        }
      }
      assertThat(crash.happened()).as("the crash happened").isTrue();
    }
    recover(pass, spec);
  }

  /** Passes with a fresh client until a pass finds nothing to do. */
  private static void recover(
      BiFunction<SageMakerEndpoints, SageMakerTarget, Outcome> pass, InferenceEndpoint spec) {
    try (SageMakerClient fresh = CrashingClient.healthy(simulator, REGION)) {
      var ops = new SageMakerEndpoints(() -> fresh);
      for (int i = 0; i < 30; i++) {
        Outcome outcome = pass.apply(ops, target(spec));
        assertThat(outcome.failure()).as("pass %d", i).isEmpty();
        if (outcome.last() instanceof EndpointPlan.InSync && !outcome.acted()) {
          return;
        }
      }
    }
    throw new AssertionError("did not converge after the crash");
  }
}
