package dev.ebb.whatif;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A week of traffic to a chat model, generated the same way every time (fixed seed), for trying a
 * policy before there is a trace of one's own ({@code --trace builtin:week}):
 *
 * <ul>
 *   <li>weekdays: a morning and an afternoon peak in Paris time, up to about 1.5 requests per
 *       second, and a few stray requests at night, far enough apart for a model to go idle;
 *   <li>weekends: a lull at a tenth of a weekday;
 *   <li>bursts: six five-minute bursts of 3 more requests per second at working hours;
 *   <li>each request takes a copy a log-normal time, median 2.5 s (a generated answer), and carries
 *       1 to 4 KB.
 * </ul>
 *
 * Arrivals are a Poisson process whose rate follows that shape, drawn second by second.
 */
public final class SyntheticTrace {
  /** A Monday, so the week starts with the weekday pattern. */
  public static final Instant START = Instant.parse("2026-11-30T00:00:00Z");

  static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  static final double PEAK_PER_SECOND = 1.5;
  static final double NIGHT_PER_SECOND = 1.0 / 2400; // one request per 40 minutes
  static final double WEEKEND_FACTOR = 0.1;
  static final double BURST_PER_SECOND = 3.0;
  static final Duration BURST = Duration.ofMinutes(5);
  static final int BURSTS = 6;

  private SyntheticTrace() {}

  /** The bundled week: seed 17. */
  public static Trace week() {
    return week(17);
  }

  public static Trace week(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Instant end = START.plus(Duration.ofDays(7));
    List<Instant> bursts = new ArrayList<>();
    while (bursts.size() < BURSTS) {
      // A weekday, between 09:00 and 17:00 Paris time.
      ZonedDateTime day = START.atZone(ZONE).plusDays(random.nextInt(5));
      bursts.add(day.withHour(9).plusMinutes(random.nextInt(8 * 60)).toInstant());
    }
    List<TraceRequest> requests = new ArrayList<>();
    for (Instant second = START; second.isBefore(end); second = second.plusSeconds(1)) {
      double rate = rate(second, bursts);
      int arrivals = poisson(random, rate);
      for (int i = 0; i < arrivals; i++) {
        Instant at = second.plusNanos(random.nextLong(1_000_000_000L));
        double seconds = Math.min(60, 2.5 * Math.exp(0.6 * gaussian(random)));
        requests.add(
            new TraceRequest(
                at, Duration.ofMillis(Math.round(seconds * 1000)), 1000 + random.nextInt(3001)));
      }
    }
    return new Trace("builtin:week (synthetic, seed " + seed + ")", START, end, requests);
  }

  /** Requests per second at {@code at}. */
  static double rate(Instant at, List<Instant> bursts) {
    ZonedDateTime local = at.atZone(ZONE);
    double hour = local.getHour() + local.getMinute() / 60.0 + local.getSecond() / 3600.0;
    double day = PEAK_PER_SECOND * (0.6 * bump(hour, 10.5, 1.8) + 0.8 * bump(hour, 15, 2.0));
    double rate = Math.max(day, NIGHT_PER_SECOND);
    DayOfWeek weekday = local.getDayOfWeek();
    if (weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY) {
      rate *= WEEKEND_FACTOR;
    }
    for (Instant burst : bursts) {
      if (!at.isBefore(burst) && at.isBefore(burst.plus(BURST))) {
        rate += BURST_PER_SECOND;
      }
    }
    return rate;
  }

  private static double bump(double hour, double centre, double width) {
    double x = (hour - centre) / width;
    return Math.exp(-x * x);
  }

  /** Knuth's method: fine for the small rates of one second. */
  private static int poisson(SplittableRandom random, double rate) {
    double limit = Math.exp(-rate);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      count++;
      product *= random.nextDouble();
    }
    return count;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
