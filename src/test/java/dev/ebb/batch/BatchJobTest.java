package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.sagemaker.S3Location;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The job document, TransformSettings' precedence and InputObjects. */
class BatchJobTest {
  static final String MINIMAL =
      """
      {"input": {"s3Uri": "s3://in/data/"}, "output": {"s3OutputPath": "s3://out/results"}}
      """;

  @Test
  void aMinimalDocumentTakesAwsDefaults() {
    BatchJob job = BatchJob.parse(MINIMAL);
    assertThat(job.modelUrlOrDefault()).isEqualTo("http://127.0.0.1:8080");
    assertThat(job.s3DataType()).isEqualTo("S3Prefix");
    assertThat(job.splitType()).isEqualTo("None");
    assertThat(job.gzip()).isFalse();
    assertThat(job.assembleWithLine()).isFalse();
    assertThat(job.processesData()).isFalse();
    assertThat(job.invocationsTimeoutSeconds()).isEqualTo(600);
    assertThat(job.invocationsMaxRetries()).isEqualTo(3);
    assertThat(job.unsupported()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"input":{"s3Uri":"s3://in/"},"output":{"s3OutputPath":"s3://o/"},"colour":"red"}                       | colour
          {"input":{"s3Uri":"s3://in/","splitType":"Lines"},"output":{"s3OutputPath":"s3://o/"}}                   | input.splitType must be one of None|Line|RecordIO|TFRecord
          {"input":{"s3Uri":"s3://in/","s3DataType":"AugmentedManifestFile"},"output":{"s3OutputPath":"s3://o/"}}  | does not accept AugmentedManifestFile
          {"input":{"s3Uri":"s3://in/"},"output":{"s3OutputPath":"s3://o/"},"maxPayloadInMB":101}                  | maxPayloadInMB must be 0..100
          {"input":{"s3Uri":"s3://in/"},"output":{"s3OutputPath":"s3://o/"},"maxPayloadInMB":20,"maxConcurrentTransforms":6} | must not exceed 100 MB
          {"input":{"s3Uri":"s3://in/"},"output":{"s3OutputPath":"s3://o/"},"shard":{"index":2,"count":2}}          | shard.index
          {"input":{"s3Uri":"s3://in/"},"output":{"s3OutputPath":"s3://o/"},"modelClientConfig":{"invocationsMaxRetries":4}} | invocationsMaxRetries must be 0..3
          {"input":{"s3Uri":"in/"},"output":{"s3OutputPath":"s3://o/"}}                                            | input.s3Uri must match
          {"output":{"s3OutputPath":"s3://o/"}}                                                                   | input.s3Uri is required
          """)
  void whatCreateTransformJobRefusesIsInvalid(String json, String message) {
    assertThatThrownBy(() -> BatchJob.parse(json))
        .isInstanceOf(BatchJob.Invalid.class)
        .hasMessageContaining(message);
  }

  @Test
  void whatAwsAcceptsButTheBatcherDoesNotDoIsNamed() {
    BatchJob job =
        BatchJob.parse(
            """
            {"input":{"s3Uri":"https://in.s3.amazonaws.com/x"},"output":{"s3OutputPath":"s3://o/"},
             "maxPayloadInMB":0}
            """);
    assertThat(job.unsupported())
        .hasSize(2)
        .anySatisfy(u -> assertThat(u).contains("https://"))
        .anySatisfy(u -> assertThat(u).contains("chunked"));
  }

  @ParameterizedTest(name = "job {0}/{1}/{2}, container {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          -            | -  | -  | -                                                                          | MultiRecord  | 6  | 1
          SingleRecord | 2  | 4  | {"BatchStrategy":"MULTI_RECORD","MaxPayloadInMB":9,"MaxConcurrentTransforms":8} | SingleRecord | 2  | 4
          -            | -  | -  | {"BatchStrategy":"SINGLE_RECORD","MaxPayloadInMB":9,"MaxConcurrentTransforms":8} | SingleRecord | 9  | 8
          -            | 3  | 0  | {"MaxConcurrentTransforms":8}                                              | MultiRecord  | 3  | 8
          MultiRecord  | -  | -  | {}                                                                         | MultiRecord  | 6  | 1
          """)
  void settingsComeFromTheJobThenTheContainerThenTheDefaults(
      String strategy,
      Integer payload,
      Integer concurrent,
      String container,
      String wantStrategy,
      int wantPayload,
      int wantConcurrent) {
    BatchJob job =
        new BatchJob(
            null,
            new BatchJob.Input("s3://in/", null, null, "Line", null),
            new BatchJob.Output("s3://o/", null, null, null),
            strategy,
            payload,
            concurrent,
            null,
            null,
            null,
            null,
            null);
    TransformSettings s = TransformSettings.resolve(job, Optional.ofNullable(container));
    assertThat(s.multiRecord()).isEqualTo(wantStrategy.equals("MultiRecord"));
    assertThat(s.maxPayloadInMB()).isEqualTo(wantPayload);
    assertThat(s.maxConcurrent()).isEqualTo(wantConcurrent);
  }

