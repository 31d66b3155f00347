package dev.ebb.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSONPath subset batch transform supports for InputFilter and OutputFilter (developer guide,
 * "Associate prediction results with input records", Supported JSONPath Operators): {@code $} (the
 * root, required first), {@code .<name>}, {@code *}, {@code ['<name>'(,'<name>')]}, {@code
 * [<number>(,<number>)]} with negative indexes from the end, and {@code [<start>:<end>]} (either
 * omitted). Items of a bracket may mix indexes and slices, as in the API reference's example {@code
 * $[0,5:]}. Nested children inside a bracket ({@code ['a.b']}) are refused, as AWS says.
 *
 * <p>Slices include their end: AWS's guide says so in words ("{@code $[1:4]} specifies the second
 * through fifth columns", "{@code [:5]} ... from the first column (index 0) through the sixth
 * column"), unlike Jayway JsonPath, whose end is exclusive. An index outside the array is an error
 * (OutputFilter: "If you specify indexes that aren't within the dimension size of the joined
 * dataset, you get an error"); so is a missing attribute.
 *
 * <p>Results: a single name or index gives that value; several names give an object of them;
 * several indexes, a slice or {@code *} give an array, and the segments after them apply to each
 * element.
 */
public final class JsonPathFilter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private sealed interface Segment permits Name, Names, Wildcard, Items {}

  private record Name(String name) implements Segment {}

  private record Names(List<String> names) implements Segment {}

  private record Wildcard() implements Segment {}

  /** Indexes and slices; {@code from}/{@code to} null for an omitted bound; index has to null. */
  private record Item(Integer from, Integer to, boolean slice) {}

  private record Items(List<Item> items) implements Segment {
    boolean single() {
      return items.size() == 1 && !items.get(0).slice();
    }
  }

  private final String expression;
  private final List<Segment> segments;

  private JsonPathFilter(String expression, List<Segment> segments) {
    this.expression = expression;
    this.segments = segments;
  }

  /** Parses {@code expression}; throws {@link IllegalArgumentException} outside the subset. */
  public static JsonPathFilter parse(String expression) {
    String e = expression.strip();
    if (!e.startsWith("$")) {
      throw new IllegalArgumentException("a JSONPath must start with $: " + expression);
    }
    List<Segment> segments = new ArrayList<>();
    int i = 1;
    while (i < e.length()) {
      char c = e.charAt(i);
      if (c == '.') {
        i++;
        if (i < e.length() && e.charAt(i) == '[') {
          continue; // $.field.['a','b']: a dot before a bracket, as in AWS's example
        }
        if (i < e.length() && e.charAt(i) == '*') {
          segments.add(new Wildcard());
          i++;
          continue;
        }
        int start = i;
        while (i < e.length() && e.charAt(i) != '.' && e.charAt(i) != '[') {
          i++;
        }
        if (start == i) {
          throw new IllegalArgumentException("an empty name in JSONPath " + expression);
        }
        segments.add(new Name(e.substring(start, i)));
      } else if (c == '[') {
        int close = closing(e, i, expression);
        segments.add(bracket(e.substring(i + 1, close).strip(), expression));
        i = close + 1;
      } else {
        throw new IllegalArgumentException(
            "unsupported JSONPath operator at '" + e.substring(i) + "' in " + expression);
      }
    }
    return new JsonPathFilter(e, List.copyOf(segments));
  }

  private static int closing(String e, int open, String expression) {
    boolean quoted = false;
    for (int i = open + 1; i < e.length(); i++) {
      char c = e.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == ']' && !quoted) {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed [ in JSONPath " + expression);
  }

  private static Segment bracket(String body, String expression) {
    if (body.equals("*")) {
      return new Wildcard();
    }
    if (body.startsWith("'")) {
      List<String> names = new ArrayList<>();
      for (String part : splitTopLevel(body)) {
        String p = part.strip();
        if (p.length() < 2 || !p.startsWith("'") || !p.endsWith("'")) {
          throw new IllegalArgumentException("bad name list [" + body + "] in " + expression);
        }
        String name = p.substring(1, p.length() - 1);
        if (name.contains(".") || name.contains("[")) {
          throw new IllegalArgumentException(
              "nested children inside brackets are not supported: " + expression);
        }
        names.add(name);
      }
      return names.size() == 1 ? new Name(names.get(0)) : new Names(List.copyOf(names));
    }
    List<Item> items = new ArrayList<>();
    for (String part : body.split(",", -1)) {
      String p = part.strip();
      try {
        int colon = p.indexOf(':');
        if (colon < 0) {
          items.add(new Item(Integer.parseInt(p), null, false));
        } else {
          String from = p.substring(0, colon).strip();
          String to = p.substring(colon + 1).strip();
          if (to.contains(":")) {
            throw new IllegalArgumentException("slice steps are not supported: " + expression);
          }
          items.add(
              new Item(
                  from.isEmpty() ? null : Integer.parseInt(from),
                  to.isEmpty() ? null : Integer.parseInt(to),
                  true));
        }
      } catch (NumberFormatException x) {
        throw new IllegalArgumentException(
            "unsupported bracket [" + body + "] in JSONPath " + expression);
      }
    }
    return new Items(List.copyOf(items));
  }

  private static List<String> splitTopLevel(String body) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        parts.add(body.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(body.substring(start));
    return parts;
  }

  /** Whether this is {@code $} alone, the default that selects everything. */
  public boolean whole() {
    return segments.isEmpty();
  }

  /** Applies the path to {@code root}; throws {@link IllegalArgumentException} if it cannot. */
  public JsonNode apply(JsonNode root) {
    return apply(root, 0);
  }

  private JsonNode apply(JsonNode node, int from) {
    JsonNode current = node;
    for (int i = from; i < segments.size(); i++) {
      Segment s = segments.get(i);
      boolean many = s instanceof Wildcard || (s instanceof Items items && !items.single());
      current = step(current, s);
      if (many && i + 1 < segments.size()) {
        ArrayNode mapped = NODES.arrayNode();
        for (JsonNode element : current) {
          mapped.add(apply(element, i + 1));
        }
        return mapped;
      }
    }
    return current;
  }

  private JsonNode step(JsonNode node, Segment segment) {
    if (segment instanceof Name name) {
      return child(node, name.name());
    }
    if (segment instanceof Names names) {
      ObjectNode picked = NODES.objectNode();
      for (String n : names.names()) {
        picked.set(n, child(node, n));
      }
      return picked;
    }
    if (segment instanceof Wildcard) {
      ArrayNode all = NODES.arrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        all.add(it.next());
      }
      return all;
    }
    Items items = (Items) segment;
    if (!node.isArray()) {
      throw new IllegalArgumentException(expression + ": not an array: " + abbreviate(node));
    }
    int size = node.size();
    if (items.single()) {
      return node.get(index(items.items().get(0).from(), size));
    }
    ArrayNode picked = NODES.arrayNode();
    for (Item item : items.items()) {
      if (!item.slice()) {
        picked.add(node.get(index(item.from(), size)));
        continue;
      }
      int start = item.from() == null ? 0 : index(item.from(), size);
      int end = item.to() == null ? size - 1 : Math.min(size - 1, bound(item.to(), size));
      for (int k = start; k <= end; k++) {
        picked.add(node.get(k));
      }
    }
    return picked;
  }

  private JsonNode child(JsonNode node, String name) {
    if (!node.isObject() || !node.has(name)) {
      throw new IllegalArgumentException(
          expression + ": no attribute '" + name + "' in " + abbreviate(node));
    }
    return node.get(name);
  }

  private int index(int i, int size) {
    int k = bound(i, size);
    if (k < 0 || k >= size) {
      throw new IllegalArgumentException(
          expression + ": index " + i + " is outside an array of " + size);
    }
    return k;
  }

  private static int bound(int i, int size) {
    return i < 0 ? size + i : i;
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  @Override
  public String toString() {
    return expression;
  }
}
