package dev.ebb.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Prometheus' text exposition format (version 0.0.4, and the OpenMetrics text that model
 * servers such as vLLM and TGI also serve): the samples, with each one's type from its family's
 * {@code # TYPE} line. Timestamps are ignored; a line that is not a sample is skipped, so one odd
 * line never hides the rest.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /** The kinds of series: a counter is read as a rate, the rest as they are. */
  public enum Type {
    COUNTER,
    GAUGE,
    UNTYPED
  }

  /** One sample: a series' name, labels, value and type. */
  public record Sample(String name, Map<String, String> labels, double value, Type type) {
    /** Whether every pair of {@code selector} is among this sample's labels. */
    public boolean matches(Map<String, String> selector) {
      return selector.entrySet().stream()
          .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
  }

  /** The samples of {@code text}. */
  public static List<Sample> parse(String text) {
    Map<String, Type> types = new HashMap<>();
    List<Sample> samples = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring("# TYPE ".length()).trim().split("\\s+");
        if (parts.length == 2) {
          types.put(parts[0], type(parts[1]));
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample sample = sample(line, types);
      if (sample != null) {
        samples.add(sample);
      }
    }
    return samples;
  }

  private static Type type(String declared) {
    return switch (declared) {
      case "counter", "histogram", "summary" -> Type.COUNTER; // _sum, _count and _bucket count up
      case "gauge" -> Type.GAUGE;
      default -> Type.UNTYPED;
    };
  }

  private static Sample sample(String line, Map<String, Type> types) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty()) {
      return null;
    }
    Map<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
      if (i < 0) {
        return null;
      }
    }
    String[] rest = line.substring(i).trim().split("\\s+");
    if (rest.length == 0 || rest[0].isEmpty()) {
      return null;
    }
    double value;
    try {
      value = value(rest[0]);
    } catch (NumberFormatException e) {
      return null;
    }
    return new Sample(name, Map.copyOf(labels), value, typeOf(name, types));
  }

  /** A series' family: its own name, or the name without a histogram's or summary's suffix. */
  private static Type typeOf(String name, Map<String, Type> types) {
    Type own = types.get(name);
    if (own != null) {
      return own;
    }
    for (String suffix : List.of("_total", "_count", "_sum", "_bucket", "_created")) {
      if (name.endsWith(suffix)) {
        Type family = types.get(name.substring(0, name.length() - suffix.length()));
        if (family != null) {
          return family;
        }
      }
    }
    return Type.UNTYPED;
  }

  /** Reads {@code name="value",...}} from {@code i}; the index after the brace, or -1. */
  private static int labels(String line, int i, Map<String, String> labels) {
    while (i < line.length()) {
      while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
        i++;
      }
      if (i < line.length() && line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        return -1;
      }
      String key = line.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      if (j >= line.length()) {
        return -1;
      }
      labels.put(key, value.toString());
      i = j + 1;
    }
    return -1;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
