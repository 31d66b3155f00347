package dev.ebb.whatif.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a scheduled action (as PutScheduledAction stores it) fires: its {@link Schedule} in its
 * {@code Timezone}, only between its {@code StartTime} and {@code EndTime}; a rate counts from
 * StartTime, else from the action's creation.
 */
public final class ScheduledActions {
  private ScheduledActions() {}

  /** The firings of {@code action} in (after, upTo]; none for an expression it cannot read. */
  public static List<Instant> firings(JsonNode action, Instant after, Instant upTo) {
    Schedule schedule;
    try {
      schedule =
          Schedule.parse(
              action.path("Schedule").asText(),
              action.hasNonNull("Timezone") ? action.get("Timezone").asText() : null);
    } catch (RuntimeException e) {
      return List.of(); // an expression the simulator cannot read never fires
    }
    Instant start = action.hasNonNull("StartTime") ? instant(action.get("StartTime")) : null;
    Instant end = action.hasNonNull("EndTime") ? instant(action.get("EndTime")) : null;
    Instant created = instant(action.get("CreationTime"));
    List<Instant> out = new ArrayList<>();
    for (Instant t : schedule.firings(after, upTo, start != null ? start : created)) {
      if ((start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end))) {
        out.add(t);
      }
    }
    return out;
  }

  /** A timestamp as Application Auto Scaling's JSON carries it: epoch seconds, with a fraction. */
  private static Instant instant(JsonNode node) {
    return Instant.ofEpochMilli(node.decimalValue().movePointRight(3).longValue());
  }
}
