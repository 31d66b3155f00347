package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.BatchTransformSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTransformJobResponse;

/**
 * The SageMaker calls behind a BatchTransform: its model and its transform job. Failures leave as
 * {@link AwsCallException}, classified.
 */
public final class SageMakerTransformJobs {
  private final Supplier<SageMakerClient> client;
  private final SageMakerModels models;

  public SageMakerTransformJobs(Supplier<SageMakerClient> client) {
    this.client = client;
    this.models = new SageMakerModels(client);
  }

  /** A transform job as DescribeTransformJob reports it. */
  public record JobDescription(
      String arn,
      String status,
      String failureReason,
      Instant creationTime,
      Instant startTime,
      Instant endTime) {}

  public SageMakerModels models() {
    return models;
  }

  /**
   * The job named {@code name}, or empty when it does not exist. DescribeTransformJob reports a
   * missing job as ResourceNotFound; a ValidationException is taken as absence too, as for the
   * other Describe calls ({@link Calls#describe}): the request carries only a name Ebb derived.
   */
  public Optional<JobDescription> describe(String name) {
    try {
      return Calls.describe(
              "DescribeTransformJob",
              () -> client.get().describeTransformJob(r -> r.transformJobName(name)))
          .map(SageMakerTransformJobs::toDescription);
    } catch (AwsCallException e) {
      if (e.failure().kind() == AwsErrorKind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static JobDescription toDescription(DescribeTransformJobResponse r) {
    return new JobDescription(
        r.transformJobArn(),
        r.transformJobStatusAsString(),
        r.failureReason(),
        r.creationTime(),
        r.transformStartTime(),
        r.transformEndTime());
  }

  /** Creates the job, tagged for {@code owner}. */
  public void create(
      String name,
      String modelName,
      BatchTransformSpec spec,
      HasMetadata owner,
      Map<String, String> userTags) {
    var request = TransformJobRequests.create(name, modelName, spec, OwnerTags.of(owner, userTags));
    Calls.call("CreateTransformJob", () -> client.get().createTransformJob(request));
  }

  /**
   * Asks SageMaker to stop the job. A job that ended already or is gone is not an error: the caller
   * acts on the next Describe, never on this call's message.
   */
  public void stop(String name) {
    try {
      client.get().stopTransformJob(r -> r.transformJobName(name));
    } catch (SdkException e) {
      AwsFailure failure = AwsErrors.classify("StopTransformJob", e);
      boolean settled =
          (failure.kind() == AwsErrorKind.VALIDATION || failure.kind() == AwsErrorKind.NOT_FOUND)
              && describe(name).map(j -> !"InProgress".equals(j.status())).orElse(true);
      if (!settled) {
        throw new AwsCallException(failure, e);
      }
    }
  }
}
