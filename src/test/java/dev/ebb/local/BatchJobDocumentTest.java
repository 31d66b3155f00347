package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.BatchTransformSpec;
import dev.ebb.batch.BatchJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** A BatchTransform's spec as the batcher's job document: the names CreateTransformJob has. */
class BatchJobDocumentTest {
  private static final String PLAIN =
      """
      input: {s3Uri: 's3://in/reviews/'}
      output: {s3Uri: 's3://out/scores/'}
      """;

  private static BatchTransformSpec spec(String extra) {
    return Serialization.unmarshal(
        """
        backend: sagemaker
        model: {image: 'scorer:1'}
        resources: {instanceType: ml.m5.xlarge, instanceCount: 3}
        """
            + extra,
        BatchTransformSpec.class);
  }

  @Test
  void unsetStaysUnsetSoTheContainerAndSageMakersDefaultsDecide() {
    BatchJob job = BatchJobDocument.of(spec(PLAIN), 2, null);
    assertThat(job.input().s3Uri()).isEqualTo("s3://in/reviews/");
    assertThat(job.output().s3OutputPath()).isEqualTo("s3://out/scores/");
    assertThat(job.batchStrategy()).isNull();
    assertThat(job.maxPayloadInMB()).isNull();
    assertThat(job.maxConcurrentTransforms()).isNull();
    assertThat(job.dataProcessing()).isNull();
    assertThat(job.modelClientConfig()).isNull();
    assertThat(job.modelUrl()).as("the model server beside the batcher").isNull();
    assertThat(job.shard()).isEqualTo(new BatchJob.Shard(2, 3));
  }

  @Test
  void everyFieldKeepsItsSageMakerValue() {
    BatchJob job =
        BatchJobDocument.of(
            spec(
                """
                input: {s3Uri: 's3://in/manifest.json', dataType: ManifestFile, contentType: text/csv,
                  splitType: Line, compression: Gzip}
                output: {s3Uri: 's3://out/scores/', accept: text/csv, assembleWith: Line}
                batchStrategy: MultiRecord
                maxPayloadInMB: 2
                maxConcurrentTransforms: 4
                dataProcessing: {inputFilter: '$[1:]', outputFilter: '$[0,-1]', joinSource: Input}
                invocations: {timeoutSeconds: 120, maxRetries: 1}
                """),
            0,
            "/var/run/ebb/progress.json");
    assertThat(job.input())
        .isEqualTo(
            new BatchJob.Input(
                "s3://in/manifest.json", "ManifestFile", "text/csv", "Line", "Gzip"));
    assertThat(job.output())
        .isEqualTo(new BatchJob.Output("s3://out/scores/", "text/csv", "Line", null));
    assertThat(job.batchStrategy()).isEqualTo("MultiRecord");
    assertThat(job.maxPayloadInMB()).isEqualTo(2);
    assertThat(job.maxConcurrentTransforms()).isEqualTo(4);
    assertThat(job.dataProcessing())
        .isEqualTo(new BatchJob.DataProcessing("$[1:]", "$[0,-1]", "Input"));
    assertThat(job.modelClientConfig()).isEqualTo(new BatchJob.ModelClientConfig(120, 1));
    assertThat(job.progressFile()).isEqualTo("/var/run/ebb/progress.json");
  }
}
