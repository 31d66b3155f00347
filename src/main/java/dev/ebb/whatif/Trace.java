package dev.ebb.whatif;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
    if (lines.stream().anyMatch(l -> l.contains(AccessLogRecord.MARKER + " "))) {
      return ofAccessLog(
          name + " (access log of " + component + ")",
          accessLog(name, lines, component),
          defaultDuration);
    }
    return csv(name, lines, defaultDuration);
  }

  /**
   * The records of {@code component}'s requests among {@code lines} of the operator's log.
   *
   * @throws IllegalArgumentException when there is none, or a line is not what the gateway writes
   */
  public static List<AccessLogRecord> accessLog(String name, List<String> lines, String component) {
    List<AccessLogRecord> records = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      AccessLogRecord.parse(lines.get(i), name + ":" + (i + 1))
          .filter(r -> r.isFor(component))
          .ifPresent(records::add);
    }
    if (records.isEmpty()) {
      throw new IllegalArgumentException(name + ": no access-log line for component " + component);
    }
    return records;
  }

  /**
   * The trace of logged requests; one the gateway did not send is replayed with {@code
   * defaultDuration}.
   */
  public static Trace ofAccessLog(
      String name, List<AccessLogRecord> records, Duration defaultDuration) {
    return of(
        name,
        records.stream()
            .map(
                r ->
                    new TraceRequest(
                        r.arrived(),
                        r.duration().isZero() ? defaultDuration : r.duration(),
                        r.bytes()))
            .toList());
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
    Instant at = AccessLogRecord.instant(where, cell(cells, columns, "time"));
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
}
