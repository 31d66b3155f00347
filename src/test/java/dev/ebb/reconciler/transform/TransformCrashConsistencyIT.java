package dev.ebb.reconciler.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.reconciler.transform.SageMakerTransformConverger.Outcome;
import dev.ebb.reconciler.transform.SageMakerTransformConverger.Target;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.sagemaker.SageMakerTransformJobs;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.CrashingClient;
import dev.ebb.testing.Manifests;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Crash consistency for batch transforms, as for endpoints and components: the operator dies right
 * after its Nth successful AWS mutation on the start or the delete path, a fresh one takes over,
 * and SageMaker ends with exactly one job and no model left: nothing duplicated, nothing orphaned.
 */
class TransformCrashConsistencyIT {
  private static final String REGION = "us-east-1";
  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
  private static SageMakerSimulator simulator;

  private static final BatchTransform TRANSFORM =
      Manifests.parse(
          BatchTransform.class,
          """
          apiVersion: ebb.dev/v1alpha1
          kind: BatchTransform
          metadata: {name: score, namespace: crash, uid: 5d4c3b2a-1908-4f7e-8d6c-b5a4f3e2d1c0}
          spec:
            backend: sagemaker
            model: {image: 'scorer:1'}
            input: {s3Uri: 's3://crash-bucket/in/', splitType: Line}
            output: {s3Uri: 's3://crash-bucket/out/', assembleWith: Line}
            resources: {instanceType: ml.m5.xlarge}
          """,
          1);

  private static final String JOB = SageMakerNames.transformJobName(TRANSFORM);

  @BeforeAll
  static void start() {
    simulator = SageMakerSimulator.builder().delays(Delays.none()).build().start();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @BeforeEach
  void input() {
    simulator.reset();
    simulator.s3().createBucket("crash-bucket");
    simulator.s3().put("crash-bucket", "in/a.csv", "1,good\n2,bad\n");
  }

  /** Start path: CreateModel, CreateTransformJob, then (the job ended) DeleteModel. */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2, 3})
  void startRunsTheJobExactlyOnceAndLeavesNoModel(int crashAfter) {
    crashThenRecover(crashAfter, converge());

    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.transformJobs().keySet()).containsExactly(JOB);
    assertThat(state.transformJob(JOB).status()).isEqualTo("Completed");
    assertThat(state.transformJob(JOB).tags())
        .containsEntry("ebb.dev/uid", TRANSFORM.getMetadata().getUid());
    assertThat(state.models()).isEmpty();
    assertThat(simulator.calls("CreateTransformJob")).filteredOn(Call::succeeded).hasSize(1);
    assertThat(simulator.s3().text("s3://crash-bucket/out/a.csv.out"))
        .hasValueSatisfying(out -> assertThat(out).startsWith("1,good\n2,bad\n"));
    assertNoListCalls();
  }

  /** Delete path of a running job: StopTransformJob, then (stopped) DeleteModel. */
  @ParameterizedTest(name = "crash after mutation {0}")
  @ValueSource(ints = {1, 2})
  void deleteStopsTheJobAndLeavesNoModel(int crashAfter) {
    simulator.delays(Delays.none().withTransform(Duration.ofHours(1), Duration.ZERO));
    recover(converge());
    assertThat(simulator.region(REGION).transformJob(JOB).status()).isEqualTo("InProgress");

    crashThenRecover(crashAfter, teardown());

    Snapshot.Region state = simulator.region(REGION);
    assertThat(state.transformJob(JOB).status()).isEqualTo("Stopped");
    assertThat(state.models()).isEmpty();
    assertThat(simulator.calls("StopTransformJob")).filteredOn(Call::succeeded).isNotEmpty();
    assertNoListCalls();
  }

  private static Function<SageMakerTransformJobs, Outcome> converge() {
    return ops ->
        SageMakerTransformConverger.converge(
            new Target(TRANSFORM, JOB, ROLE, Map.of("team", "search")), ops);
  }

  private static Function<SageMakerTransformJobs, Outcome> teardown() {
    return ops -> SageMakerTransformConverger.teardown(JOB, false, ops);
  }

  /** The job and its model are found by name: no List call grows with the account. */
  private static void assertNoListCalls() {
    assertThat(simulator.calls()).extracting(Call::operation).noneMatch(o -> o.startsWith("List"));
  }

  private static void crashThenRecover(
      int crashAfter, Function<SageMakerTransformJobs, Outcome> pass) {
    try (var crash = CrashingClient.after(crashAfter, simulator, REGION)) {
      var ops = new SageMakerTransformJobs(crash::client);
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

  private static void recover(Function<SageMakerTransformJobs, Outcome> pass) {
    try (SageMakerClient fresh = CrashingClient.healthy(simulator, REGION)) {
      var ops = new SageMakerTransformJobs(() -> fresh);
      for (int i = 0; i < 30; i++) {
        Outcome outcome = pass.apply(ops);
        assertThat(outcome.failure()).as("pass %d", i).isEmpty();
        if (outcome.end().settled() || waitingForTheRunningJob(outcome)) {
          return;
        }
      }
    }
    throw new AssertionError("did not converge after the crash");
  }

  /** A start pass on a job that runs for an hour settles when SageMaker is at work. */
  private static boolean waitingForTheRunningJob(Outcome outcome) {
    return outcome.last() instanceof TransformPlan.Wait w && w.status().equals("InProgress");
  }
}
