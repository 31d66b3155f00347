package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP face of the simulator, routing on one port by the SigV4 credential scope's service and
 * then by path: S3 ({@code .../s3/aws4_request}) goes to {@link S3Protocol}; {@code POST /} is the
 * SageMaker control plane and Application Auto Scaling (awsJson1_1, operation in X-Amz-Target) and
 * CloudWatch and SNS (AWS Query: a form with Action=..., answered in XML); {@code POST
 * /endpoints/{name}/invocations} (and {@code invocations-response-stream}, {@code
 * async-invocations}) is SageMaker Runtime ({@link RuntimeProtocol}); {@code /_sim/} is the admin
 * API.
 */
final class WireProtocol implements HttpHandler {
  static final String DEFAULT_REGION = "us-east-1";
  private static final String AMZ_JSON = "application/x-amz-json-1.1";

  /** SageMaker's and Application Auto Scaling's awsJson1_1 target prefixes. */
  private static final List<String> TARGET_PREFIXES =
      List.of("SageMaker.", "AnyScaleFrontendService.");

  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([a-z0-9-]+)/([^/,\\s]+)/aws4_request");
  private static final Pattern INVOCATIONS =
      Pattern.compile(
          "^/endpoints/([^/]+)/(invocations|invocations-response-stream|async-invocations)$");

  private final Dispatcher dispatcher;
  private final AdminApi admin;
  private final S3Protocol s3;
  private final RuntimeProtocol runtime;

  WireProtocol(Dispatcher dispatcher, AdminApi admin) {
    this.dispatcher = dispatcher;
    this.admin = admin;
    this.s3 = new S3Protocol(dispatcher);
    this.runtime = new RuntimeProtocol(dispatcher);
  }

  /**
   * Signatures are not verified, but the region comes from the SigV4 credential scope, as it
   * selects the regional service endpoint in AWS. Unsigned requests count as us-east-1.
   */
  static String region(String authorization) {
    Matcher m = CREDENTIAL.matcher(authorization == null ? "" : authorization);
    return m.find() ? m.group(1) : DEFAULT_REGION;
  }

  /** The signing service of the credential scope ("sagemaker", "s3", "sns"...), or null. */
  static String service(String authorization) {
    Matcher m = CREDENTIAL.matcher(authorization == null ? "" : authorization);
    return m.find() ? m.group(2) : null;
  }

  /**
   * Where the request names its credential scope: the Authorization header, or for a presigned URL
   * the X-Amz-Credential query member (returned in the header's {@code Credential=} form).
   */
  private static String scope(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String query = exchange.getRequestURI().getRawQuery();
    if (authorization != null || query == null) {
      return authorization;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("X-Amz-Credential=")) {
        String credential = pair.substring("X-Amz-Credential=".length());
        return "Credential=" + URLDecoder.decode(credential, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/_sim") || path.startsWith("/_sim/")) {
        admin.handle(exchange, body);
        return;
      }
      String authorization = scope(exchange);
      String region = region(authorization);
      String service = service(authorization);
      Matcher invocation = INVOCATIONS.matcher(path);
      // Unsigned GETs and HEADs are anonymous S3 reads (a public bucket), as Ebb's model fetcher
      // sends them when it finds no credentials. SageMaker's APIs are all signed POSTs.
      boolean anonymousRead = service == null && ("GET".equals(method) || "HEAD".equals(method));
      if ("s3".equals(service) || anonymousRead) {
        s3.handle(exchange, region, body);
      } else if ("POST".equals(method) && invocation.matches()) {
        String endpoint = URLDecoder.decode(invocation.group(1), StandardCharsets.UTF_8);
        runtime.handle(exchange, region, endpoint, invocation.group(2), body);
      } else if ("POST".equals(method) && "/".equals(path)) {
        control(exchange, region, service, body);
      } else {
        error(
            exchange,
            AwsError.of(404, "UnknownOperationException", "No route for " + method + " " + path),
            true);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  private void control(HttpExchange exchange, String region, String service, byte[] body)
      throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (target == null
        && contentType != null
        && contentType.startsWith("application/x-www-form-urlencoded")) {
      query(exchange, region, "sns".equals(service), body);
      return;
    }
    String prefix =
        TARGET_PREFIXES.stream()
            .filter(p -> target != null && target.startsWith(p))
            .findFirst()
            .orElse(null);
    String operation = prefix != null ? target.substring(prefix.length()) : String.valueOf(target);
    ObjectNode request;
    try {
      if (prefix == null) {
        throw AwsError.of(400, "UnknownOperationException", "Unknown X-Amz-Target " + target + ".");
      }
      request = Json.parseObject(body);
    } catch (AwsError e) {
      dispatcher.refused(
          region, operation, new TextNode(new String(body, StandardCharsets.UTF_8)), e);
      error(exchange, e, true);
      return;
    }
    try {
      ObjectNode out = dispatcher.control(region, operation, request);
      send(exchange, 200, AMZ_JSON, Json.bytes(out));
    } catch (AwsError e) {
      error(exchange, e, true);
    }
  }

  /** CloudWatch and SNS: the AWS Query protocol (form in, XML out). */
  private void query(HttpExchange exchange, String region, boolean sns, byte[] body)
      throws IOException {
    String action = QueryProtocol.action(body);
    String xmlns = sns ? QueryProtocol.SNS_XMLNS : QueryProtocol.CLOUDWATCH_XMLNS;
    try {
      if (action == null) {
        AwsError e = AwsError.of(400, "MissingAction", "The request has no Action.");
        dispatcher.refused(region, "?", new TextNode(new String(body, StandardCharsets.UTF_8)), e);
        throw e;
      }
      ObjectNode request = QueryProtocol.parse(body);
      ObjectNode out =
          sns
              ? dispatcher.sns(region, action, request)
              : dispatcher.control(region, action, request);
      send(exchange, 200, QueryProtocol.CONTENT_TYPE, QueryProtocol.response(action, out, xmlns));
    } catch (AwsError e) {
      send(exchange, e.status(), QueryProtocol.CONTENT_TYPE, QueryProtocol.error(e, xmlns));
    }
  }

  /**
   * awsJson1_1 errors carry the code in {@code __type}; restJson1 errors in the x-amzn-ErrorType
   * header. Both get the header, which the SDK reads first.
   */
  static void error(HttpExchange exchange, AwsError e, boolean awsJson) throws IOException {
    exchange.getResponseHeaders().set("x-amzn-ErrorType", e.code());
    ObjectNode body = Json.object();
    if (awsJson) {
      body.put("__type", e.code());
    }
    body.put("message", e.getMessage());
    send(exchange, e.status(), awsJson ? AMZ_JSON : "application/json", Json.bytes(body));
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
