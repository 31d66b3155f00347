package dev.ebb.simulator;

import java.util.Locale;
import java.util.Map;

/**
 * An error answer, as SageMaker would send it: an HTTP status, an error code (the {@code __type} /
 * {@code x-amzn-ErrorType} the SDK maps to an exception class) and a message.
 */
public final class AwsError extends RuntimeException {
  /**
   * The SDK maps error codes to its modelled exceptions by the wire code, which for SageMaker lacks
   * the "Exception" suffix of the Java class name (ResourceNotFoundException has code
   * "ResourceNotFound"). Tests naturally write the class name, so both spellings are accepted.
   */
  private static final Map<String, String> WIRE_CODES =
      Map.of(
          "ResourceNotFoundException", "ResourceNotFound",
          "ResourceInUseException", "ResourceInUse",
          "ResourceLimitExceededException", "ResourceLimitExceeded",
          "ValidationErrorException", "ValidationError",
          "InternalFailureException", "InternalFailure",
          "ServiceUnavailableException", "ServiceUnavailable",
          "ModelErrorException", "ModelError");

  private final int status;
  private final String code;
  private final boolean throttled;

  AwsError(int status, String code, String message, boolean throttled) {
    super(message, null, false, false);
    this.status = status;
    this.code = wireCode(code);
    this.throttled = throttled;
  }

  public static AwsError of(int status, String code, String message) {
    return new AwsError(status, code, message, false);
  }

  /** The control plane's client error (awsJson1_1). */
  static AwsError validation(String format, Object... args) {
    return of(400, "ValidationException", String.format(Locale.ROOT, format, args));
  }

  /** The runtime's client error (restJson1 InvokeEndpoint) is spelled differently. */
  static AwsError validationError(String format, Object... args) {
    return of(400, "ValidationError", String.format(Locale.ROOT, format, args));
  }

  static AwsError throttling() {
    return new AwsError(400, "ThrottlingException", "Rate exceeded", true);
  }

  static AwsError internal(String message) {
    return of(500, "InternalFailure", message);
  }

  static String wireCode(String code) {
    return WIRE_CODES.getOrDefault(code, code);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public boolean throttled() {
    return throttled;
  }
}
