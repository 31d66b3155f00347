package dev.ebb.local;

import dev.ebb.api.v1alpha1.BatchTransformSpec;
import dev.ebb.batch.BatchJob;

/**
 * A BatchTransform's spec as the batcher's job document: the same CreateTransformJob fields the
 * SageMaker backend sends ({@code dev.ebb.sagemaker.TransformJobRequests}), so both planes are
 * asked the same thing. Unset fields stay unset: the batcher then asks the container and falls back
 * to SageMaker's defaults, as SageMaker does.
 */
public final class BatchJobDocument {
  private BatchJobDocument() {}

  /**
   * The document of worker {@code index} (of {@code spec.resources.instanceCount}); {@code
   * progressFile} may be null.
   */
  public static BatchJob of(BatchTransformSpec spec, int index, String progressFile) {
    var input = spec.input();
    var output = spec.output();
    var processing = spec.dataProcessing();
    var invocations = spec.invocations();
    int workers =
        spec.resources() == null || spec.resources().instanceCount() == null
            ? 1
            : spec.resources().instanceCount();
    return new BatchJob(
        null,
        new BatchJob.Input(
            input.s3Uri(),
            input.dataType() == null ? null : input.dataType().name(),
            input.contentType(),
            input.splitType() == null ? null : input.splitType().name(),
            input.compression() == null ? null : input.compression().name()),
        new BatchJob.Output(
            output.s3Uri(),
            output.accept(),
            output.assembleWith() == null ? null : output.assembleWith().name(),
            null),
        spec.batchStrategy() == null ? null : spec.batchStrategy().name(),
        spec.maxPayloadInMB(),
        spec.maxConcurrentTransforms(),
        processing == null
            ? null
            : new BatchJob.DataProcessing(
                processing.inputFilter(),
                processing.outputFilter(),
                processing.joinSource() == null ? null : processing.joinSource().name()),
        progressFile,
        new BatchJob.Shard(index, workers),
        invocations == null
            ? null
            : new BatchJob.ModelClientConfig(
                invocations.timeoutSeconds(), invocations.maxRetries()),
        null);
  }
}
