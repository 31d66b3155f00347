package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

class AwsErrorsTest {
  @ParameterizedTest(name = "{0} / HTTP {1} -> {2}")
  @CsvSource({
    "ValidationException, 400, VALIDATION",
    "ThrottlingException, 400, THROTTLED",
    "Throttling, 400, THROTTLED",
    "ResourceNotFound, 400, NOT_FOUND",
    "ObjectNotFoundException, 400, NOT_FOUND",
    "ResourceInUse, 400, CONFLICT",
    "ResourceLimitExceeded, 400, CONFLICT",
    "ConcurrentUpdateException, 400, CONFLICT",
    "AccessDeniedException, 400, ACCESS_DENIED",
    "ExpiredTokenException, 400, ACCESS_DENIED",
    "InternalFailure, 500, SERVICE_ERROR",
    "ServiceUnavailable, 503, SERVICE_ERROR",
    "SomethingNew, 503, SERVICE_ERROR",
    "SomethingNew, 429, THROTTLED",
    "SomethingNew, 403, ACCESS_DENIED",
    "SomethingNew, 400, VALIDATION",
  })
  void classifiesByCodeThenStatus(String code, int status, AwsErrorKind kind) {
    var e =
        SageMakerException.builder()
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage("Could not find endpoint (the text is never read)")
                    .build())
            .statusCode(status)
            .build();

    AwsFailure failure = AwsErrors.classify("DescribeEndpoint", (SageMakerException) e);

    assertThat(failure.kind()).isEqualTo(kind);
    assertThat(failure.errorCode()).isEqualTo(code);
    assertThat(failure.operation()).isEqualTo("DescribeEndpoint");
  }

  @Test
  void noAnswerFromAwsIsATransientServiceError() {
    AwsFailure failure =
        AwsErrors.classify("CreateModel", SdkClientException.create("Connection refused"));
    assertThat(failure.kind()).isEqualTo(AwsErrorKind.SERVICE_ERROR);
    assertThat(failure.kind().retryable()).isTrue();
  }

  /** A proxy's HTML page, or an empty body: reported as the HTTP status it is, with the body. */
  @Test
  void anAnswerWhoseBodyNamesNoAwsErrorIsReportedByItsStatus() {
    var e =
        SageMakerException.builder()
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .rawResponse(
                        software.amazon.awssdk.core.SdkBytes.fromUtf8String(
                            "<html>\n  <h1>502 Bad Gateway</h1>\n</html>"))
                    .build())
            .statusCode(502)
            .build();

    AwsFailure failure = AwsErrors.classify("CreateEndpointConfig", (SageMakerException) e);

    assertThat(failure.kind()).isEqualTo(AwsErrorKind.SERVICE_ERROR);
    assertThat(failure.errorCode()).isEqualTo("Http502");
    assertThat(failure.message())
        .isEqualTo(
            "AWS answered HTTP 502 with a body that names no AWS error: <html> <h1>502 Bad"
                + " Gateway</h1> </html>");
    assertThat(AwsErrors.outcome(e)).isEqualTo("Http502");
    assertThat(AwsErrors.outcome(SdkClientException.create("Connection refused")))
        .isEqualTo("ClientError");

    var bare = SageMakerException.builder().statusCode(503).build();
    assertThat(AwsErrors.classify("DescribeEndpoint", (SageMakerException) bare).message())
        .endsWith("names no AWS error: (empty)");
  }

  @Test
  void onlyValidationAndNotFoundAreFinal() {
    assertThat(AwsErrorKind.values())
        .filteredOn(k -> !k.retryable())
        .containsExactly(AwsErrorKind.VALIDATION, AwsErrorKind.NOT_FOUND);
  }
}
