package dev.ebb.whatif.aws;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scheduled action's {@code Schedule}, as Application Auto Scaling reads it: {@code
 * at(yyyy-mm-ddThh:mm:ss)} once, {@code rate(value unit)} repeatedly from its start, or {@code
 * cron(minutes hours day-of-month month day-of-week year)} (AWS's six-field cron: day-of-week 1-7
 * is SUN-SAT or their names, one of the two day fields is {@code ?}), in the action's {@code
 * Timezone} (UTC if none). The special characters L, W and # are not supported: such a field never
 * matches.
 */
public final class Schedule {
  private final String kind;
  private final LocalDateTime at;
  private final Duration rate;
  private final List<BitSet> cron;
  private final ZoneId zone;

  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS =
      Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

  private Schedule(String kind, LocalDateTime at, Duration rate, List<BitSet> cron, ZoneId zone) {
    this.kind = kind;
    this.at = at;
    this.rate = rate;
    this.cron = cron;
    this.zone = zone;
  }

  public static Schedule parse(String expression, String timezone) {
    ZoneId zone = timezone == null || timezone.isEmpty() ? ZoneId.of("UTC") : ZoneId.of(timezone);
    String body = expression.substring(expression.indexOf('(') + 1, expression.lastIndexOf(')'));
    if (expression.startsWith("at(")) {
      return new Schedule("at", LocalDateTime.parse(body.strip()), null, null, zone);
    }
    if (expression.startsWith("rate(")) {
      String[] parts = body.strip().split("\\s+");
      long value = Long.parseLong(parts[0]);
      String unit = parts[1].toLowerCase(Locale.ROOT).replaceAll("s$", "");
      Duration rate =
          switch (unit) {
            case "minute" -> Duration.ofMinutes(value);
            case "hour" -> Duration.ofHours(value);
            case "day" -> Duration.ofDays(value);
            default -> throw new IllegalArgumentException("Unknown rate unit " + parts[1]);
          };
      return new Schedule("rate", null, rate, null, zone);
    }
    String[] f = body.strip().split("\\s+");
    if (f.length != 6) {
      throw new IllegalArgumentException("A cron expression has six fields: " + expression);
    }
    List<BitSet> fields =
        List.of(
            field(f[0], 0, 59, Map.of()),
            field(f[1], 0, 23, Map.of()),
            field(f[2], 1, 31, Map.of()),
            field(f[3], 1, 12, MONTHS),
            field(f[4], 1, 7, DAYS),
            field(f[5], 1970, 2199, Map.of()));
    return new Schedule("cron", null, null, fields, zone);
  }

  /**
   * The instants in (after, upTo] when the schedule fires; {@code start} is when a rate counts from
   * (the action's StartTime, or its creation).
   */
  public List<Instant> firings(Instant after, Instant upTo, Instant start) {
    return switch (kind) {
      case "at" -> {
        Instant when = at.atZone(zone).toInstant();
        yield when.isAfter(after) && !when.isAfter(upTo) ? List.of(when) : List.of();
      }
      case "rate" -> {
        long k = after.isBefore(start) ? 1 : Duration.between(start, after).dividedBy(rate) + 1;
        List<Instant> out = new ArrayList<>();
        for (Instant next = start.plus(rate.multipliedBy(k));
            !next.isAfter(upTo);
            next = next.plus(rate)) {
          if (next.isAfter(after)) {
            out.add(next);
          }
        }
        yield out;
      }
      default -> {
        ZonedDateTime minute = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        List<Instant> out = new ArrayList<>();
        for (; !minute.toInstant().isAfter(upTo); minute = minute.plusMinutes(1)) {
          if (matches(minute)) {
            out.add(minute.toInstant());
          }
        }
        yield out;
      }
    };
  }

  private boolean matches(ZonedDateTime t) {
    int awsDay = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : t.getDayOfWeek().getValue() + 1;
    return cron.get(0).get(t.getMinute())
        && cron.get(1).get(t.getHour())
        && cron.get(2).get(t.getDayOfMonth())
        && cron.get(3).get(t.getMonthValue())
        && cron.get(4).get(awsDay)
        && cron.get(5).get(t.getYear());
  }

  /** The values a cron field allows; {@code ?} and {@code *} allow all. */
  private static BitSet field(String text, int min, int max, Map<String, Integer> names) {
    BitSet allowed = new BitSet();
    for (String part : text.toUpperCase(Locale.ROOT).split(",")) {
      if (part.equals("*") || part.equals("?")) {
        allowed.set(min, max + 1);
        continue;
      }
      String withoutNames = part;
      for (String name : names.keySet()) {
        withoutNames = withoutNames.replace(name, "");
      }
      if (withoutNames.matches(".*[LW#].*")) {
        continue; // unsupported: never matches
      }
      int step = 1;
      String range = part;
      if (part.contains("/")) {
        step = Integer.parseInt(part.substring(part.indexOf('/') + 1));
        range = part.substring(0, part.indexOf('/'));
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        from = value(range.substring(0, range.indexOf('-')), names);
        to = value(range.substring(range.indexOf('-') + 1), names);
      } else {
        from = value(range, names);
        to = part.contains("/") ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        allowed.set(v);
      }
    }
    return allowed;
  }

  private static int value(String text, Map<String, Integer> names) {
    Integer named = names.get(text);
    return named != null ? named : Integer.parseInt(text);
  }
}
