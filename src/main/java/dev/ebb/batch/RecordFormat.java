package dev.ebb.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two formats DataProcessing works on (developer guide: "You can use input files in JSON and
 * CSV format only"; ContentType and Accept one of {@code text/csv}, {@code application/json},
 * {@code application/jsonlines}). A CSV row is taken as a JSON array of its fields ("For CSV data,
 * each row is taken as a JSON array").
 */
public enum RecordFormat {
  CSV,
  JSON;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The format of a MIME type (parameters ignored), or empty for any other. */
  public static Optional<RecordFormat> of(String mimeType) {
    if (mimeType == null) {
      return Optional.empty();
    }
    String type = mimeType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "text/csv" -> Optional.of(CSV);
      case "application/json", "application/jsonlines" -> Optional.of(JSON);
      default -> Optional.empty();
    };
  }

  /** One record as JSON. */
  public JsonNode read(String record) {
    if (this == CSV) {
      ArrayNode row = JsonNodeFactory.instance.arrayNode();
      CsvRow.parse(record).forEach(row::add);
      return row;
    }
    try {
      JsonNode node = MAPPER.readTree(record);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("an empty JSON record");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a JSON record: "
              + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage()
                  : e.getMessage()),
          e);
    }
  }

  /** One record back to bytes (no line break). */
  public byte[] write(JsonNode node) {
    if (this == CSV) {
      List<String> fields = new ArrayList<>();
      if (node.isArray()) {
        node.forEach(f -> fields.add(field(f)));
      } else if (node.isValueNode()) {
        fields.add(field(node));
      } else {
        throw new IllegalArgumentException("a CSV row must be an array, not " + node);
      }
      return CsvRow.format(fields).getBytes(StandardCharsets.UTF_8);
    }
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String field(JsonNode f) {
    return f.isTextual() ? f.asText() : f.toString();
  }
}
