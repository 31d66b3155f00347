package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.ModelSpec;
import java.util.List;
import software.amazon.awssdk.services.sagemaker.model.ContainerDefinition;
import software.amazon.awssdk.services.sagemaker.model.ContainerMode;
import software.amazon.awssdk.services.sagemaker.model.CreateModelRequest;
import software.amazon.awssdk.services.sagemaker.model.ModelCompressionType;
import software.amazon.awssdk.services.sagemaker.model.ModelDataSource;
import software.amazon.awssdk.services.sagemaker.model.S3ModelDataType;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * SageMaker models from Ebb's {@link ModelSpec}. Models are immutable in SageMaker, so their names
 * are content-addressed: a changed spec is a new model, never an update of an old one.
 */
public final class ModelRequests {
  private ModelRequests() {}

  /** The content-addressed model name for {@code model} under {@code base} (e.g. a component). */
  public static String name(String base, ModelSpec model, String executionRoleArn) {
    return SageMakerNames.forContent(base, Canonical.json(model) + "|" + executionRoleArn);
  }

  /** The CreateModel request for {@code model}. */
  public static CreateModelRequest create(
      String modelName, ModelSpec model, String executionRoleArn, List<Tag> tags) {
    return CreateModelRequest.builder()
        .modelName(modelName)
        .executionRoleArn(executionRoleArn)
        .primaryContainer(container(model))
        .tags(tags)
        .build();
  }

  static ContainerDefinition container(ModelSpec model) {
    var container =
        ContainerDefinition.builder()
            .image(model.image())
            .environment(model.environment())
            .mode(
                model.mode() == ModelSpec.Mode.MultiModel
                    ? ContainerMode.MULTI_MODEL
                    : ContainerMode.SINGLE_MODEL);
    String url = model.modelDataUrl();
    if (url == null) {
      return container.build();
    }
    if (model.mode() == ModelSpec.Mode.MultiModel || url.endsWith(".tar.gz")) {
      // Multi-model servers load archives under a prefix; single archives are untarred.
      return container.modelDataUrl(url).build();
    }
    // An uncompressed prefix: SageMaker downloads the files in parallel and skips the untar.
    return container
        .modelDataSource(
            ModelDataSource.builder()
                .s3DataSource(
                    s ->
                        s.s3Uri(url)
                            .s3DataType(S3ModelDataType.S3_PREFIX)
                            .compressionType(ModelCompressionType.NONE))
                .build())
        .build();
  }
}
