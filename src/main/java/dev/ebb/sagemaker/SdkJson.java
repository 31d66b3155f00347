package dev.ebb.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * An AWS SDK object as its service's JSON protocol carries it ({@code awsJson1_1}: Application Auto
 * Scaling), walked through the SDK's own field descriptions: each member under its wire name,
 * timestamps as epoch seconds, unset members left out. So the objects the operator compiles reach
 * what-if ({@code dev.ebb.whatif.aws}) in the very shape AWS stores them.
 */
final class SdkJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SdkJson() {}

  static ObjectNode of(SdkPojo pojo) {
    ObjectNode out = NODES.objectNode();
    for (SdkField<?> field : pojo.sdkFields()) {
      Object value = field.getValueOrDefault(pojo);
      JsonNode node = value(value);
      if (node != null) {
        out.set(field.locationName(), node);
      }
    }
    return out;
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof SdkPojo pojo) {
      return of(pojo);
    }
    if (value instanceof Collection<?> list) {
      if (list instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>) {
        return null; // never set: the SDK does not send it
      }
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(value(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      if (map instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>) {
        return null;
      }
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
      return object;
    }
    if (value instanceof Instant instant) {
      return NODES.numberNode(
          BigDecimal.valueOf(instant.getEpochSecond())
              .add(BigDecimal.valueOf(instant.getNano(), 9))
              .stripTrailingZeros());
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    return NODES.textNode(value.toString());
  }
}
