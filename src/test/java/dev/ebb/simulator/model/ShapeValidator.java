package dev.ebb.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a value against a shape of a {@link ServiceModel}: required members, types, enums, lengths
 * (of strings, blobs, lists and maps), numeric ranges and patterns, and reports each violation in
 * the words of AWS's (Coral) front ends: {@code Value 'x' at 'endpointName' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: ...}. Paths are the member names with
 * a lower-case first letter, list items as {@code productionVariants.1.member}.
 *
 * <p>The value is JSON as the JSON protocols carry it (timestamps as numbers or text, blobs as
 * base64 text or raw bytes); the query and REST protocols are brought to that form first ({@link
 * QueryInput}, {@link RestInput}). Output checking also reports members the model does not have,
 * since a simulator answering them is inventing a field.
 */
public final class ShapeValidator {
  private final ServiceModel model;
  private final boolean output;
  private final List<String> violations = new ArrayList<>();

  private ShapeValidator(ServiceModel model, boolean output) {
    this.model = model;
    this.output = output;
  }

  /** The violations of a request, in the order found. */
  public static List<String> input(ServiceModel model, String shape, JsonNode value) {
    return check(model, shape, value, false);
  }

  /** The violations of an answer, unknown members included. */
  public static List<String> output(ServiceModel model, String shape, JsonNode value) {
    return check(model, shape, value, true);
  }

  private static List<String> check(
      ServiceModel model, String shape, JsonNode value, boolean output) {
    ShapeValidator validator = new ShapeValidator(model, output);
    validator.structureMembers(model.shape(shape), value, "");
    return validator.violations;
  }

  /** AWS's summary of a request's violations, as the message of its validation error. */
  public static String summary(List<String> violations) {
    int n = violations.size();
    return n
        + " validation error"
        + (n == 1 ? "" : "s")
        + " detected: "
        + String.join("; ", violations);
  }

  static String at(String parent, String member) {
    String camel = member.substring(0, 1).toLowerCase(Locale.ROOT) + member.substring(1);
    return parent.isEmpty() ? camel : parent + "." + camel;
  }

  private void value(JsonNode shape, JsonNode value, String path) {
    if (shape.path("streaming").asBoolean()) {
      return; // streamed on the wire: no value to check
    }
    if (shape.path("eventstream").asBoolean() && !value.isObject()) {
      return; // framed on the wire, and not given as events: nothing to check
    }
    // An event stream given as {"EventName": {...}} is checked as the union of its events.
    String type = shape.path("type").asText();
    switch (type) {
      case "structure" -> structure(shape, value, path);
      case "list" -> list(shape, value, path);
      case "map" -> map(shape, value, path);
      case "string" -> string(shape, value, path);
      case "integer", "long" -> number(shape, value, path, true);
      case "float", "double" -> number(shape, value, path, false);
      case "boolean" -> {
        if (!value.isBoolean()) {
          add(value, path, "Member must be a boolean");
        }
      }
      case "timestamp" -> {
        if (!value.isNumber() && !value.isTextual()) {
          add(value, path, "Member must be a timestamp");
        }
      }
      case "blob" -> blob(shape, value, path);
      default -> throw new IllegalStateException("Unknown shape type " + type + " at " + path);
    }
  }

  private void structure(JsonNode shape, JsonNode value, String path) {
    if (!value.isObject()) {
      add(value, path, "Member must be a structure");
      return;
    }
    structureMembers(shape, value, path);
  }

