package dev.ebb.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Gathers the members of a REST request (S3's REST-XML, SageMaker Runtime's restJson1) from where
 * the model binds them: URI labels ({@code {Bucket}}, greedy {@code {Key+}}), query string,
 * headers, prefixed header maps ({@code x-amz-meta-}) and the payload, into the JSON {@link
 * ShapeValidator} checks. The same works for an answer's headers. An XML structure payload (S3's
 * CreateBucketConfiguration) is not read: the simulator never parses one either.
 */
public final class RestInput {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One HTTP message: labels the protocol parsed from the path, query, headers, body. */
  public record Message(
      Map<String, String> labels,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body) {}

  private RestInput() {}

  /**
   * The members of {@code shape} found in {@code message}; headers are matched without regard to
   * case, as HTTP has them.
   */
  public static JsonNode members(ServiceModel model, String shape, Message message) {
    JsonNode structure = model.shape(shape);
    ObjectNode out = NODES.objectNode();
    String payload = structure.path("payload").asText(null);
    boolean bodyMembers = false;
    Iterator<Map.Entry<String, JsonNode>> members = structure.path("members").fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> entry = members.next();
      String name = entry.getKey();
      JsonNode member = entry.getValue();
      String wire = member.path("locationName").asText(name);
      String value =
          switch (member.path("location").asText("")) {
            case "uri" -> message.labels().get(wire.replace("+", ""));
            case "querystring" -> message.query().get(wire);
            case "header" -> header(message.headers(), wire);
            default -> null;
          };
      if (value != null) {
        out.put(name, value);
      } else if ("headers".equals(member.path("location").asText())) {
        ObjectNode prefixed = prefixed(message.headers(), wire);
        if (!prefixed.isEmpty()) {
          out.set(name, prefixed);
        }
      } else if (name.equals(payload)) {
        payload(model, member, message.body(), out, name);
      } else if (!member.has("location")) {
        bodyMembers = true;
      }
    }
    if (bodyMembers && payload == null && message.body() != null && message.body().length > 0) {
      jsonBody(message.body(), out);
    }
    return QueryInput.typed(model, shape, out);
  }

  private static void payload(
      ServiceModel model, JsonNode member, byte[] body, ObjectNode out, String name) {
    String type = model.shape(member.path("shape").asText()).path("type").asText();
    if (body != null && "blob".equals(type)) {
      out.set(name, NODES.binaryNode(body));
    }
  }

  private static void jsonBody(byte[] body, ObjectNode out) {
    try {
      JsonNode parsed = MAPPER.readTree(body);
      if (parsed instanceof ObjectNode object) {
        object.fields().forEachRemaining(f -> out.set(f.getKey(), f.getValue()));
      }
    } catch (IOException e) {
      // Not JSON: the members stay absent, and required ones are reported missing.
    }
  }

  private static String header(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private static ObjectNode prefixed(Map<String, String> headers, String prefix) {
    ObjectNode out = NODES.objectNode();
    String lower = prefix.toLowerCase(Locale.ROOT);
    headers.forEach(
        (name, value) -> {
          if (name.toLowerCase(Locale.ROOT).startsWith(lower)) {
            out.put(name.substring(prefix.length()), value);
          }
        });
    return out;
  }
}
