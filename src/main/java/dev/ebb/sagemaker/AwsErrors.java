package dev.ebb.sagemaker;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Classifies AWS failures once, at the boundary, by error code and HTTP status, never by message
 * text. SageMaker answers some situations (a missing resource on Describe, an existing name on
 * Create) with a plain ValidationException; callers that need to tell those apart confirm with a
 * List call instead of reading the message.
 */
public final class AwsErrors {
  private AwsErrors() {}

  private static final Set<String> THROTTLING =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "RequestThrottledException",
          "TooManyRequestsException",
          "ProvisionedThroughputExceededException",
          "TransactionInProgressException",
          "RequestLimitExceeded",
          "BandwidthLimitExceeded",
          "RequestThrottled",
          "SlowDown",
          "PriorRequestNotComplete",
          "EC2ThrottledException");

  private static final Set<String> ACCESS_DENIED =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "ExpiredTokenException",
          "MissingAuthenticationToken",
          "IncompleteSignature");

  private static final Set<String> NOT_FOUND =
      Set.of(
          "ResourceNotFound", "ResourceNotFoundException", "ObjectNotFoundException", "NoSuchKey");

  private static final Set<String> CONFLICT =
      Set.of(
          "ResourceInUse",
          "ResourceInUseException",
          "ConflictException",
          "ConcurrentUpdateException",
          "ConcurrentModificationException",
          "ResourceLimitExceeded",
          "LimitExceeded",
          "LimitExceededException");

  private static final Set<String> SERVICE =
      Set.of(
          "InternalFailure",
          "InternalServerError",
          "InternalServerException",
          "InternalError",
          "ServiceUnavailable",
          "ServiceUnavailableException",
          "RequestTimeout",
          "RequestTimeoutException");

  /** Classifies a failed call of {@code operation}. */
  public static AwsFailure classify(String operation, SdkException e) {
    if (!(e instanceof AwsServiceException service) || service.statusCode() == 0) {
      // No answer from AWS at all (I/O, DNS, timeouts): transient.
      return new AwsFailure(AwsErrorKind.SERVICE_ERROR, "ClientError", e.getMessage(), operation);
    }
    String code = codeOf(service);
    return new AwsFailure(
        kindOf(named(service) ? code : null, service.statusCode()),
        code,
        messageOf(service),
        operation);
  }

  /**
   * The outcome of a failed call as metrics name it: AWS's error code; {@code Http<status>} when
   * AWS (or a proxy before it) answered with a body that names no error; {@code ClientError} when
   * nothing answered.
   */
  public static String outcome(Throwable failure) {
    return failure instanceof AwsServiceException service && service.statusCode() != 0
        ? codeOf(service)
        : "ClientError";
  }

  private static boolean named(AwsServiceException e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null;
  }

  private static String codeOf(AwsServiceException e) {
    return named(e) ? e.awsErrorDetails().errorCode() : "Http" + e.statusCode();
  }

  /** AWS's message, or for an answer without an AWS error, what was answered. */
  private static String messageOf(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
      return e.awsErrorDetails().errorMessage();
    }
    String body =
        e.awsErrorDetails() == null || e.awsErrorDetails().rawResponse() == null
            ? ""
            : e.awsErrorDetails().rawResponse().asUtf8String().strip();
    String shown =
        body.length() > 200 ? body.substring(0, 200) + "…" : body.isEmpty() ? "(empty)" : body;
    return "AWS answered HTTP "
        + e.statusCode()
        + " with a body that names no AWS error: "
        + shown.replaceAll("\\s+", " ");
  }

  static AwsErrorKind kindOf(String code, int status) {
    if (code != null) {
      if (THROTTLING.contains(code)) {
        return AwsErrorKind.THROTTLED;
      }
      if (ACCESS_DENIED.contains(code)) {
        return AwsErrorKind.ACCESS_DENIED;
      }
      if (NOT_FOUND.contains(code)) {
        return AwsErrorKind.NOT_FOUND;
      }
      if (CONFLICT.contains(code)) {
        return AwsErrorKind.CONFLICT;
      }
      if (SERVICE.contains(code)) {
        return AwsErrorKind.SERVICE_ERROR;
      }
    }
    if (status == 429) {
      return AwsErrorKind.THROTTLED;
    }
    if (status == 401 || status == 403) {
      return AwsErrorKind.ACCESS_DENIED;
    }
    if (status == 404) {
      return AwsErrorKind.NOT_FOUND;
    }
    if (status == 409) {
      return AwsErrorKind.CONFLICT;
    }
    if (status >= 500 || status == 0) {
      return AwsErrorKind.SERVICE_ERROR;
    }
    return AwsErrorKind.VALIDATION;
  }
}
