package dev.ebb.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * S3's REST-XML binding on the simulator's port. S3 requests are told apart by their SigV4
 * credential scope ({@code .../s3/aws4_request}), so bucket paths never collide with SageMaker's.
 * Errors are S3's XML {@code <Error>} documents; answers to HEAD have no body, errors included.
 */
final class S3Protocol {
  static final String XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

  private final Dispatcher dispatcher;

  S3Protocol(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  void handle(HttpExchange exchange, String region, byte[] body) throws IOException {
    S3Request request =
        S3Request.parse(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders(),
            body);
    S3Reply reply;
    try {
      reply = dispatcher.s3(region, request);
    } catch (AwsError e) {
      reply = error(request, e);
    }
    send(exchange, reply);
  }

  private static S3Reply error(S3Request request, AwsError e) {
    StringBuilder xml = new StringBuilder(Xml.DECLARATION).append("<Error>");
    Xml.element(xml, "Code", e.code());
    Xml.element(xml, "Message", e.getMessage());
    switch (e.code()) {
      case "NoSuchKey" -> Xml.element(xml, "Key", request.key());
      case "NoSuchBucket", "BucketNotEmpty", "BucketAlreadyOwnedByYou", "InvalidBucketName" ->
          Xml.element(xml, "BucketName", request.bucket());
      default -> {}
    }
    Xml.element(xml, "RequestId", requestId());
    xml.append("</Error>");
    return S3Reply.of(e.status())
        .header("Content-Type", "application/xml")
        .withBody(xml.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, S3Reply reply) throws IOException {
    var headers = exchange.getResponseHeaders();
    reply.headers().forEach(headers::set);
    headers.set("x-amz-request-id", requestId());
    headers.set("x-amz-id-2", UUID.randomUUID().toString());
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    if (head || reply.body().length == 0) {
      // The JDK server sends no Content-Length for these; a HEAD answer keeps the one set above.
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(reply.status(), reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply.body());
    }
  }

  private static String requestId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
  }
}
