package dev.ebb.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batch transform's DataProcessing ("Associate prediction results with input records"): InputFilter
 * and OutputFilter, JSONPath expressions of the subset SageMaker supports, and JoinSource Input, on
 * CSV records (each row taken as a JSON array of its fields) and JSON records. Sources in
 * docs/simulator.md.
 */
final class TransformDataProcessing {
  /** JSON kept as written as far as Jackson allows: exact decimals. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  /** A filter or join SageMaker would refuse while running: fails the object (and the job). */
  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** The record formats DataProcessing works on. */
  enum Format {
    CSV,
    JSON;

    /** The format of a MIME type, or null if DataProcessing cannot work on it. */
    static Format of(String mimeType) {
      if (mimeType == null) {
        return null;
      }
      String base = mimeType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      return switch (base) {
        case "text/csv" -> CSV;
        case "application/json", "application/jsonlines" -> JSON;
        default -> null;
      };
    }
  }

  private final String inputFilter;
  private final String outputFilter;
  private final boolean joinInput;

  TransformDataProcessing(String inputFilter, String outputFilter, String joinSource) {
    this.inputFilter = isRoot(inputFilter) ? null : inputFilter;
    this.outputFilter = isRoot(outputFilter) ? null : outputFilter;
    this.joinInput = "Input".equals(joinSource);
  }

  /** Whether anything is to be done: a filter other than {@code $}, or a join. */
  boolean active() {
    return inputFilter != null || outputFilter != null || joinInput;
  }

  boolean joinsInput() {
    return joinInput;
  }

  private static boolean isRoot(String path) {
    return path == null || path.isEmpty() || path.equals("$");
  }

  /** The part of a record passed to the model. */
  byte[] filterInput(byte[] record, Format format) {
    if (inputFilter == null) {
      return record;
    }
    return write(select(inputFilter, read(record, format)), format);
  }

  /** What is stored for one record: its result, joined with the input if asked, then filtered. */
  byte[] output(byte[] input, Format inputFormat, byte[] result, Format outputFormat) {
    JsonNode out;
    Format format = outputFormat;
    if (joinInput) {
      JsonNode in = read(input, inputFormat);
      JsonNode res = read(result, outputFormat);
      format = inputFormat;
      if (inputFormat == Format.CSV) {
        ArrayNode joined = ((ArrayNode) in).deepCopy();
        if (res.isArray()) {
          res.forEach(joined::add);
        } else {
          joined.add(res);
        }
        out = joined;
      } else if (in.isObject()) {
        ObjectNode joined = ((ObjectNode) in).deepCopy();
        joined.set("SageMakerOutput", res);
        out = joined;
      } else {
        ObjectNode joined = MAPPER.createObjectNode();
        joined.set("SageMakerInput", in);
        joined.set("SageMakerOutput", res);
        out = joined;
      }
    } else {
      if (outputFilter == null) {
        return result;
      }
      out = read(result, outputFormat);
    }
    return write(outputFilter == null ? out : select(outputFilter, out), format);
  }

  // --- records as JSON ---

