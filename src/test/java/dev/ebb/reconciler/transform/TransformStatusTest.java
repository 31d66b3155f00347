package dev.ebb.reconciler.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.BatchTransformStatus;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.local.BatchResults;
import dev.ebb.reconciler.transform.SageMakerTransformConverger.Outcome;
import dev.ebb.reconciler.transform.TransformPlan.CreateJob;
import dev.ebb.reconciler.transform.TransformPlan.Ended;
import dev.ebb.reconciler.transform.TransformPlan.Wait;
import dev.ebb.sagemaker.AwsErrorKind;
import dev.ebb.sagemaker.AwsFailure;
import dev.ebb.sagemaker.SageMakerTransformJobs.JobDescription;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A BatchTransform's status, built in one place: what each situation says. */
class TransformStatusTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private static final BatchTransform TRANSFORM =
      Serialization.unmarshal(
          """
          apiVersion: ebb.dev/v1alpha1
          kind: BatchTransform
          metadata: {name: score, namespace: ml, generation: 1}
          spec:
            backend: sagemaker
            model: {image: 'scorer:1'}
            input: {s3Uri: 's3://in/reviews/'}
            output: {s3Uri: 's3://out/scores/'}
            resources: {instanceType: ml.m5.xlarge}
          """,
          BatchTransform.class);

  private static JobDescription job(String status, String reason) {
    return new JobDescription(
        "arn:aws:sagemaker:us-east-1:123456789012:transform-job/job",
        status,
        reason,
        NOW,
        NOW.plusSeconds(60),
        status.equals("InProgress") ? null : NOW.plusSeconds(600));
  }

  private static String reason(BatchTransformStatus status, String type) {
    Condition c = status.condition(type);
    return c == null ? null : c.status() + "/" + c.reason();
  }

  @Test
  void aJobJustCreatedIsStarting() {
    var status =
        TransformStatus.sagemaker(
            TRANSFORM,
            "job",
            new Outcome(new CreateJob(), true, Optional.empty(), Optional.empty()),
            null,
            NOW);
    assertThat(status.phase()).isEqualTo("Pending");
    assertThat(reason(status, "Ready")).isEqualTo("False/TransformStarting");
    assertThat(reason(status, "Reconciling")).isEqualTo("True/TransformStarting");
    assertThat(status.transformJobName()).isEqualTo("job");
  }

  @Test
  void aRunningJobIsReconcilingWithSageMakersTimes() {
    var status =
        TransformStatus.sagemaker(
            TRANSFORM,
            "job",
            new Outcome(
                new Wait("InProgress"),
                false,
                Optional.of(job("InProgress", null)),
                Optional.empty()),
            null,
            NOW);
    assertThat(status.phase()).isEqualTo("InProgress");
    assertThat(reason(status, "Reconciling")).isEqualTo("True/TransformRunning");
    assertThat(status.startTime()).isEqualTo("2026-12-07T12:01:00Z");
    assertThat(status.completionTime()).isNull();
    assertThat(status.progress()).as("DescribeTransformJob reports none").isNull();
    assertThat(status.ended()).isFalse();
  }

  @Test
  void aCompletedJobIsReadyAndFinal() {
    var status =
        TransformStatus.sagemaker(
            TRANSFORM,
            "job",
            new Outcome(
                new Ended("Completed", null),
                false,
                Optional.of(job("Completed", null)),
                Optional.empty()),
            null,
            NOW);
    assertThat(reason(status, "Ready")).isEqualTo("True/TransformCompleted");
    assertThat(status.condition("Stalled")).isNull();
    assertThat(status.ended()).isTrue();
  }

  @Test
  void aFailedJobStallsWithSageMakersReasonVerbatim() {
    String why = "ClientError: See job logs for more information";
    var status =
        TransformStatus.sagemaker(
            TRANSFORM,
            "job",
            new Outcome(
                new Ended("Failed", why), false, Optional.of(job("Failed", why)), Optional.empty()),
            null,
            NOW);
    assertThat(reason(status, "Stalled")).isEqualTo("True/TransformFailed");
    assertThat(status.failureReason()).isEqualTo(why);
    assertThat(status.condition("Stalled").message()).contains(why);
  }

  @Test
  void aRetryableFailureSaysWhenEbbTriesAgain() {
    var retry = new RetryStatus(2, "2026-12-07T12:00:04Z");
    var status =
        TransformStatus.sagemaker(
            TRANSFORM,
            "job",
            new Outcome(
                null,
                false,
                Optional.empty(),
                Optional.of(
                    new AwsFailure(
                        AwsErrorKind.SERVICE_ERROR,
                        "ServiceUnavailable",
                        "Service is unavailable.",
                        "CreateTransformJob"))),
            retry,
            NOW);
    assertThat(reason(status, "Reconciling")).isEqualTo("True/AwsRetrying");
    assertThat(status.condition("Ready").message()).contains("2026-12-07T12:00:04Z");
    assertThat(status.retry()).isEqualTo(retry);
  }

  @Test
  void locallyProgressIsTheWorkersOwnCounts() {
    var status =
        TransformStatus.local(
            TRANSFORM,
            "score",
            "InProgress",
            new BatchResults(2, 3, 5, 40, 1, Optional.empty()),
            null,
            "2026-12-07T12:00:10Z",
            null,
            NOW);
    assertThat(status.progress().objects()).isEqualTo("3/5");
    assertThat(status.progress().recordsFailed()).isEqualTo(1);
    assertThat(status.jobName()).isEqualTo("score");
    assertThat(status.transformJobName()).isNull();
    assertThat(reason(status, "Reconciling")).isEqualTo("True/TransformRunning");
    var starting =
        TransformStatus.local(
            TRANSFORM, "score", "Pending", BatchResults.of(List.of()), null, null, null, NOW);
    assertThat(starting.progress()).as("nothing known yet").isNull();
    assertThat(reason(starting, "Ready")).isEqualTo("False/TransformStarting");
  }
}