  private void structureMembers(JsonNode shape, JsonNode value, String path) {
    JsonNode members = shape.path("members");
    for (JsonNode required : shape.path("required")) {
      JsonNode given = value.get(required.asText());
      if (given == null || given.isNull()) {
        add(null, at(path, required.asText()), "Member must not be null");
      }
    }
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode member = members.get(field.getKey());
      if (member == null) {
        // Requests: AWS ignores members it does not know. Answers: the simulator made one up.
        if (output) {
          add(field.getValue(), at(path, field.getKey()), "Member is not in the model");
        }
      } else if (!field.getValue().isNull()) {
        value(
            model.shape(member.path("shape").asText()), field.getValue(), at(path, field.getKey()));
      }
    }
  }

  private void list(JsonNode shape, JsonNode value, String path) {
    if (!value.isArray()) {
      add(value, path, "Member must be a list");
      return;
    }
    length(shape, value.size(), value, path);
    JsonNode item = model.shape(shape.path("member").path("shape").asText());
    if (isScalar(item)) {
      // AWS reports a list of scalars as a whole: "Member must satisfy constraint: [...]".
      List<String> inner = scalarViolations(item, value);
      if (!inner.isEmpty()) {
        add(value, path, "Member must satisfy constraint: " + inner);
      }
      return;
    }
    for (int i = 0; i < value.size(); i++) {
      value(item, value.get(i), path + "." + (i + 1) + ".member");
    }
  }

  private void map(JsonNode shape, JsonNode value, String path) {
    if (!value.isObject()) {
      add(value, path, "Member must be a map");
      return;
    }
    length(shape, value.size(), value, path);
    JsonNode keyShape = model.shape(shape.path("key").path("shape").asText());
    JsonNode valueShape = model.shape(shape.path("value").path("shape").asText());
    ArrayNode keys = JsonNodeFactory.instance.arrayNode();
    value.fieldNames().forEachRemaining(keys::add);
    List<String> keyViolations = scalarViolations(keyShape, keys);
    if (!keyViolations.isEmpty()) {
      add(value, path, "Map keys must satisfy constraint: " + keyViolations);
    }
    if (isScalar(valueShape)) {
      List<String> inner = new ArrayList<>();
      value.forEach(v -> inner.addAll(scalarViolations(valueShape, v)));
      if (!inner.isEmpty()) {
        add(
            value,
            path,
            "Map value must satisfy constraint: " + inner.stream().distinct().toList());
      }
      return;
    }
    // Structured values: AWS's wording for these is not documented; the key names the entry.
    value.fields().forEachRemaining(e -> value(valueShape, e.getValue(), path + "." + e.getKey()));
  }

  private static boolean isScalar(JsonNode shape) {
    String type = shape.path("type").asText();
    return !type.equals("structure") && !type.equals("list") && !type.equals("map");
  }

  /** The distinct constraints the scalar items break, as AWS lists them inside "[...]". */
  private List<String> scalarViolations(JsonNode shape, JsonNode items) {
    ShapeValidator inner = new ShapeValidator(model, output);
    items.forEach(item -> inner.value(shape, item, ""));
    return inner.violations.stream()
        .map(v -> v.substring(v.indexOf("constraint: ") + "constraint: ".length()))
        .distinct()
        .toList();
  }

  private void string(JsonNode shape, JsonNode value, String path) {
    if (!value.isTextual()) {
      add(value, path, "Member must be a string");
      return;
    }
    String text = value.asText();
    // Lengths count characters (code points), not UTF-16 units.
    length(shape, text.codePointCount(0, text.length()), value, path);
    if (shape.has("enum")) {
      List<String> allowed = new ArrayList<>();
      shape.path("enum").forEach(e -> allowed.add(e.asText()));
      if (!allowed.contains(text)) {
        add(value, path, "Member must satisfy enum value set: " + allowed);
      }
    }
    if (shape.has("pattern") && !ModelPatterns.matches(shape.path("pattern").asText(), text)) {
      add(
          value,
          path,
          "Member must satisfy regular expression pattern: " + shape.path("pattern").asText());
    }
  }

  private void number(JsonNode shape, JsonNode value, String path, boolean integral) {
    if (!value.isNumber() || (integral && !value.isIntegralNumber())) {
      add(value, path, "Member must be " + (integral ? "an integer" : "a number"));
      return;
    }
    BigDecimal number = value.decimalValue();
    if (shape.has("min") && number.compareTo(shape.path("min").decimalValue()) < 0) {
      add(value, path, "Member must have value greater than or equal to " + bound(shape, "min"));
    }
    if (shape.has("max") && number.compareTo(shape.path("max").decimalValue()) > 0) {
      add(value, path, "Member must have value less than or equal to " + bound(shape, "max"));
    }
  }

  private void blob(JsonNode shape, JsonNode value, String path) {
    int size;
    if (value.isBinary()) {
      size = ((BinaryNode) value).binaryValue().length;
    } else if (value.isTextual()) {
      try {
        size = Base64.getDecoder().decode(value.asText()).length;
      } catch (IllegalArgumentException e) {
        add(value, path, "Member must be base64-encoded");
        return;
      }
    } else {
      add(value, path, "Member must be a blob");
      return;
    }
    length(shape, size, value, path);
  }

  private void length(JsonNode shape, long length, JsonNode value, String path) {
    if (shape.has("min") && length < shape.path("min").asLong()) {
      add(value, path, "Member must have length greater than or equal to " + bound(shape, "min"));
    }
    if (shape.has("max") && length > shape.path("max").asLong()) {
      add(value, path, "Member must have length less than or equal to " + bound(shape, "max"));
    }
  }

  /** A bound as the model writes it (1, not 1.0; 0.25 stays 0.25). */
  private static String bound(JsonNode shape, String which) {
    return shape.path(which).decimalValue().stripTrailingZeros().toPlainString();
  }

  private void add(JsonNode value, String path, String constraint) {
    violations.add(
        "Value " + shown(value) + " at '" + path + "' failed to satisfy constraint: " + constraint);
  }

  /** How AWS quotes a value: 'text', numbers bare in quotes, null without quotes. */
  private static String shown(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isBinary()) {
      return "'java.nio.HeapByteBuffer[size=" + ((BinaryNode) value).binaryValue().length + "]'";
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(v.isValueNode() ? v.asText() : v.toString()));
      return "'" + items + "'";
    }
    return "'" + (value.isValueNode() ? value.asText() : value.toString()) + "'";
  }
}
