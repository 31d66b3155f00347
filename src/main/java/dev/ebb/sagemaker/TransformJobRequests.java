package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.BatchTransformSpec;
import java.util.List;
import software.amazon.awssdk.services.sagemaker.model.CreateTransformJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DataProcessing;
import software.amazon.awssdk.services.sagemaker.model.ModelClientConfig;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TransformInput;
import software.amazon.awssdk.services.sagemaker.model.TransformOutput;
import software.amazon.awssdk.services.sagemaker.model.TransformResources;

/**
 * A BatchTransform's spec as CreateTransformJob's request: field for field, with nothing Ebb adds
 * but the names and tags. Fields the spec leaves unset stay unset, so SageMaker's own defaults (and
 * the container's answer at /execution-parameters) apply, as they would for a job created by hand.
 */
public final class TransformJobRequests {
  private TransformJobRequests() {}

  public static CreateTransformJobRequest create(
      String jobName, String modelName, BatchTransformSpec spec, List<Tag> tags) {
    var input = spec.input();
    var output = spec.output();
    var builder =
        CreateTransformJobRequest.builder()
            .transformJobName(jobName)
            .modelName(modelName)
            .transformInput(
                TransformInput.builder()
                    .dataSource(
                        d ->
                            d.s3DataSource(
                                s ->
                                    s.s3DataType(
                                            input.dataType() == null
                                                ? "S3Prefix"
                                                : input.dataType().name())
                                        .s3Uri(input.s3Uri())))
                    .contentType(input.contentType())
                    .splitType(input.splitType() == null ? null : input.splitType().name())
                    .compressionType(
                        input.compression() == null ? null : input.compression().name())
                    .build())
            .transformOutput(
                TransformOutput.builder()
                    .s3OutputPath(output.s3Uri())
                    .accept(output.accept())
                    .assembleWith(
                        output.assembleWith() == null ? null : output.assembleWith().name())
                    .build())
            .transformResources(
                TransformResources.builder()
                    .instanceType(spec.resources().instanceType())
                    .instanceCount(
                        spec.resources().instanceCount() == null
                            ? 1
                            : spec.resources().instanceCount())
                    .build())
            .batchStrategy(spec.batchStrategy() == null ? null : spec.batchStrategy().name())
            .maxPayloadInMB(spec.maxPayloadInMB())
            .maxConcurrentTransforms(spec.maxConcurrentTransforms())
            .tags(tags);
    if (spec.environment() != null && !spec.environment().isEmpty()) {
      builder.environment(spec.environment());
    }
    if (spec.dataProcessing() != null) {
      var processing = spec.dataProcessing();
      builder.dataProcessing(
          DataProcessing.builder()
              .inputFilter(processing.inputFilter())
              .outputFilter(processing.outputFilter())
              .joinSource(processing.joinSource() == null ? null : processing.joinSource().name())
              .build());
    }
    if (spec.invocations() != null) {
      builder.modelClientConfig(
          ModelClientConfig.builder()
              .invocationsTimeoutInSeconds(spec.invocations().timeoutSeconds())
              .invocationsMaxRetries(spec.invocations().maxRetries())
              .build());
    }
    return builder.build();
  }
}
