package dev.ebb.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.UUID;

/**
 * SageMaker Runtime's restJson1 binding: {@code POST /endpoints/{name}/invocations}
 * (InvokeEndpoint), {@code .../invocations-response-stream} (InvokeEndpointWithResponseStream) and
 * {@code .../async-invocations} (InvokeEndpointAsync). Errors before an answer starts are restJson1
 * errors, as for every runtime call.
 */
final class RuntimeProtocol {
  /** The simulated stream splits each answer into this many PayloadParts (fewer if it is short). */
  static final int STREAM_PARTS = 3;

  private final Dispatcher dispatcher;

  RuntimeProtocol(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  void handle(HttpExchange exchange, String region, String endpoint, String action, byte[] body)
      throws IOException {
    try {
      switch (action) {
        case "invocations" -> invoke(exchange, region, endpoint, body);
        case "invocations-response-stream" -> stream(exchange, region, endpoint, body);
        case "async-invocations" -> invokeAsync(exchange, region, endpoint);
        default -> throw new IllegalArgumentException(action);
      }
    } catch (AwsError e) {
      WireProtocol.error(exchange, e, false);
    }
  }

  private void invoke(HttpExchange exchange, String region, String endpoint, byte[] body)
      throws IOException {
    Headers headers = exchange.getRequestHeaders();
    Invocation.Reply reply =
        dispatcher.invoke(region, invocation(headers, endpoint, headers.getFirst("Accept"), body));
    exchange.getResponseHeaders().set("x-Amzn-Invoked-Production-Variant", reply.invokedVariant());
    customAttributes(exchange, reply);
    WireProtocol.send(exchange, 200, reply.contentType(), reply.body());
  }

  /**
   * The echoed answer as PayloadPart events, written and flushed one by one (chunked), so a client
   * sees a real stream. The answer's own content type travels in X-Amzn-SageMaker-Content-Type.
   */
  private void stream(HttpExchange exchange, String region, String endpoint, byte[] body)
      throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String accept = headers.getFirst("X-Amzn-SageMaker-Accept");
    Invocation.Reply reply = dispatcher.stream(region, invocation(headers, endpoint, accept, body));
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", EventStreamFrames.CONTENT_TYPE);
    out.set("x-amzn-RequestId", UUID.randomUUID().toString());
    out.set("x-Amzn-Invoked-Production-Variant", reply.invokedVariant());
    out.set("X-Amzn-SageMaker-Content-Type", reply.contentType());
    customAttributes(exchange, reply);
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream stream = exchange.getResponseBody()) {
      byte[] bytes = reply.body();
      int size = Math.max(1, (bytes.length + STREAM_PARTS - 1) / STREAM_PARTS);
      for (int from = 0; from < bytes.length; from += size) {
        byte[] part = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size));
        stream.write(EventStreamFrames.payloadPart(part));
        stream.flush();
      }
    }
  }

  /** Answered 202 with the InferenceId; the locations are headers, where the SDK reads them. */
  private void invokeAsync(HttpExchange exchange, String region, String endpoint)
      throws IOException {
    Headers headers = exchange.getRequestHeaders();
    AsyncRequest request =
        new AsyncRequest(
            endpoint,
            headers.getFirst("X-Amzn-SageMaker-InputLocation"),
            headers.getFirst("X-Amzn-SageMaker-Content-Type"),
            headers.getFirst("X-Amzn-SageMaker-Accept"),
            headers.getFirst("X-Amzn-SageMaker-Custom-Attributes"),
            headers.getFirst("X-Amzn-SageMaker-Inference-Id"),
            headers.getFirst("X-Amzn-SageMaker-RequestTTLSeconds"),
            headers.getFirst("X-Amzn-SageMaker-InvocationTimeoutSeconds"));
    AsyncRequest.Accepted accepted = dispatcher.invokeAsync(region, request);
    var body = Json.object().put("InferenceId", accepted.inferenceId());
    body.put("OutputLocation", accepted.outputLocation());
    exchange.getResponseHeaders().set("X-Amzn-SageMaker-OutputLocation", accepted.outputLocation());
    if (accepted.failureLocation() != null) {
      body.put("FailureLocation", accepted.failureLocation());
      exchange
          .getResponseHeaders()
          .set("X-Amzn-SageMaker-FailureLocation", accepted.failureLocation());
    }
    WireProtocol.send(exchange, 202, "application/json", Json.bytes(body));
  }

  private static Invocation invocation(
      Headers headers, String endpoint, String accept, byte[] body) {
    return new Invocation(
        endpoint,
        headers.getFirst("Content-Type"),
        accept,
        headers.getFirst("X-Amzn-SageMaker-Inference-Component"),
        headers.getFirst("X-Amzn-SageMaker-Target-Variant"),
        headers.getFirst("X-Amzn-SageMaker-Custom-Attributes"),
        body);
  }

  private static void customAttributes(HttpExchange exchange, Invocation.Reply reply) {
    if (reply.customAttributes() != null) {
      exchange
          .getResponseHeaders()
          .set("X-Amzn-SageMaker-Custom-Attributes", reply.customAttributes());
    }
  }
}
