package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The fetcher's command line, client settings and messages (ModelFetchIT runs it against S3). */
class ModelFetchTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      value = {
        // arguments                                          | url              | dir            |
        // timeout
        "s3://b/llama/ /opt/ml/model --timeout-seconds 1200   | s3://b/llama/    | /opt/ml/model  | 1200",
        "--timeout-seconds 60 s3://b/m.tar.gz /opt/ml/model   | s3://b/m.tar.gz  | /opt/ml/model  | 60",
        "s3://b/llama/ /tmp/m                                 | s3://b/llama/    | /tmp/m         | -",
      })
  void theCommandLine(String arguments, String url, String dir, Long timeout) {
    ModelFetch.Request request = ModelFetch.Request.parse(arguments.split(" "));
    assertThat(request.url()).isEqualTo(url);
    assertThat(request.dir()).isEqualTo(Path.of(dir));
    assertThat(request.timeout()).isEqualTo(timeout == null ? null : Duration.ofSeconds(timeout));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "s3://b/llama/                                        | expected an S3 URL and a directory",
        "s3://b/llama/ /opt/ml/model extra                    | expected an S3 URL and a directory",
        "https://b.s3.amazonaws.com/llama/ /opt/ml/model      | not an S3 URL",
        "s3:/// /opt/ml/model                                 | not an S3 URL",
        "s3://b/llama/ /opt/ml/model --timeout-seconds        | --timeout-seconds needs a number",
        "s3://b/llama/ /opt/ml/model --timeout-seconds soon   | --timeout-seconds needs a number: soon",
        "s3://b/llama/ /opt/ml/model --timeout-seconds 0      | --timeout-seconds must be positive",
        "s3://b/llama/ /opt/ml/model --recursive              | unknown option --recursive",
      })
  void badCommandLinesExitWithUsage(String arguments, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ModelFetch.run(
            arguments.split(" "),
            Map.of(),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("fetch-model: " + message)
        .contains("usage: ModelFetch <s3-url> <dir> [--timeout-seconds N]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      value = {
        "s3://models/llama3/,            models, llama3/,            false",
        "s3://models/whisper/model.tar.gz, models, whisper/model.tar.gz, true",
        "s3://models,                    models, '',                 false",
        "s3://models/,                   models, '',                 false",
      })
  void locations(String url, String bucket, String key, boolean archive) {
    S3Location location = S3Location.parse(url);
    assertThat(location.bucket()).isEqualTo(bucket);
    assertThat(location.key()).isEqualTo(key);
    assertThat(ModelFetch.archive(location)).isEqualTo(archive);
  }

  @Test
  void theRegionIsAwsRegionElseUsEast1AndTheEndpointOnlyWhenGiven() {
    try (S3Client plain = ModelFetch.client(Map.of(), AnonymousCredentialsProvider.create());
        S3Client regional =
            ModelFetch.client(
                Map.of("AWS_REGION", "eu-west-1", "EBB_S3_ENDPOINT", "http://127.0.0.1:4599"),
                AnonymousCredentialsProvider.create())) {
      assertThat(plain.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
      assertThat(plain.serviceClientConfiguration().endpointOverride()).isEmpty();
      assertThat(regional.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
      assertThat(regional.serviceClientConfiguration().endpointOverride())
          .contains(URI.create("http://127.0.0.1:4599"));
    }
  }

  @Test
  void failuresAreOneLineWithS3sErrorCode() {
    S3Exception missing =
        (S3Exception)
            NoSuchKeyException.builder()
                .statusCode(404)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("NoSuchKey")
                        .errorMessage("The specified key does not exist.")
                        .build())
                .build();
    assertThat(ModelFetch.reason(missing))
        .isEqualTo("NoSuchKey: The specified key does not exist. (HTTP 404)");
    S3Exception denied =
        (S3Exception)
            S3Exception.builder()
                .statusCode(403)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("AccessDenied")
                        .errorMessage("Access Denied")
                        .build())
                .build();
    assertThat(ModelFetch.reason(denied)).isEqualTo("AccessDenied: Access Denied (HTTP 403)");
    assertThat(ModelFetch.reason(new ModelFetch.EmptyPrefix("empty prefix: no objects under it")))
        .isEqualTo("empty prefix: no objects under it");
    assertThat(ModelFetch.reason(new java.util.zip.ZipException("Not in GZIP format")))
        .isEqualTo("ZipException: Not in GZIP format");
  }

  @Test
  void theSummaryLineCountsObjectsBytesAndSeconds() {
    assertThat(
            new ModelFetch.Summary(3, 1234, -1)
                .line("s3://b/llama/", Path.of("/opt/ml/model"), 2_340_000_000L))
        .isEqualTo("fetch-model: s3://b/llama/ -> /opt/ml/model: 3 objects, 1234 bytes, 2.3 s");
    assertThat(
            new ModelFetch.Summary(1, 99, 5)
                .line("s3://b/m.tar.gz", Path.of("/opt/ml/model"), 100_000_000L))
        .isEqualTo(
            "fetch-model: s3://b/m.tar.gz -> /opt/ml/model: 1 object (5 files unpacked), 99 bytes,"
                + " 0.1 s");
  }

  @Test
  void anS3UrlIsRequiredBeforeAnythingIsFetched() {
    assertThatThrownBy(() -> ModelFetch.Request.parse(new String[] {"b/llama/", "/opt/ml/model"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an S3 URL");
  }
}