  static JsonNode read(byte[] record, Format format) {
    String text = new String(record, StandardCharsets.UTF_8);
    if (format == Format.CSV) {
      return csvRow(stripNewline(text));
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Invalid("a record is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static byte[] write(JsonNode node, Format format) {
    String text;
    if (format == Format.CSV) {
      text = csvLine(node);
    } else {
      try {
        text = MAPPER.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String stripNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  /** One CSV row (RFC 4180) as a JSON array of its fields, as text. */
  static ArrayNode csvRow(String line) {
    ArrayNode row = MAPPER.createArrayNode();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new Invalid("a CSV record has an unterminated quoted field");
    }
    row.add(field.toString());
    return row;
  }

  /** A JSON value as a CSV row: an array's elements as fields, anything else as one field. */
  static String csvLine(JsonNode node) {
    List<String> fields = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> fields.add(csvField(v)));
    } else {
      fields.add(csvField(node));
    }
    return String.join(",", fields);
  }

  private static String csvField(JsonNode v) {
    String text = v.isValueNode() ? v.asText() : v.toString();
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }

  // --- JSONPath, the subset SageMaker documents ---

  /**
   * Evaluates {@code path}: {@code $}, {@code .name}, {@code .*} or {@code [*]}, {@code
   * ['a'(,'b')]}, {@code [n(,m)]} with negative indexes from the end, and slices {@code [a:b]} in
   * which, as SageMaker documents, both ends are included ({@code $[1:4]} is the second through
   * fifth columns) and either may be omitted; index lists and slices combine ({@code $[0,5:]}). A
   * single name or index yields the value itself; anything else the array (or, for several names,
   * the object) of what it selected.
   */
  static JsonNode select(String path, JsonNode root) {
    if (path == null || !path.startsWith("$")) {
      throw new Invalid("JSONPath " + path + " does not start with $");
    }
    List<JsonNode> current = new ArrayList<>(List.of(root));
    boolean definite = true;
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.' && i + 1 < path.length() && path.charAt(i + 1) == '[') {
        i++; // $.field.['a','b'] is $.field['a','b']
        continue;
      }
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        String name = path.substring(i + 1, end);
        if (name.isEmpty()) {
          throw new Invalid("JSONPath " + path + " has an empty name");
        }
        if (name.equals("*")) {
          current = wildcard(current);
          definite = false;
        } else {
          current = property(path, current, List.of(name), definite);
        }
        i = end;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          throw new Invalid("JSONPath " + path + " has an unclosed [");
        }
        String inside = path.substring(i + 1, end).strip();
        if (inside.equals("*")) {
          current = wildcard(current);
          definite = false;
        } else if (inside.startsWith("'")) {
          List<String> names = names(path, inside);
          if (names.size() == 1) {
            current = property(path, current, names, definite);
          } else {
            current = properties(current, names);
          }
        } else {
          Indexes idx = indexes(path, inside);
          current = elements(path, current, idx);
          definite &= idx.single();
        }
        i = end + 1;
      } else {
        throw new Invalid(
            "JSONPath " + path + " is not supported at \"" + path.substring(i) + "\"");
      }
    }
    if (definite && current.size() == 1) {
      return current.get(0);
    }
    ArrayNode out = MAPPER.createArrayNode();
    current.forEach(out::add);
    return out;
  }

  private static List<JsonNode> wildcard(List<JsonNode> nodes) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (n.isContainerNode()) {
        n.elements().forEachRemaining(out::add);
      }
    }
    return out;
  }

  private static List<JsonNode> property(
      String path, List<JsonNode> nodes, List<String> names, boolean definite) {
    List<JsonNode> out = new ArrayList<>();
    String name = names.get(0);
    for (JsonNode n : nodes) {
      if (n.isObject() && n.has(name)) {
        out.add(n.get(name));
      } else if (definite) {
        throw new Invalid("JSONPath " + path + ": no attribute '" + name + "' in the record");
      }
    }
    return out;
  }

  /** {@code ['a','b']}: of each object, a new object with those of its attributes. */
  private static List<JsonNode> properties(List<JsonNode> nodes, List<String> names) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (n.isObject()) {
        ObjectNode picked = MAPPER.createObjectNode();
        for (String name : names) {
          if (n.has(name)) {
            picked.set(name, n.get(name));
          }
        }
        out.add(picked);
      }
    }
    return out;
  }

  private static List<String> names(String path, String inside) {
    List<String> names = new ArrayList<>();
    for (String part : inside.split(",")) {
      String p = part.strip();
      if (p.length() < 2 || !p.startsWith("'") || !p.endsWith("'")) {
        throw new Invalid("JSONPath " + path + " has an invalid name list [" + inside + "]");
      }
      String name = p.substring(1, p.length() - 1);
      if (name.contains(".") || name.contains("[")) {
        // "$.field1.['child1','child2.grandchild']" is not supported (SageMaker's own words).
        throw new Invalid("JSONPath " + path + " nests children within brackets");
      }
      names.add(name);
    }
    return names;
  }

  private record Slice(Integer from, Integer to) {}

  private record Indexes(List<Object> items) {
    boolean single() {
      return items.size() == 1 && items.get(0) instanceof Integer;
    }
  }

  private static Indexes indexes(String path, String inside) {
    List<Object> items = new ArrayList<>();
    for (String part : inside.split(",", -1)) {
      String p = part.strip();
      try {
        int colon = p.indexOf(':');
        if (colon < 0) {
          items.add(Integer.parseInt(p));
        } else {
          String a = p.substring(0, colon).strip();
          String b = p.substring(colon + 1).strip();
          items.add(
              new Slice(
                  a.isEmpty() ? null : Integer.parseInt(a),
                  b.isEmpty() ? null : Integer.parseInt(b)));
        }
      } catch (NumberFormatException e) {
        throw new Invalid("JSONPath " + path + " has an invalid index [" + inside + "]");
      }
    }
    return new Indexes(items);
  }

  private static List<JsonNode> elements(String path, List<JsonNode> nodes, Indexes idx) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (!n.isArray()) {
        throw new Invalid("JSONPath " + path + " indexes a value that is not an array");
      }
      int size = n.size();
      for (Object item : idx.items()) {
        if (item instanceof Integer index) {
          int at = index < 0 ? size + index : index;
          if (at < 0 || at >= size) {
            throw new Invalid(
                "JSONPath " + path + ": index " + index + " is outside a record of " + size);
          }
          out.add(n.get(at));
        } else {
          Slice s = (Slice) item;
          int from = s.from() == null ? 0 : (s.from() < 0 ? size + s.from() : s.from());
          int to = s.to() == null ? size - 1 : (s.to() < 0 ? size + s.to() : s.to());
          for (int k = Math.max(0, from); k <= Math.min(size - 1, to); k++) {
            out.add(n.get(k));
          }
        }
      }
    }
    return out;
  }
}
