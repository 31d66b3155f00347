package dev.ebb.gateway.errors;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every error the gateway answers, shaped as SageMaker Runtime sends them (restJson1): the error
 * code in {@code x-amzn-ErrorType} and in the body's {@code __type}, so the AWS SDKs raise their
 * modelled exceptions (ValidationErrorException, ModelErrorException, ModelNotReadyException...).
 * The one place that maps the gateway's cases to SageMaker's statuses, codes and wording (the table
 * in docs/gateway.md).
 *
 * @param fields extra body fields (ModelError's {@code OriginalStatusCode}, {@code
 *     OriginalMessage})
 * @param headers extra response headers ({@code Retry-After}, {@code WWW-Authenticate})
 */
public record RuntimeError(
    int status,
    String code,
    String message,
    Map<String, Object> fields,
    Map<String, String> headers) {
  public RuntimeError {
    fields = Map.copyOf(fields);
    headers = Map.copyOf(headers);
  }

  private static RuntimeError of(int status, String code, String message) {
    return new RuntimeError(status, code, message, Map.of(), Map.of());
  }

  /** A request SageMaker would refuse as malformed or naming nothing. */
  public static RuntimeError validation(String message) {
    return of(400, "ValidationError", message);
  }

  /**
   * A component at zero copies that nothing will wake: answered at once, as SageMaker answers a
   * component without capacity (a ValidationError), with Ebb's reason instead of its hint.
   */
  public static RuntimeError parked(String why) {
    return validation("Inference Component has no capacity to process this request. " + why);
  }

  /**
   * A request no SageMaker Runtime operation matches: another path or method ({@code status} 404 or
   * 405), as AWS answers an operation it does not know.
   */
  public static RuntimeError unknownOperation(int status) {
    return of(
        status,
        "UnknownOperationException",
        "The gateway serves SageMaker Runtime's POST /endpoints/{EndpointName}/invocations,"
            + " /invocations-response-stream and /async-invocations only.");
  }

  /**
   * A request refused before routing ({@code status}: 400, or another 4xx), as a ValidationError.
   */
  public static RuntimeError invalidRequest(int status, String message) {
    return of(status, "ValidationError", message);
  }

  /**
   * A fault in the gateway itself: the client learns only the error id, which the gateway logged
   * with the cause.
   */
  public static RuntimeError internalFailure(String errorId) {
    return of(
        500,
        "InternalFailure",
        "The gateway failed to process the request (error id " + errorId + ", in its log).");
  }

  /**
   * An asynchronous request that could not be recorded in S3 before it was accepted: refused, as
   * SageMaker refuses what it cannot queue (ServiceUnavailable, which the SDKs retry).
   */
  public static RuntimeError notRecorded(Throwable cause) {
    return of(
        503,
        "ServiceUnavailable",
        "The request could not be recorded under the endpoint's output path in S3: "
            + cause.getMessage());
  }

  public static RuntimeError endpointNotFound(String endpointName) {
    return validation("Endpoint " + endpointName + " not found.");
  }

  public static RuntimeError payloadTooLarge(long maxBytes) {
    return of(
        413,
        "ValidationError",
        "Request payload exceeds the " + maxBytes + "-byte limit for real-time inference.");
  }

  /** Access refused the credential; a 401 says how to send one. */
  public static RuntimeError refused(int status, String code, String message) {
    return new RuntimeError(
        status,
        code,
        message,
        Map.of(),
        status == 401 ? Map.of("WWW-Authenticate", "Bearer realm=\"ebb\"") : Map.of());
  }

  /** {@code max} requests are already held for a copy of {@code component} (either backend). */
  public static RuntimeError tooManyHeld(int max, String component) {
    return new RuntimeError(
        429,
        "ModelNotReadyException",
        max
            + " requests are already waiting for a copy of "
            + component
            + " to start; retry later.",
        Map.of(),
        Map.of("Retry-After", "10"));
  }

  /** Holding the request would pass the gateway's bound on held bytes (either backend). */
  public static RuntimeError tooManyHeldBytes(String component) {
    return new RuntimeError(
        429,
        "ModelNotReadyException",
        "The gateway already holds as many request bytes as it may (ebb.gateway.max-held-bytes)"
            + " while copies start, "
            + component
            + "'s among them; retry later.",
        Map.of(),
        Map.of("Retry-After", "10"));
  }

  /** No copy became ready while the request was held (either backend). */
  public static RuntimeError noCopyInTime(String component, Duration heldFor) {
    return of(
        504,
        "ModelNotReadyException",
        "No copy of " + component + " became ready within " + heldFor.toSeconds() + " s.");
  }

  /** The component was deleted while the request was held for it. */
  public static RuntimeError componentDeleted(String component) {
    return validation("Inference Component " + component + " was deleted.");
  }

  /** The model answered non-2xx: SageMaker's ModelError, with the model's status and body. */
  public static RuntimeError modelError(int modelStatus, String component, String modelMessage) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("OriginalStatusCode", modelStatus);
    fields.put("OriginalMessage", modelMessage);
    return new RuntimeError(
        424,
        "ModelError",
        "Received client error ("
            + modelStatus
            + ") from the model in component "
            + component
            + " with message \""
            + modelMessage
            + "\".",
        fields,
        Map.of());
  }

  /**
   * A call to a copy failed: no answer within {@code timeout} is the model's error (504), anything
   * else (connection refused, reset) the copy's (502).
   */
  public static RuntimeError copyFailed(Throwable cause, String component, Duration timeout) {
    if (isTimeout(cause)) {
      return of(
          504,
          "ModelError",
          "The model in component "
              + component
              + " did not answer within "
              + timeout.toSeconds()
              + " s.");
    }
    return of(
        502,
        "InternalDependencyException",
        "The copy of " + component + " the request was sent to failed: " + cause.getMessage());
  }

  /** Whether a call failed because its answer did not come in time. */
  public static boolean isTimeout(Throwable cause) {
    return cause instanceof java.util.concurrent.TimeoutException
        || cause instanceof io.netty.handler.timeout.TimeoutException;
  }

  public static RuntimeError sageMakerUnreachable(Throwable cause) {
    return of(
        502,
        "InternalDependencyException",
        "SageMaker Runtime could not be reached: " + cause.getMessage());
  }

  public static RuntimeError signingFailed(Throwable cause) {
    return of(
        500,
        "InternalFailure",
        "The gateway could not sign the request for SageMaker: " + cause.getMessage());
  }

  /** Answers with this error, unless the response is already over (the client left). */
  public void send(HttpServerResponse response) {
    if (response.ended() || response.closed()) {
      return;
    }
    JsonObject body = new JsonObject().put("__type", code).put("message", message);
    fields.forEach(body::put);
    headers.forEach(response::putHeader);
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("x-amzn-ErrorType", code)
        .end(body.toBuffer());
  }
}
