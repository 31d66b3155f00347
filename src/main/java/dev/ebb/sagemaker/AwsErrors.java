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
    if (!(e instanceof AwsServiceException service) || service.awsErrorDetails() == null) {
      // No answer from AWS at all (I/O, DNS, timeouts): transient.
      return new AwsFailure(AwsErrorKind.SERVICE_ERROR, "ClientError", e.getMessage(), operation);
    }
    String code = service.awsErrorDetails().errorCode();
    String message = service.awsErrorDetails().errorMessage();
    int status = service.statusCode();
    return new AwsFailure(
        kindOf(code, status), code == null ? "Unknown" : code, message, operation);
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
