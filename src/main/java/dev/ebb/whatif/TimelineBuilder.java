package dev.ebb.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Collects a run minute by minute: counts where things happened, averages of copies over time. */
final class TimelineBuilder {
  private final Instant start;
  private final Instant end;
  private final int[] arrivals;
  private final int[] waited;
  private final int[] failed;
  private final int[] maxHeld;
  private final double[] copySeconds;
  private final double[] readySeconds;
  private Instant changedAt;
  private int copies;
  private int ready;

  TimelineBuilder(Instant start, Instant end) {
    this.start = start;
    this.end = end;
    int minutes = (int) (Duration.between(start, end).toMinutes() + 1);
    arrivals = new int[minutes];
    waited = new int[minutes];
    failed = new int[minutes];
    maxHeld = new int[minutes];
    copySeconds = new double[minutes];
    readySeconds = new double[minutes];
    changedAt = start;
  }

  void arrival(Instant at) {
    arrivals[minute(at)]++;
  }

  void waited(Instant arrived) {
    waited[minute(arrived)]++;
  }

  void failed(Instant arrived) {
    failed[minute(arrived)]++;
  }

  void held(Instant at, int count) {
    int m = minute(at);
    maxHeld[m] = Math.max(maxHeld[m], count);
  }

  /** From {@code at} on, {@code copies} exist and {@code ready} of them serve. */
  void copies(Instant at, int copies, int ready) {
    integrateTo(at);
    this.copies = copies;
    this.ready = ready;
  }

  List<Minute> minutes() {
    integrateTo(end);
    List<Minute> out = new ArrayList<>(arrivals.length);
    for (int m = 0; m < arrivals.length; m++) {
      Instant from = start.plusSeconds(60L * m);
      double length =
          Math.max(
              1e-9, LocalPlane.seconds(Duration.between(from, min(from.plusSeconds(60), end))));
      out.add(
          new Minute(
              from,
              arrivals[m],
              copySeconds[m] / length,
              readySeconds[m] / length,
              maxHeld[m],
              waited[m],
              failed[m]));
    }
    return out;
  }

  private void integrateTo(Instant to) {
    Instant from = changedAt;
    to = min(to, end);
    while (from.isBefore(to)) {
      int m = minute(from);
      Instant minuteEnd = min(start.plusSeconds(60L * (m + 1)), to);
      double seconds = LocalPlane.seconds(Duration.between(from, minuteEnd));
      copySeconds[m] += copies * seconds;
      readySeconds[m] += ready * seconds;
      from = minuteEnd;
    }
    changedAt = later(changedAt, to);
  }

  private int minute(Instant at) {
    long m = Duration.between(start, at).toMinutes();
    return (int) Math.max(0, Math.min(arrivals.length - 1, m));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
