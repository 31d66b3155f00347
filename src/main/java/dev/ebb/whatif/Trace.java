package dev.ebb.whatif;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The requests to replay, in arrival order, over the span they cover.
 *
 * @param name what the trace is, for the report
 * @param start the span's first instant (at or before the first request)
 * @param end the span's last instant (at or after the last request): idle time at either end counts
 */
public record Trace(String name, Instant start, Instant end, List<TraceRequest> requests) {
  public Trace {
    requests = requests.stream().sorted(Comparator.comparing(TraceRequest::at)).toList();
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("a trace cannot end before it starts");
    }
    if (!requests.isEmpty()
        && (requests.get(0).at().isBefore(start)
            || requests.get(requests.size() - 1).at().isAfter(end))) {
      throw new IllegalArgumentException("a trace's requests must lie within its span");
    }
  }

  /** The trace spanning exactly its first to its last request. */
  public static Trace of(String name, List<TraceRequest> requests) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("trace " + name + " has no request");
    }
    Instant first = requests.stream().map(TraceRequest::at).min(Instant::compareTo).orElseThrow();
    Instant last = requests.stream().map(TraceRequest::at).max(Instant::compareTo).orElseThrow();
    return new Trace(name, first, last, requests);
  }

  public Duration span() {
    return Duration.between(start, end);
  }

  /**
   * Reads a CSV trace: a header line, then one request per line. Columns, by header name, in any
   * order: {@code time} (required: an RFC 3339 instant such as {@code 2026-12-01T09:00:00.250Z}, or
   * seconds since the epoch with an optional fraction), {@code duration_ms} (how long a copy took
   * to answer; {@code defaultDuration} where absent) and {@code bytes} (the body's size; 0 where
   * absent). Blank lines and lines starting with {@code #} are skipped; other columns are ignored.
   *
   * @throws IllegalArgumentException naming the line and column of the first bad value
   */
  public static Trace readCsv(String name, Reader in, Duration defaultDuration) throws IOException {
    return csv(name, new BufferedReader(in).lines().toList(), defaultDuration);
  }

  /** The marker of the gateway's access-log lines ({@code ebb.gateway.access-log}). */
  static final String ACCESS_LOG_MARKER = "ebb-access";

  /**
   * Reads a trace that is either a CSV file ({@link #readCsv}) or the operator's log with the
   * gateway's access log on ({@code ebb.gateway.access-log=true}; {@code kubectl logs} output as it
   * is): every line marked {@code ebb-access} for {@code component} ({@code namespace/name}, or
   * just the name) is a request; other lines are skipped. A request the gateway did not send (429,
   * 504) is replayed with {@code defaultDuration}: what it would have taken is unknown.
   */
  public static Trace read(String name, Reader in, Duration defaultDuration, String component)
      throws IOException {
    List<String> lines = new BufferedReader(in).lines().toList();
    if (lines.stream().anyMatch(l -> l.contains(ACCESS_LOG_MARKER + " "))) {
      return accessLog(name, lines, defaultDuration, component);
    }
    return csv(name, lines, defaultDuration);
  }

  private static Trace accessLog(
      String name, List<String> lines, Duration defaultDuration, String component) {
    List<TraceRequest> requests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int at = line.indexOf(ACCESS_LOG_MARKER + " ");
      if (at < 0) {
        continue;
      }
      Map<String, String> fields = new HashMap<>();
      for (String token : line.substring(at + ACCESS_LOG_MARKER.length()).strip().split("\\s+")) {
        int eq = token.indexOf('=');
        if (eq > 0) {
          fields.put(token.substring(0, eq), token.substring(eq + 1));
        }
      }
      String qualified = fields.get("namespace") + "/" + fields.get("component");
      if (!component.equals(qualified) && !component.equals(fields.get("component"))) {
        continue;
      }
      String where = name + ":" + (i + 1) + ": ";
      Instant arrived = instant(where, fields.getOrDefault("time", ""));
      String millis = fields.getOrDefault("duration_ms", "0");
      try {
        Duration atCopy = Duration.ofNanos(new BigDecimal(millis).movePointRight(6).longValue());
        requests.add(
            new TraceRequest(
                arrived,
                atCopy.isZero() ? defaultDuration : atCopy,
                Long.parseLong(fields.getOrDefault("bytes", "0"))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where + "duration_ms and bytes of an access-log line must be numbers ≥ 0", e);
      }
    }
    if (requests.isEmpty()) {
      throw new IllegalArgumentException(name + ": no access-log line for component " + component);
    }
    return of(name + " (access log of " + component + ")", requests);
  }

  private static Trace csv(String name, List<String> all, Duration defaultDuration) {
    Map<String, Integer> columns = null;
    List<TraceRequest> requests = new ArrayList<>();
    int number = 0;
    for (String line : all) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] cells = trimmed.split(",", -1);
      if (columns == null) {
        columns = header(name, number, cells);
        continue;
      }
      requests.add(request(name, number, cells, columns, defaultDuration));
    }
    if (columns == null) {
      throw new IllegalArgumentException(
          name + ": no header line (expected time[,duration_ms,bytes])");
    }
    return of(name, requests);
  }

  private static Map<String, Integer> header(String name, int number, String[] cells) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < cells.length; i++) {
      columns.put(cells[i].strip().toLowerCase(Locale.ROOT), i);
    }
    if (!columns.containsKey("time")) {
      throw new IllegalArgumentException(
          name
              + ":"
              + number
              + ": the header has no time column (expected time[,duration_ms,bytes])");
    }
    return columns;
  }

  private static TraceRequest request(
      String name,
      int number,
      String[] cells,
      Map<String, Integer> columns,
      Duration defaultDuration) {
    String where = name + ":" + number + ": ";
    Instant at = instant(where, cell(cells, columns, "time"));
    String millis = cell(cells, columns, "duration_ms");
    String bytes = cell(cells, columns, "bytes");
    try {
      Duration duration =
          millis.isEmpty()
              ? defaultDuration
              : Duration.ofNanos(new BigDecimal(millis).movePointRight(6).longValueExact());
      return new TraceRequest(at, duration, bytes.isEmpty() ? 0 : Long.parseLong(bytes));
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where + "duration_ms " + millis + " and bytes " + bytes + " must be numbers ≥ 0", e);
    }
  }

  private static String cell(String[] cells, Map<String, Integer> columns, String column) {
    Integer i = columns.get(column);
    return i == null || i >= cells.length ? "" : cells[i].strip();
  }

  private static Instant instant(String where, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(where + "time is empty");
    }
    try {
      if (Character.isDigit(value.charAt(0)) && !value.contains("-")) {
        BigDecimal seconds = new BigDecimal(value);
        return Instant.ofEpochSecond(0, seconds.movePointRight(9).longValueExact());
      }
      return Instant.parse(value);
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          where + "time " + value + " is neither an RFC 3339 instant nor epoch seconds", e);
    }
  }
}
