package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.simulator.model.RestInput;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One S3 REST request in path style ({@code /bucket/key?query}, as the SDK sends with
 * forcePathStyle), with its headers (names case-insensitive) and its body as received.
 */
record S3Request(
    String method,
    String bucket,
    String key,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body) {

  /** Query members that do not change the operation; any other names a sub-resource. */
  private static final Set<String> PLAIN = Set.of("x-id", "versionId");

  static S3Request parse(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String key = slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          String name =
              URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          // A presigned URL's signature members (X-Amz-Credential...) are not part of the request.
          if (!name.startsWith("X-Amz-")) {
            query.put(
                name,
                eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
    }
    Map<String, String> first = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> first.put(name, values.isEmpty() ? "" : values.get(0)));
    return new S3Request(
        method,
        bucket.isEmpty() ? null : pathDecode(bucket),
        key == null ? null : pathDecode(key),
        query,
        first,
        body);
  }

  /** Percent-decoding for a path, where a '+' is itself and not a space. */
  private static String pathDecode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  String header(String name) {
    return headers.get(name);
  }

  /**
   * The S3 operation, from the method and the path's shape. The SDK names most object operations
   * itself in an {@code x-id} query member; anything with another sub-resource ({@code ?tagging},
   * {@code ?uploads}) is not simulated.
   */
  String operation() {
    if (query.containsKey("x-id")) {
      return query.get("x-id");
    }
    if (bucket == null) {
      return "GET".equals(method) ? "ListBuckets" : "Unsupported";
    }
    if (key == null) {
      return switch (method) {
        case "PUT" -> query.isEmpty() ? "CreateBucket" : "Unsupported";
        case "HEAD" -> "HeadBucket";
        case "DELETE" -> query.isEmpty() ? "DeleteBucket" : "Unsupported";
        case "GET" -> "2".equals(query.get("list-type")) ? "ListObjectsV2" : "ListObjects";
        default -> "Unsupported";
      };
    }
    if (!PLAIN.containsAll(query.keySet())) {
      return "Unsupported";
    }
    return switch (method) {
      case "PUT" -> header("x-amz-copy-source") != null ? "CopyObject" : "PutObject";
      case "GET" -> "GetObject";
      case "HEAD" -> "HeadObject";
      case "DELETE" -> "DeleteObject";
      default -> "Unsupported";
    };
  }

  /** The request as the S3 model binds it: {Bucket} and {Key+} labels, query, headers, body. */
  RestInput.Message modelMessage() {
    Map<String, String> labels = new LinkedHashMap<>();
    if (bucket != null) {
      labels.put("Bucket", bucket);
    }
    if (key != null) {
      labels.put("Key", key);
    }
    return new RestInput.Message(labels, query, headers, body);
  }

  /** What the call log records: the target and the query; the size of the body, not its bytes. */
  ObjectNode toJson() {
    ObjectNode out = Json.object().put("Bucket", bucket).put("Key", key);
    ObjectNode q = out.putObject("Query");
    query.forEach(q::put);
    out.put("ContentType", header("Content-Type"));
    out.put("ContentEncoding", header("Content-Encoding"));
    return out.put("BodyLength", body.length);
  }
}
