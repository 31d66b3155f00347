package dev.ebb.whatif;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code key=value} fields of one of Ebb's marked log lines ({@code ebb-access}, {@code
 * ebb-scale}), wherever the log format puts the marker in the line.
 */
final class LogFields {
  private LogFields() {}

  /**
   * The fields after {@code marker} on {@code line}, up to {@code lastKey=} (whose value may hold
   * spaces and is not read) when given; empty when the line does not carry the marker.
   */
  static Optional<Map<String, String>> of(String line, String marker, String lastKey) {
    int at = line.indexOf(marker + " ");
    if (at < 0) {
      return Optional.empty();
    }
    String rest = line.substring(at + marker.length()).strip();
    int last = lastKey == null ? -1 : rest.indexOf(" " + lastKey + "=");
    Map<String, String> fields = new HashMap<>();
    for (String token : (last < 0 ? rest : rest.substring(0, last)).split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        fields.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    return Optional.of(fields);
  }
}
