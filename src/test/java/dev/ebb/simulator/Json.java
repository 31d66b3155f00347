package dev.ebb.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jackson in the shapes the AWS JSON protocols use. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Parses a request body; an empty body is an empty structure, as the SDK sends for no input. */
  static ObjectNode parseObject(byte[] body) {
    if (body.length == 0) {
      return object();
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // falls through to the protocol's answer for a body it cannot read
    }
    throw AwsError.of(400, "SerializationException", "Could not parse the request body as JSON");
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** awsJson timestamps are epoch seconds as a JSON number, with milliseconds as a fraction. */
  static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
  }

  static Instant instant(JsonNode node) {
    return Instant.ofEpochMilli(node.decimalValue().movePointRight(3).longValue());
  }

  static String text(JsonNode node, String member) {
    JsonNode value = node == null ? null : node.get(member);
    return value == null || value.isNull() ? null : value.asText();
  }

  static ObjectNode child(JsonNode node, String member) {
    JsonNode value = node == null ? null : node.get(member);
    return value instanceof ObjectNode object ? object : null;
  }

  static List<ObjectNode> objects(JsonNode node, String member) {
    List<ObjectNode> out = new ArrayList<>();
    JsonNode value = node == null ? null : node.get(member);
    if (value != null && value.isArray()) {
      value.forEach(item -> out.add(item instanceof ObjectNode o ? o : object()));
    }
    return out;
  }

  static ArrayNode tags(Map<String, String> tags) {
    ArrayNode out = array();
    tags.forEach((k, v) -> out.addObject().put("Key", k).put("Value", v));
    return out;
  }

  static Map<String, String> tagMap(List<ObjectNode> tags) {
    Map<String, String> out = new LinkedHashMap<>();
    tags.forEach(t -> out.put(text(t, "Key"), text(t, "Value") == null ? "" : text(t, "Value")));
    return out;
  }
}
