package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.BatchTransform;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/** A BatchTransform as CreateTransformJob's request, and the name its job and model get. */
class TransformJobRequestsTest {
  private static final Pattern SAGEMAKER_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  private static BatchTransform transform(String name, String uid, String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: ebb.dev/v1alpha1
        kind: BatchTransform
        metadata: {name: %s, namespace: ml, uid: %s}
        spec:
          backend: sagemaker
          model: {image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1}
          input: {s3Uri: 's3://in-bucket/reviews/'}
          output: {s3Uri: 's3://out-bucket/scores/'}
          resources: {instanceType: ml.m5.xlarge}
        %s
        """
            .formatted(name, uid, spec),
        BatchTransform.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "short, score",
    "long, a-very-long-batch-transform-name-that-goes-on-and-on-and-on-past-sixty-three",
    "dots, score.reviews.v2",
  })
  void theJobNameIsValidStableAndNewForEveryObject(String why, String name) {
    String first = SageMakerNames.transformJobName(transform(name, "uid-1", ""));
    assertThat(first).matches(SAGEMAKER_NAME).hasSizeLessThanOrEqualTo(63);
    assertThat(SageMakerNames.transformJobName(transform(name, "uid-1", ""))).isEqualTo(first);
    // SageMaker keeps a job's name for ever: the same object name created again needs a new one.
    assertThat(SageMakerNames.transformJobName(transform(name, "uid-2", ""))).isNotEqualTo(first);
  }

  @Test
  void unsetFieldsStayUnsetSoSageMakersDefaultsApply() {
    var request =
        TransformJobRequests.create("job", "job", transform("t", "u", "").getSpec(), List.of());
    assertThat(request.transformInput().dataSource().s3DataSource().s3DataTypeAsString())
        .isEqualTo("S3Prefix");
    assertThat(request.transformInput().dataSource().s3DataSource().s3Uri())
        .isEqualTo("s3://in-bucket/reviews/");
    assertThat(request.transformOutput().s3OutputPath()).isEqualTo("s3://out-bucket/scores/");
    assertThat(request.transformResources().instanceTypeAsString()).isEqualTo("ml.m5.xlarge");
    assertThat(request.transformResources().instanceCount()).isEqualTo(1);
    assertThat(request.batchStrategy()).isNull();
    assertThat(request.maxPayloadInMB()).isNull();
    assertThat(request.maxConcurrentTransforms()).isNull();
    assertThat(request.dataProcessing()).isNull();
    assertThat(request.modelClientConfig()).isNull();
    assertThat(request.hasEnvironment()).isFalse();
  }

  @Test
  void everyFieldMapsToItsSageMakerName() {
    var spec =
        transform(
                "t",
                "u",
                """
                  batchStrategy: MultiRecord
                  maxPayloadInMB: 2
                  maxConcurrentTransforms: 4
                  environment: {THRESHOLD: '0.5'}
                  dataProcessing: {inputFilter: '$[1:]', outputFilter: '$[0,-1]', joinSource: Input}
                  invocations: {timeoutSeconds: 120, maxRetries: 1}
                """)
            .getSpec();
    var withInput =
        Serialization.unmarshal(
            Serialization.asYaml(spec)
                .replace(
                    "s3Uri: \"s3://in-bucket/reviews/\"",
                    "s3Uri: \"s3://in-bucket/manifest.json\"\n  dataType: ManifestFile\n "
                        + " contentType: text/csv\n  splitType: Line\n  compression: Gzip")
                .replace(
                    "s3Uri: \"s3://out-bucket/scores/\"",
                    "s3Uri: \"s3://out-bucket/scores/\"\n  accept: text/csv\n  assembleWith: Line"),
            dev.ebb.api.v1alpha1.BatchTransformSpec.class);
    var request =
        TransformJobRequests.create(
            "job", "model", withInput, List.of(Tag.builder().key("k").value("v").build()));
    assertThat(request.transformJobName()).isEqualTo("job");
    assertThat(request.modelName()).isEqualTo("model");
    var input = request.transformInput();
    assertThat(input.dataSource().s3DataSource().s3DataTypeAsString()).isEqualTo("ManifestFile");
    assertThat(input.contentType()).isEqualTo("text/csv");
    assertThat(input.splitTypeAsString()).isEqualTo("Line");
    assertThat(input.compressionTypeAsString()).isEqualTo("Gzip");
    assertThat(request.transformOutput().accept()).isEqualTo("text/csv");
    assertThat(request.transformOutput().assembleWithAsString()).isEqualTo("Line");
    assertThat(request.batchStrategyAsString()).isEqualTo("MultiRecord");
    assertThat(request.maxPayloadInMB()).isEqualTo(2);
    assertThat(request.maxConcurrentTransforms()).isEqualTo(4);
    assertThat(request.environment()).containsEntry("THRESHOLD", "0.5");
    assertThat(request.dataProcessing().inputFilter()).isEqualTo("$[1:]");
    assertThat(request.dataProcessing().outputFilter()).isEqualTo("$[0,-1]");
    assertThat(request.dataProcessing().joinSourceAsString()).isEqualTo("Input");
    assertThat(request.modelClientConfig().invocationsTimeoutInSeconds()).isEqualTo(120);
    assertThat(request.modelClientConfig().invocationsMaxRetries()).isEqualTo(1);
    assertThat(request.tags()).extracting(Tag::key).containsExactly("k");
  }
}
