package dev.ebb.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What really happened to one component over a span: its requests as the gateway logged them, and
 * the copies the operator asked for over time (the Deployment's {@code spec.replicas}, as
 * observed). What-if's prediction for the same requests is held against it ({@link RealityCheck}).
 *
 * @param copies the copies asked for, each from its instant on; the first is in force at {@code
 *     start}
 */
public record MeasuredRun(
    Instant start, Instant end, List<AccessLogRecord> requests, List<CopiesAt> copies) {

  /** {@code copies} were asked for from {@code at} on. */
  public record CopiesAt(Instant at, int copies) {}

  public MeasuredRun {
    requests = requests.stream().sorted(Comparator.comparing(AccessLogRecord::arrived)).toList();
    copies = copies.stream().sorted(Comparator.comparing(CopiesAt::at)).toList();
    if (copies.isEmpty() || copies.get(0).at().isAfter(start)) {
      throw new IllegalArgumentException("the copies in force at the start must be known");
    }
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("a run cannot end before it starts");
    }
  }

  /**
   * What the operator's log says happened to {@code component}: its requests (the gateway's access
   * log) and its scaling activities ({@code ebb-scale} lines), from the first of them to the log's
   * end (its last line that starts with a timestamp, as Ebb's lines and {@code kubectl logs
   * --timestamps} do; else the last of them). Before its first activity the component had the
   * copies that activity scaled from.
   *
   * @throws IllegalArgumentException when the log holds no scaling activity of the component (the
   *     copies it ran are then unknown), or a line is not what the operator writes
   */
  public static MeasuredRun fromLog(String name, List<String> lines, String component) {
    List<AccessLogRecord> requests = new ArrayList<>();
    List<ScaleLogRecord> scales = new ArrayList<>();
    Instant lastLine = Instant.MIN;
    for (int i = 0; i < lines.size(); i++) {
      String where = name + ":" + (i + 1);
      Instant stamped = leadingTimestamp(lines.get(i));
      lastLine = stamped != null && stamped.isAfter(lastLine) ? stamped : lastLine;
      AccessLogRecord.parse(lines.get(i), where)
          .filter(r -> r.isFor(component))
          .ifPresent(requests::add);
      ScaleLogRecord.parse(lines.get(i), where)
          .filter(r -> r.isFor(component))
          .ifPresent(scales::add);
    }
    if (scales.isEmpty()) {
      throw new IllegalArgumentException(
          name
              + ": no scaling activity (ebb-scale line) of "
              + component
              + ": the copies it ran are unknown; the leader's log holds them");
    }
    scales.sort(Comparator.comparing(ScaleLogRecord::time));
    Instant start = scales.get(0).time();
    Instant end = scales.get(scales.size() - 1).time();
    for (AccessLogRecord r : requests) {
      start = r.arrived().isBefore(start) ? r.arrived() : start;
      Instant answered = r.arrived().plus(r.waited()).plus(r.duration());
      end = answered.isAfter(end) ? answered : end;
    }
    end = lastLine.isAfter(end) ? lastLine : end;
    List<CopiesAt> copies = new ArrayList<>();
    copies.add(new CopiesAt(start, scales.get(0).from()));
    for (ScaleLogRecord s : scales) {
      copies.add(new CopiesAt(s.time(), s.to()));
    }
    return new MeasuredRun(start, end, requests, copies);
  }

  /** The instant a log line starts with, if it starts with one (RFC 3339 with an offset). */
  private static Instant leadingTimestamp(String line) {
    int space = line.indexOf(' ');
    if (space < 20 || !Character.isDigit(line.charAt(0))) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(line.substring(0, space)).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** Times the component went from no copy to some: the cold starts users waited on. */
  public int wakes() {
    int wakes = 0;
    for (int i = 1; i < copies.size(); i++) {
      if (copies.get(i - 1).copies() == 0 && copies.get(i).copies() > 0) {
        wakes++;
      }
    }
    return wakes;
  }

  /** Copies asked for over the span: every increase. */
  public int copyStarts() {
    int starts = 0;
    for (int i = 1; i < copies.size(); i++) {
      starts += Math.max(0, copies.get(i).copies() - copies.get(i - 1).copies());
    }
    return starts;
  }

  /** Copies × seconds they were asked for, within the span. */
  public double copySeconds() {
    double total = 0;
    for (int i = 0; i < copies.size(); i++) {
      Instant from = later(copies.get(i).at(), start);
      Instant to = i + 1 < copies.size() ? copies.get(i + 1).at() : end;
      to = to.isAfter(end) ? end : to;
      if (to.isAfter(from)) {
        total += copies.get(i).copies() * LocalPlane.seconds(Duration.between(from, to));
      }
    }
    return total;
  }

  /** When the component last went to zero copies, if it did within the span. */
  public java.util.Optional<Instant> lastAtZero() {
    for (int i = copies.size() - 1; i > 0; i--) {
      if (copies.get(i).copies() == 0 && copies.get(i - 1).copies() > 0) {
        return java.util.Optional.of(copies.get(i).at());
      }
    }
    return java.util.Optional.empty();
  }

  /** Requests sent after waiting for a copy. */
  public int waited() {
    return (int) requests.stream().filter(AccessLogRecord::waitedForACopy).count();
  }

  /** Requests the gateway answered without a copy: its bounds, its timeout. */
  public int failed() {
    return (int) requests.stream().filter(AccessLogRecord::refusedByTheGateway).count();
  }

  /** The waits of the requests sent, in seconds, sorted; a wait for no copy counts as 0. */
  public double[] waits() {
    List<Double> waits = new ArrayList<>();
    for (AccessLogRecord r : requests) {
      if (!r.refusedByTheGateway()) {
        waits.add(r.waitedForACopy() ? LocalPlane.seconds(r.waited()) : 0);
      }
    }
    return waits.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
