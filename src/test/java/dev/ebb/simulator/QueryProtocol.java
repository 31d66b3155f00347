package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The AWS Query protocol CloudWatch and SNS speak in the SDK: a form-encoded request ({@code
 * Action=PutMetricAlarm&Dimensions.member.1.Name=...}) and an XML answer. Requests become the same
 * JSON shape handlers see for the JSON protocols (lists from {@code .member.N}, maps from {@code
 * .entry.N} as lists of their Name/Value or key/value items), so one dispatcher serves all.
 */
final class QueryProtocol {
  static final String CONTENT_TYPE = "text/xml";
  static final String CLOUDWATCH_XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
  static final String SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

  private QueryProtocol() {}

  /** The form's members as JSON; {@code Action} and {@code Version} are left out. */
  static ObjectNode parse(byte[] body) {
    Map<String, String> params = new TreeMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    ObjectNode out = Json.object();
    params.forEach(
        (key, value) -> {
          if (!key.equals("Action") && !key.equals("Version")) {
            put(out, key.split("\\."), 0, value);
          }
        });
    return out;
  }

  static String action(byte[] body) {
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void put(JsonNode parent, String[] path, int i, String value) {
    String segment = path[i];
    boolean list =
        i + 1 < path.length && (path[i + 1].equals("member") || path[i + 1].equals("entry"));
    if (parent instanceof ObjectNode object) {
      if (i == path.length - 1) {
        object.put(segment, value);
      } else if (list) {
        ArrayNode array =
            object.has(segment) ? (ArrayNode) object.get(segment) : object.putArray(segment);
        putItem(array, path, i + 2, value);
      } else {
        ObjectNode child =
            object.has(segment) ? (ObjectNode) object.get(segment) : object.putObject(segment);
        put(child, path, i + 1, value);
      }
    }
  }

  /** {@code path[i]} is a 1-based index into {@code array}. */
  private static void putItem(ArrayNode array, String[] path, int i, String value) {
    int index = Integer.parseInt(path[i]) - 1;
    boolean scalar = i == path.length - 1;
    while (array.size() <= index) {
      if (scalar) {
        array.addNull();
      } else {
        array.addObject();
      }
    }
    if (scalar) {
      array.set(index, Json.MAPPER.getNodeFactory().textNode(value));
    } else {
      put(array.get(index), path, i + 1, value);
    }
  }

  static byte[] response(String action, ObjectNode result) {
    return response(action, result, CLOUDWATCH_XMLNS);
  }

  static byte[] response(String action, ObjectNode result, String xmlns) {
    StringBuilder xml = new StringBuilder();
    xml.append("<").append(action).append("Response xmlns=\"").append(xmlns).append("\">");
    xml.append("<").append(action).append("Result>");
    result.fields().forEachRemaining(e -> element(xml, e.getKey(), e.getValue()));
    xml.append("</").append(action).append("Result>");
    xml.append("<ResponseMetadata><RequestId>")
        .append(UUID.randomUUID())
        .append("</RequestId></ResponseMetadata>");
    xml.append("</").append(action).append("Response>");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] error(AwsError e) {
    return error(e, CLOUDWATCH_XMLNS);
  }

  static byte[] error(AwsError e, String xmlns) {
    String xml =
        "<ErrorResponse xmlns=\""
            + xmlns
            + "\"><Error><Type>"
            + (e.status() >= 500 ? "Receiver" : "Sender")
            + "</Type><Code>"
            + Xml.escape(e.code())
            + "</Code><Message>"
            + Xml.escape(e.getMessage())
            + "</Message></Error><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ErrorResponse>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  private static void element(StringBuilder xml, String name, JsonNode value) {
    xml.append("<").append(name).append(">");
    if (value.isObject()) {
      value.fields().forEachRemaining(e -> element(xml, e.getKey(), e.getValue()));
    } else if (value.isArray()) {
      value.forEach(item -> element(xml, "member", item));
    } else {
      xml.append(Xml.escape(value.asText()));
    }
    xml.append("</").append(name).append(">");
  }
}
