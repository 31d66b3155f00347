package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.ContainerMode;
import software.amazon.awssdk.services.sagemaker.model.ModelCompressionType;
import software.amazon.awssdk.services.sagemaker.model.S3ModelDataType;

class ModelRequestsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";

  @Test
  void anUncompressedPrefixDownloadsInParallelWithoutUntar() {
    var model =
        new ModelSpec(
            "tgi:2",
            "s3://models/llama3/",
            Map.of("HF_MODEL_ID", "/opt/ml/model"),
            ModelSpec.Mode.SingleModel);
    var request = ModelRequests.create("m", model, ROLE, List.of());

    var container = request.primaryContainer();
    assertThat(container.modelDataUrl()).isNull();
    assertThat(container.modelDataSource().s3DataSource().s3Uri()).isEqualTo("s3://models/llama3/");
    assertThat(container.modelDataSource().s3DataSource().s3DataType())
        .isEqualTo(S3ModelDataType.S3_PREFIX);
    assertThat(container.modelDataSource().s3DataSource().compressionType())
        .isEqualTo(ModelCompressionType.NONE);
    assertThat(container.environment()).containsEntry("HF_MODEL_ID", "/opt/ml/model");
    assertThat(request.executionRoleArn()).isEqualTo(ROLE);
  }

  @Test
  void archivesAndMultiModelPrefixesUseModelDataUrl() {
    var archive =
        new ModelSpec("img", "s3://models/whisper.tar.gz", null, ModelSpec.Mode.SingleModel);
    assertThat(ModelRequests.container(archive).modelDataUrl())
        .isEqualTo("s3://models/whisper.tar.gz");

    var multi = new ModelSpec("img", "s3://models/many/", null, ModelSpec.Mode.MultiModel);
    assertThat(ModelRequests.container(multi).modelDataUrl()).isEqualTo("s3://models/many/");
    assertThat(ModelRequests.container(multi).mode()).isEqualTo(ContainerMode.MULTI_MODEL);
  }

  @Test
  void aChangedModelIsANewModel() {
    var v1 = new ModelSpec("tgi:2", "s3://models/llama3/", null, ModelSpec.Mode.SingleModel);
    var v2 = new ModelSpec("tgi:3", "s3://models/llama3/", null, ModelSpec.Mode.SingleModel);
    assertThat(ModelRequests.name("ml-llama-1", v1, ROLE))
        .isEqualTo(ModelRequests.name("ml-llama-1", v1, ROLE));
    assertThat(ModelRequests.name("ml-llama-1", v1, ROLE))
        .isNotEqualTo(ModelRequests.name("ml-llama-1", v2, ROLE));
  }
}
