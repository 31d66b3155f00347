package dev.ebb.reconciler.transform;

import static dev.ebb.testing.TestNamespace.ready;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.FaultRule;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * BatchTransforms on backend sagemaker: operator + real API server + simulator, whose transform
 * jobs split, batch and assemble as SageMaker documents and call the model container (the
 * simulator's echo container here).
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SageMakerBatchTransformIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("transforms", TIMEOUT);

  SageMakerSimulator simulator;

  @AfterEach
  void defaultDelays() {
    simulator.delays(Delays.defaults());
  }

  private static String transform(String name, String bucket, String extra) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: BatchTransform
        metadata: {name: %s}
        spec:
          backend: sagemaker
          model: {image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1'}
          input: {s3Uri: 's3://%s/in/', contentType: text/csv, splitType: Line}
          output: {s3Uri: 's3://%s/out/', accept: text/csv, assembleWith: Line}
          resources: {instanceType: ml.m5.xlarge}
        %s
        """
        .formatted(name, bucket, bucket, extra);
  }

  private Snapshot.Region sagemaker() {
    return simulator.region(SimulatorResource.REGION);
  }

  private String seed(String bucket) {
    simulator.s3().createBucket(bucket);
    simulator.s3().put(bucket, "in/a.csv", "1,good\n2,bad\n3,fine\n");
    simulator.s3().put(bucket, "in/day2/b.csv", "4,meh\n");
    return bucket;
  }

  @Test
  void aTransformRunsToTheEndWritesOneOutputPerInputAndLeavesNoModel() {
    String bucket = seed("bt-complete");
    ns.apply(BatchTransform.class, transform("score", bucket, "  batchStrategy: SingleRecord"));

    BatchTransform done = ns.awaitReady(BatchTransform.class, "score");

    var status = done.getStatus();
    String job = status.transformJobName();
    assertThat(status.phase()).isEqualTo("Completed");
    assertThat(status.conditions()).extracting(c -> c.reason()).contains("TransformCompleted");
    assertThat(status.startTime()).isNotNull();
    assertThat(status.completionTime()).isNotNull();
    assertThat(status.transformJobArn()).isEqualTo(sagemaker().transformJob(job).arn());
    // SingleRecord, Line: each line is a request; the echo container returns it, and Line
    // assembly ends each result with a newline: the input, object for object.
    assertThat(simulator.s3().text("s3://" + bucket + "/out/a.csv.out"))
        .hasValue("1,good\n2,bad\n3,fine\n");
    assertThat(simulator.s3().text("s3://" + bucket + "/out/day2/b.csv.out")).hasValue("4,meh\n");
    Snapshot.TransformJob live = sagemaker().transformJob(job);
    assertThat(live.status()).isEqualTo("Completed");
    assertThat(live.tags())
        .containsEntry("ebb.dev/uid", done.getMetadata().getUid())
        .containsEntry("ebb.dev/kind", "BatchTransform");
    assertThat(sagemaker().models())
        .as("the job's model is deleted once it ended")
        .doesNotContainKey(job);
    assertThat(simulator.calls("CreateModel"))
        .filteredOn(c -> c.succeeded() && job.equals(c.request().path("ModelName").asText()))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.request().path("ExecutionRoleArn").asText())
                    .isEqualTo(SimulatorResource.DEFAULT_ROLE));
    assertThat(simulator.calls("CreateTransformJob"))
        .filteredOn(c -> c.succeeded() && job.equals(c.request().path("TransformJobName").asText()))
        .hasSize(1);
    assertThat(simulator.calls()).extracting(Call::operation).doesNotContain("ListTransformJobs");
  }

  @Test
  void aTransformThatEndedIsNeverLookedAtAgain() {
    String bucket = seed("bt-final");
    ns.apply(BatchTransform.class, transform("final", bucket, ""));
    String job = ns.awaitReady(BatchTransform.class, "final").getStatus().transformJobName();
    simulator.clearCalls();

    // An event (a label) wakes the reconciler: it makes no AWS call for a transform that ended.
    ns.resources(BatchTransform.class)
        .withName("final")
        .edit(
            t -> {
              t.getMetadata().setLabels(java.util.Map.of("touched", "yes"));
              return t;
            });
    ns.awaitStatus(
        BatchTransform.class, "final", t -> t.getMetadata().getLabels() != null && ready(t));
    simulator.catchUp();

    assertThat(simulator.calls())
        .filteredOn(c -> job.equals(c.request().path("TransformJobName").asText()))
        .isEmpty();
  }

  @Test
  void deletingARunningTransformStopsItThenDeletesItsModel() {
    simulator.delays(
        Delays.defaults().withTransform(Duration.ofMinutes(30), Duration.ofSeconds(2)));
    String bucket = seed("bt-stop");
    ns.apply(BatchTransform.class, transform("stop-me", bucket, ""));
    String job =
        ns.awaitStatus(BatchTransform.class, "stop-me", t -> "InProgress".equals(phase(t)))
            .getStatus()
            .transformJobName();

    ns.resources(BatchTransform.class).withName("stop-me").delete();

    ns.awaitGone(BatchTransform.class, "stop-me");
    assertThat(simulator.calls("StopTransformJob"))
        .filteredOn(c -> c.succeeded() && job.equals(c.request().path("TransformJobName").asText()))
        .hasSize(1);
    assertThat(sagemaker().transformJob(job).status()).isEqualTo("Stopped");
    assertThat(sagemaker().models()).doesNotContainKey(job);
    assertThat(simulator.s3().keys(bucket, "out/")).as("a stopped job writes nothing").isEmpty();
  }

  @Test
  void retainLetsTheJobRunOnAfterTheObjectIsGone() {
    simulator.delays(
        Delays.defaults().withTransform(Duration.ofMinutes(30), Duration.ofSeconds(2)));
    String bucket = seed("bt-retain");
    ns.apply(
        BatchTransform.class, transform("keep", bucket, "  sagemaker: {deletionPolicy: Retain}"));
    String job =
        ns.awaitStatus(BatchTransform.class, "keep", t -> "InProgress".equals(phase(t)))
            .getStatus()
            .transformJobName();
    simulator.clearCalls();

    ns.resources(BatchTransform.class).withName("keep").delete();

    ns.awaitGone(BatchTransform.class, "keep");
    assertThat(simulator.calls()).as("no AWS call on a retained delete").isEmpty();
    assertThat(sagemaker().transformJob(job).status()).isEqualTo("InProgress");
    assertThat(sagemaker().models()).containsKey(job);
  }

  @Test
  void aFailedJobStallsWithSageMakersReasonAndItsModelGoes() {
    String bucket = seed("bt-fail");
    // One record over the 1 MB payload: SageMaker fails the job.
    simulator.s3().put(bucket, "in/huge.csv", "9," + "x".repeat(1_200_000) + "\n");
    ns.apply(
        BatchTransform.class,
        transform("fails", bucket, "  batchStrategy: MultiRecord\n  maxPayloadInMB: 1"));

    BatchTransform failed = ns.awaitStalled(BatchTransform.class, "fails", "TransformFailed");

    assertThat(failed.getStatus().phase()).isEqualTo("Failed");
    String reason = failed.getStatus().failureReason();
    assertThat(reason).isNotBlank();
    assertThat(failed.getStatus().conditions())
        .filteredOn(c -> c.type().equals("Stalled"))
        .singleElement()
        .satisfies(c -> assertThat(c.message()).contains(reason));
    String job = failed.getStatus().transformJobName();
    assertThat(sagemaker().transformJob(job).failureReason()).isEqualTo(reason);
    await(() -> !sagemaker().models().containsKey(job));
  }

  @Test
  void aRequestSageMakerRefusesStallsNamingTheCall() {
    String bucket = seed("bt-refused");
    // What only AWS can refuse: here, a role SageMaker cannot assume.
    simulator
        .faults()
        .inject(
            FaultRule.on("CreateTransformJob")
                .answer(
                    400,
                    "ValidationException",
                    "Could not assume role arn:aws:iam::123456789012:role/EbbDefaultSageMaker."));
    ns.apply(BatchTransform.class, transform("refused", bucket, ""));

    BatchTransform refused = ns.awaitStalled(BatchTransform.class, "refused", "InvalidRequest");

    assertThat(refused.getStatus().conditions())
        .filteredOn(c -> c.type().equals("Ready"))
        .singleElement()
        .satisfies(c -> assertThat(c.message()).startsWith("CreateTransformJob failed"));
    String job = refused.getStatus().transformJobName();
    assertThat(sagemaker().transformJob(job)).isNull();
    assertThat(sagemaker().models()).containsKey(job);

    ns.resources(BatchTransform.class).withName("refused").delete();
    ns.awaitGone(BatchTransform.class, "refused");
    assertThat(sagemaker().models())
        .as("the model made before the refusal is deleted")
        .doesNotContainKey(job);
  }

  @Test
  void aTransientFailureIsRetriedWithBackoffAndTheJobStartsOnce() {
    String bucket = seed("bt-retry");
    // Two passes' worth: the SDK makes 5 attempts per call (ebb.aws.max-attempts) before the pass
    // ends in a retryable failure.
    simulator.faults().inject(FaultRule.serviceUnavailable("CreateTransformJob", 10));
    ns.apply(BatchTransform.class, transform("retried", bucket, ""));

    String job = ns.awaitReady(BatchTransform.class, "retried").getStatus().transformJobName();
    List<Call> creates =
        simulator.calls("CreateTransformJob").stream()
            .filter(c -> job.equals(c.request().path("TransformJobName").asText()))
            .toList();
    assertThat(creates).hasSize(11);
    assertThat(creates.subList(0, 10)).noneMatch(Call::succeeded);
    assertThat(creates.get(10).succeeded()).isTrue();
    // Between passes the wait doubles (tests: from ebb.reconcile.transitioning-poll, 1 s, without
    // jitter): at least 1 s after the first failed pass, at least 2 s after the second.
    assertThat(Duration.between(creates.get(4).time(), creates.get(5).time()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(Duration.between(creates.get(9).time(), creates.get(10).time()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1800));
    assertThat(ns.get(BatchTransform.class, "retried").getStatus().retry()).isNull();
  }

  private static String phase(BatchTransform t) {
    return t.getStatus() == null ? null : t.getStatus().phase();
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(TIMEOUT).until(condition);
  }
}