  @Test
  void aContainerAnswerOutOfRangeFailsRatherThanBeIgnored() {
    BatchJob job = BatchJob.parse(MINIMAL);
    assertThatThrownBy(
            () -> TransformSettings.resolve(job, Optional.of("{\"BatchStrategy\":\"ALL\"}")))
        .hasMessageContaining("BatchStrategy ALL");
    assertThatThrownBy(
            () -> TransformSettings.resolve(job, Optional.of("{\"MaxPayloadInMB\":500}")))
        .hasMessageContaining("MaxPayloadInMB must be an integer 1..100");
  }

  @Test
  void aPrefixListsEveryObjectUnderItSortedWithoutDirectoryMarkers() {
    List<InputObject> objects =
        InputObjects.fromListing(
            S3Location.parse("s3://in/data/part"),
            List.of("data/part-b.csv", "data/part-a/x.csv", "data/part/", "data/other.csv"));
    assertThat(objects)
        .extracting(InputObject::key, InputObject::relative)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("data/part-a/x.csv", "part-a/x.csv"),
            org.assertj.core.groups.Tuple.tuple("data/part-b.csv", "part-b.csv"));
    assertThat(objects.get(0).output(S3Location.parse("s3://out/results")).toString())
        .isEqualTo("s3://out/results/part-a/x.csv.out");
  }

  @Test
  void aManifestListsKeysUnderItsPrefix() {
    List<InputObject> objects =
        InputObjects.fromManifest(
            DataProcessingTest.bytes(
                "[{\"prefix\":\"s3://b/some/prefix/\"},\"relative/path/custdata-1\",\"custdata-2\"]"));
    assertThat(objects)
        .extracting(InputObject::uri)
        .containsExactly(
            "s3://b/some/prefix/relative/path/custdata-1", "s3://b/some/prefix/custdata-2");
    assertThat(objects.get(0).relative()).isEqualTo("relative/path/custdata-1");
    assertThatThrownBy(() -> InputObjects.fromManifest(DataProcessingTest.bytes("[\"a\"]")))
        .hasMessageContaining("prefix");
  }

  @Test
  void workersShareTheObjectsOneByOne() {
    List<InputObject> objects =
        InputObjects.fromListing(S3Location.parse("s3://in/"), List.of("a", "b", "c", "d", "e"));
    assertThat(InputObjects.share(objects, new BatchJob.Shard(0, 2)))
        .extracting(InputObject::key)
        .containsExactly("a", "c", "e");
    assertThat(InputObjects.share(objects, new BatchJob.Shard(1, 2)))
        .extracting(InputObject::key)
        .containsExactly("b", "d");
    assertThat(InputObjects.share(objects, new BatchJob.Shard(5, 6))).isEmpty();
  }
}
