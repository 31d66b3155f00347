package dev.ebb.whatif;

import dev.ebb.local.ScalingLog;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One scaling activity as the operator logged it ({@link ScalingLog}): from {@code time} on, the
 * component had {@code to} copies asked for.
 */
public record ScaleLogRecord(Instant time, String namespace, String component, int from, int to) {

  /**
   * The record on {@code line}; empty when the line is not a scaling activity.
   *
   * @throws IllegalArgumentException naming {@code where} when a field is not what the operator
   *     writes
   */
  public static Optional<ScaleLogRecord> parse(String line, String where) {
    Optional<Map<String, String>> found = LogFields.of(line, ScalingLog.MARKER, "reason");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> fields = found.get();
    String prefix = where + ": ";
    try {
      return Optional.of(
          new ScaleLogRecord(
              AccessLogRecord.instant(prefix, fields.getOrDefault("time", "")),
              fields.getOrDefault("namespace", ""),
              fields.getOrDefault("component", ""),
              Integer.parseInt(fields.getOrDefault("from", "")),
              Integer.parseInt(fields.getOrDefault("to", ""))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          prefix + "from and to of a scaling activity must be whole numbers", e);
    }
  }

  /** Whether this is an activity of {@code component}: {@code namespace/name}, or the name. */
  public boolean isFor(String qualifiedOrName) {
    return qualifiedOrName.equals(namespace + "/" + component) || qualifiedOrName.equals(component);
  }
}
