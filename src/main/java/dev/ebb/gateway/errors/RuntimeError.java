package dev.ebb.gateway;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Errors shaped as SageMaker Runtime sends them (restJson1): the error code in {@code
 * x-amzn-ErrorType} and in the body's {@code __type}, so the AWS SDKs raise their modelled
 * exceptions (ValidationErrorException, ModelErrorException, ModelNotReadyException...).
 */
final class RuntimeErrors {
  private RuntimeErrors() {}

  static void send(HttpServerResponse response, int status, String code, String message) {
    send(response, status, code, message, Map.of());
  }

  static void send(
      HttpServerResponse response,
      int status,
      String code,
      String message,
      Map<String, Object> fields) {
    if (response.ended() || response.closed()) {
      return;
    }
    JsonObject body = new JsonObject().put("__type", code).put("message", message);
    fields.forEach(body::put);
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("x-amzn-ErrorType", code)
        .end(body.toBuffer());
  }
}
