package dev.ebb.scaling;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scheduled action as Application Auto Scaling runs it: when its expression fires (AWS {@code
 * cron(...)}, {@code rate(...)} or {@code at(...)}, read in an IANA time zone, only between start
 * and end), it sets the min and/or max capacity in force.
 */
public final class Schedule {
  /** Restarting after a long outage, only the last week is replayed: older firings are moot. */
  static final Duration LOOKBACK = Duration.ofDays(8);

  private static final Pattern RATE =
      Pattern.compile("^(\\d+) (minute|minutes|hour|hours|day|days)$");
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

  private final String name;
  private final String expression;
  private final ZoneId zone;
  private final Optional<Instant> start;
  private final Optional<Instant> end;
  private final OptionalInt min;
  private final OptionalInt max;
  private final Firing firing;

  /**
   * @param expression {@code cron(m h dom mon dow year)}, {@code rate(N unit)} or {@code
   *     at(yyyy-MM-ddTHH:mm:ss)}
   * @throws IllegalArgumentException for an expression Ebb cannot evaluate
   */
  public Schedule(
      String name,
      String expression,
      ZoneId zone,
      Optional<Instant> start,
      Optional<Instant> end,
      OptionalInt min,
      OptionalInt max) {
    this.name = name;
    this.expression = expression;
    this.zone = zone;
    this.start = start;
    this.end = end;
    this.min = min;
    this.max = max;
    this.firing = parse(expression);
  }

  public String name() {
    return name;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The bounds after this action fires on {@code current}. */
  public Bounds apply(Bounds current) {
    int newMin = min.orElse(current.min());
    int newMax = max.orElse(current.max());
    // AWS raises max (or lowers min) when an action moves one bound past the other.
    if (min.isPresent() && max.isEmpty() && newMin > newMax) {
      newMax = newMin;
    } else if (max.isPresent() && min.isEmpty() && newMax < newMin) {
      newMin = newMax;
    }
    return new Bounds(newMin, newMax);
  }

  /** The instants in {@code (after, upTo]} at which this action fires, in order. */
  public List<Instant> firesIn(Instant after, Instant upTo) {
    Instant from = after.isBefore(upTo.minus(LOOKBACK)) ? upTo.minus(LOOKBACK) : after;
    List<Instant> fires = new ArrayList<>();
    for (Instant at : firing.between(from, upTo, zone, start)) {
      boolean started = start.map(s -> !at.isBefore(s)).orElse(true);
      boolean ended = end.map(e -> at.isAfter(e)).orElse(false);
      if (started && !ended) {
        fires.add(at);
      }
    }
    return fires;
  }

  /**
   * The wall-clock times in {@code (after, upTo]} at which this action would fire but cannot,
   * because the clocks skip them (a daylight-saving gap): it does not fire then (see {@link
   * Cron#between}). {@code at(...)} in a gap is not skipped: being once only, it fires shifted
   * later by the length of the gap (02:30 becomes 03:30), as {@link LocalDateTime#atZone} resolves
   * it. Worth a warning to whoever wrote it.
   */
  public List<LocalDateTime> skippedIn(Instant after, Instant upTo) {
    if (!(firing instanceof Cron cron)) {
      return List.of();
    }
    return cron.skippedIn(after, upTo, zone).stream()
        .filter(t -> start.map(s -> !t.atZone(zone).toInstant().isBefore(s)).orElse(true))
        .filter(t -> end.map(e -> !t.atZone(zone).toInstant().isAfter(e)).orElse(true))
        .toList();
  }

  @Override
  public String toString() {
    return name + " " + expression + " " + zone;
  }

  // --- expressions -------------------------------------------------------------------------

  private interface Firing {
    List<Instant> between(Instant after, Instant upTo, ZoneId zone, Optional<Instant> anchor);
  }

  private static Firing parse(String expression) {
    String e = expression.trim();
    if (e.startsWith("cron(") && e.endsWith(")")) {
      return new Cron(e.substring(5, e.length() - 1));
    }
    if (e.startsWith("rate(") && e.endsWith(")")) {
      Matcher m = RATE.matcher(e.substring(5, e.length() - 1).trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a rate: " + expression);
      }
      long n = Long.parseLong(m.group(1));
      Duration period =
          m.group(2).startsWith("minute")
              ? Duration.ofMinutes(n)
              : m.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n);
      if (period.isZero()) {
        throw new IllegalArgumentException("a rate must be positive: " + expression);
      }
      return (after, upTo, zone, anchor) -> rate(period, anchor.orElse(Instant.EPOCH), after, upTo);
    }
    if (e.startsWith("at(") && e.endsWith(")")) {
      LocalDateTime local = LocalDateTime.parse(e.substring(3, e.length() - 1).trim());
      return (after, upTo, zone, anchor) -> {
        Instant at = local.atZone(zone).toInstant();
        return at.isAfter(after) && !at.isAfter(upTo) ? List.of(at) : List.of();
      };
    }
    throw new IllegalArgumentException("not cron(...), rate(...) or at(...): " + expression);
  }

