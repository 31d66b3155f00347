package dev.ebb.whatif;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One line of the gateway's access log ({@code ebb.gateway.access-log}): a request to a local
 * component and what became of it, as the gateway measured it. What-if replays these as a trace,
 * and compares what it predicts with them ({@link RealityCheck}).
 *
 * @param outcome the status the client got ("200", "429"...), or "failed" when the copy did not
 *     answer
 * @param waited how long it waited for a copy before it was sent (or refused)
 * @param duration how long the copy took; zero when it was never sent
 */
public record AccessLogRecord(
    Instant arrived,
    String namespace,
    String component,
    String outcome,
    Duration waited,
    Duration duration,
    long bytes) {

  /** The marker of an access-log line, wherever the log shipper puts it in the line. */
  public static final String MARKER = "ebb-access";

  /**
   * A wait shorter than this is the gateway's own dispatch (microseconds, or a GC pause), not a
   * wait for a copy: a copy starts in seconds.
   */
  public static final Duration HELD_AT_LEAST = Duration.ofMillis(100);

  /** What the gateway answers itself, without sending: its bounds (429) and its timeout (504). */
  private static final Set<String> REFUSED_BY_THE_GATEWAY = Set.of("429", "504");

  /**
   * The record on {@code line}; empty when the line is not an access-log line.
   *
   * @param where the line's place, for the error (e.g. {@code ebb.log:12})
   * @throws IllegalArgumentException naming {@code where} when a field is not what the gateway
   *     writes
   */
  public static Optional<AccessLogRecord> parse(String line, String where) {
    Optional<Map<String, String>> found = LogFields.of(line, MARKER, null);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> fields = found.get();
    String prefix = where + ": ";
    try {
      return Optional.of(
          new AccessLogRecord(
              instant(prefix, fields.getOrDefault("time", "")),
              fields.getOrDefault("namespace", ""),
              fields.getOrDefault("component", ""),
              fields.getOrDefault("outcome", ""),
              millis(fields.getOrDefault("waited_ms", "0")),
              millis(fields.getOrDefault("duration_ms", "0")),
              Long.parseLong(fields.getOrDefault("bytes", "0"))));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          prefix + "waited_ms, duration_ms and bytes of an access-log line must be numbers ≥ 0", e);
    }
  }

  /** Whether this is a request to {@code component}: {@code namespace/name}, or just the name. */
  public boolean isFor(String qualifiedOrName) {
    return qualifiedOrName.equals(namespace + "/" + component) || qualifiedOrName.equals(component);
  }

  /** Whether the gateway answered it without sending it to a copy (its bounds, its timeout). */
  public boolean refusedByTheGateway() {
    return duration.isZero() && REFUSED_BY_THE_GATEWAY.contains(outcome);
  }

  /** Whether it was sent after waiting for a copy ({@link #HELD_AT_LEAST} or more). */
  public boolean waitedForACopy() {
    return !refusedByTheGateway() && waited.compareTo(HELD_AT_LEAST) >= 0;
  }

  private static Duration millis(String value) {
    long nanos = new BigDecimal(value).movePointRight(6).longValue();
    if (nanos < 0) {
      throw new NumberFormatException(value + " is negative");
    }
    return Duration.ofNanos(nanos);
  }

  static Instant instant(String where, String value) {
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
