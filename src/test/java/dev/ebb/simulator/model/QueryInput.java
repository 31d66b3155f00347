package dev.ebb.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Brings a value whose scalars are text (a form of the AWS Query protocol, as {@code
 * QueryProtocol.parse} reads {@code Dimensions.member.1.Name=...}, or a REST header) to the typed
 * JSON that {@link ShapeValidator} checks, led by the model: numbers and booleans parsed, maps
 * rebuilt from their {@code entry.N} items (keyed by the map's {@code locationName}s, {@code
 * key}/{@code value} by default, SNS's {@code Name}/{@code Value}), members found under their
 * {@code locationName}. Text that does not parse stays text, so the validator reports its type;
 * values already typed are kept, which makes this safe on JSON too.
 */
public final class QueryInput {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ServiceModel model;

  private QueryInput(ServiceModel model) {
    this.model = model;
  }

  /** {@code value} typed as the model's {@code shape}. */
  public static JsonNode typed(ServiceModel model, String shape, JsonNode value) {
    return new QueryInput(model).convert(model.shape(shape), value);
  }

  JsonNode convert(JsonNode shape, JsonNode value) {
    if (value == null || value.isNull()) {
      return value;
    }
    return switch (shape.path("type").asText()) {
      case "structure" -> structure(shape, value);
      case "list" -> list(shape, value);
      case "map" -> map(shape, value);
      case "integer", "long" -> integral(value);
      case "float", "double" -> decimal(value);
      case "boolean" -> bool(value);
      default -> value;
    };
  }

  private JsonNode structure(JsonNode shape, JsonNode value) {
    if (!value.isObject()) {
      return value;
    }
    ObjectNode out = NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      String wire = member.getValue().path("locationName").asText(member.getKey());
      JsonNode given = value.has(wire) ? value.get(wire) : value.get(member.getKey());
      if (given != null) {
        out.set(member.getKey(), convert(target(member.getValue()), given));
      }
    }
    // Members the model does not know are kept, for the output check to report.
    value
        .fields()
        .forEachRemaining(
            f -> {
              if (!out.has(f.getKey()) && !isWireNameOfAMember(shape, f.getKey())) {
                out.set(f.getKey(), f.getValue());
              }
            });
    return out;
  }

  private static boolean isWireNameOfAMember(JsonNode shape, String name) {
    Iterator<JsonNode> members = shape.path("members").elements();
    while (members.hasNext()) {
      if (name.equals(members.next().path("locationName").asText(null))) {
        return true;
      }
    }
    return false;
  }

  private JsonNode list(JsonNode shape, JsonNode value) {
    if (!value.isArray()) {
      return value;
    }
    JsonNode item = target(shape.path("member"));
    var out = NODES.arrayNode();
    value.forEach(v -> out.add(convert(item, v)));
    return out;
  }

  /** A map arrives as items of its entries ({@code Attributes.entry.1.key=...}) or as an object. */
  private JsonNode map(JsonNode shape, JsonNode value) {
    JsonNode valueShape = target(shape.path("value"));
    ObjectNode out = NODES.objectNode();
    if (value.isObject()) {
      value.fields().forEachRemaining(e -> out.set(e.getKey(), convert(valueShape, e.getValue())));
      return out;
    }
    if (!value.isArray()) {
      return value;
    }
    String key = shape.path("key").path("locationName").asText("key");
    String val = shape.path("value").path("locationName").asText("value");
    for (JsonNode entry : value) {
      if (entry.hasNonNull(key)) {
        out.set(entry.get(key).asText(), convert(valueShape, entry.get(val)));
      }
    }
    return out;
  }

  private JsonNode target(JsonNode reference) {
    return model.shape(reference.path("shape").asText());
  }

  private static JsonNode integral(JsonNode value) {
    if (!value.isTextual()) {
      return value;
    }
    try {
      return NODES.numberNode(new BigDecimal(value.asText().strip()).toBigIntegerExact());
    } catch (ArithmeticException | NumberFormatException e) {
      return value;
    }
  }

  private static JsonNode decimal(JsonNode value) {
    if (!value.isTextual()) {
      return value;
    }
    try {
      return NODES.numberNode(new BigDecimal(value.asText().strip()));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static JsonNode bool(JsonNode value) {
    if (value.isTextual() && value.asText().matches("true|false")) {
      return NODES.booleanNode(Boolean.parseBoolean(value.asText()));
    }
    return value;
  }
}