  /** Fires at anchor + k × period (from the action's start, else the Unix epoch). */
  private static List<Instant> rate(Duration period, Instant anchor, Instant after, Instant upTo) {
    List<Instant> fires = new ArrayList<>();
    long elapsed = Duration.between(anchor, after).toMillis();
    long k = elapsed < 0 ? 0 : elapsed / period.toMillis() + 1;
    for (Instant at = anchor.plus(period.multipliedBy(k));
        !at.isAfter(upTo);
        at = at.plus(period)) {
      if (at.isAfter(after)) {
        fires.add(at);
      }
    }
    return fires;
  }

  /** AWS's six-field cron: minutes hours day-of-month month day-of-week year. */
  private static final class Cron implements Firing {
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth; // null: '?'
    private final BitSet months;
    private final BitSet daysOfWeek; // null: '?'
    private final BitSet years;

    Cron(String expression) {
      String[] f = expression.trim().split("\\s+");
      if (f.length != 6) {
        throw new IllegalArgumentException("AWS cron has six fields: " + expression);
      }
      minutes = field(f[0], 0, 59, Map.of());
      hours = field(f[1], 0, 23, Map.of());
      daysOfMonth = f[2].equals("?") ? null : field(f[2], 1, 31, Map.of());
      months = field(f[3], 1, 12, MONTHS);
      daysOfWeek = f[4].equals("?") ? null : field(f[4], 1, 7, DAYS);
      years = field(f[5], 1970, 2199, Map.of());
      if ((daysOfMonth == null) == (daysOfWeek == null)) {
        throw new IllegalArgumentException(
            "exactly one of day-of-month and day-of-week must be '?': " + expression);
      }
    }

    /**
     * Walks the instants minute by minute and matches their wall-clock time in {@code zone}. Across
     * daylight-saving changes this follows EventBridge Scheduler's documented rule: a wall-clock
     * time the clocks skip does not exist, so it does not fire ({@link #skippedIn} finds those for
     * a warning); a wall-clock time the clocks repeat fires once, at its first occurrence.
     */
    @Override
    public List<Instant> between(
        Instant after, Instant upTo, ZoneId zone, Optional<Instant> anchor) {
      List<Instant> fires = new ArrayList<>();
      Instant at = after.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
      for (; !at.isAfter(upTo); at = at.plus(Duration.ofMinutes(1))) {
        ZonedDateTime local = ZonedDateTime.ofInstant(at, zone);
        if (matches(local.toLocalDateTime()) && isFirstOccurrence(local)) {
          fires.add(at);
        }
      }
      return fires;
    }

    /** The matching wall-clock times in {@code (after, upTo]} that the clocks skip. */
    List<LocalDateTime> skippedIn(Instant after, Instant upTo, ZoneId zone) {
      List<LocalDateTime> skipped = new ArrayList<>();
      ZoneOffsetTransition gap = zone.getRules().nextTransition(after);
      for (;
          gap != null && !gap.getInstant().isAfter(upTo);
          gap = zone.getRules().nextTransition(gap.getInstant())) {
        if (!gap.isGap()) {
          continue;
        }
        for (LocalDateTime t = gap.getDateTimeBefore();
            t.isBefore(gap.getDateTimeAfter());
            t = t.plusMinutes(1)) {
          if (matches(t)) {
            skipped.add(t);
          }
        }
      }
      return skipped;
    }

    /** False for the second pass of a wall-clock time the clocks repeat. */
    private static boolean isFirstOccurrence(ZonedDateTime local) {
      return local.getOffset().equals(local.withEarlierOffsetAtOverlap().getOffset());
    }

    private boolean matches(LocalDateTime t) {
      int dayOfWeek = t.getDayOfWeek().getValue() % 7 + 1; // AWS: 1 = SUN ... 7 = SAT
      return minutes.get(t.getMinute())
          && hours.get(t.getHour())
          && months.get(t.getMonthValue())
          && years.get(t.getYear())
          && (daysOfMonth == null || daysOfMonth.get(t.getDayOfMonth()))
          && (daysOfWeek == null || daysOfWeek.get(dayOfWeek));
    }

    private static BitSet field(String spec, int lo, int hi, Map<String, Integer> names) {
      BitSet set = new BitSet(hi + 1);
      for (String part : spec.toUpperCase(Locale.ROOT).split(",")) {
        String range = part;
        int step = 1;
        int slash = part.indexOf('/');
        if (slash >= 0) {
          range = part.substring(0, slash);
          step = Integer.parseInt(part.substring(slash + 1));
        }
        int from;
        int to;
        if (range.equals("*")) {
          from = lo;
          to = hi;
        } else if (range.contains("-")) {
          String[] ends = range.split("-");
          from = value(ends[0], names);
          to = value(ends[1], names);
        } else {
          from = value(range, names);
          to = slash >= 0 ? hi : from;
        }
        if (from < lo || to > hi || from > to || step < 1) {
          throw new IllegalArgumentException("out of range " + lo + "-" + hi + ": " + part);
        }
        for (int v = from; v <= to; v += step) {
          set.set(v);
        }
      }
      return set;
    }

    private static int value(String token, Map<String, Integer> names) {
      Integer named = names.get(token);
      if (named != null) {
        return named;
      }
      if (!token.chars().allMatch(Character::isDigit) || token.isEmpty()) {
        throw new IllegalArgumentException("Ebb does not evaluate cron token " + token);
      }
      return Integer.parseInt(token);
    }
  }
}
