package dev.ebb.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What-if's prediction held against what was measured: the requests a component really got (the
 * gateway's access log) replayed through the simulation, and what it predicts (cold starts, waits,
 * copies) set beside what the gateway and the operator did with them.
 */
public record RealityCheck(String label, Map<Measure, Row> rows) {

  /** What is compared. */
  public enum Measure {
    REQUESTS("requests", ""),
    FAILED("failed requests", ""),
    WAKES("cold starts (wakes from zero)", ""),
    COPY_STARTS("copies started", ""),
    WAITED("requests that waited", ""),
    WAIT_P50("wait p50", "s"),
    WAIT_MAX("wait max", "s"),
    COPY_SECONDS("copy-seconds", "s"),
    BACK_AT_ZERO("back at zero, after the first request", "s");

    final String label;
    final String unit;

    Measure(String label, String unit) {
      this.label = label;
      this.unit = unit;
    }

    public String label() {
      return label;
    }
  }

  /** One measure, predicted and measured; NaN where the run never got there. */
  public record Row(Measure measure, double predicted, double measured) {
    /** Predicted minus measured. */
    public double error() {
      return predicted - measured;
    }

    /** {@link #error()} as a fraction of what was measured; NaN when nothing was. */
    public double relativeError() {
      return measured == 0 ? Double.NaN : error() / measured;
    }
  }

  /**
   * Replays {@code measured}'s requests under {@code scenario} over the same span, from the copies
   * it began with, and compares.
   *
   * @param unsentDuration what a request the gateway never sent is assumed to take at a copy
   */
  public static RealityCheck replay(
      String label, LocalScenario scenario, MeasuredRun measured, Duration unsentDuration) {
    List<TraceRequest> requests = new ArrayList<>();
    for (AccessLogRecord r : measured.requests()) {
      requests.add(
          new TraceRequest(
              r.arrived(), r.duration().isZero() ? unsentDuration : r.duration(), r.bytes()));
    }
    Trace trace = new Trace(label, measured.start(), measured.end(), requests);
    PlaneRun predicted =
        LocalPlane.run(label, scenario.withInitialCopies(measured.copies().get(0).copies()), trace);
    return of(label, predicted, measured);
  }

  /** {@code predicted} beside {@code measured}; both must cover the same requests and span. */
  public static RealityCheck of(String label, PlaneRun predicted, MeasuredRun measured) {
    Summary summary = Summary.of(predicted, OptionalDouble.empty());
    double[] waits = measured.waits();
    Instant first =
        measured.requests().isEmpty() ? measured.start() : measured.requests().get(0).arrived();
    Map<Measure, Row> rows = new EnumMap<>(Measure.class);
    put(rows, Measure.REQUESTS, summary.requests(), measured.requests().size());
    put(rows, Measure.FAILED, summary.failed(), measured.failed());
    put(rows, Measure.WAKES, predicted.wakes(), measured.wakes());
    put(rows, Measure.COPY_STARTS, predicted.copyStarts(), measured.copyStarts());
    put(rows, Measure.WAITED, summary.waited(), measured.waited());
    put(rows, Measure.WAIT_P50, summary.waitP50Seconds(), Summary.percentile(waits, 0.50));
    put(
        rows,
        Measure.WAIT_MAX,
        summary.waitMaxSeconds(),
        waits.length == 0 ? 0 : waits[waits.length - 1]);
    put(rows, Measure.COPY_SECONDS, predicted.copySeconds(), measured.copySeconds());
    put(
        rows,
        Measure.BACK_AT_ZERO,
        predicted.activities().stream()
            .filter(a -> a.to() == 0 && a.from() > 0)
            .reduce((a, b) -> b)
            .map(a -> LocalPlane.seconds(Duration.between(first, a.time())))
            .orElse(Double.NaN),
        measured
            .lastAtZero()
            .map(at -> LocalPlane.seconds(Duration.between(first, at)))
            .orElse(Double.NaN));
    return new RealityCheck(label, Map.copyOf(rows));
  }

  private static void put(Map<Measure, Row> rows, Measure m, double predicted, double measured) {
    rows.put(m, new Row(m, predicted, measured));
  }

  public Row row(Measure measure) {
    return rows.get(measure);
  }

  /** The comparison as a plain-text table, one measure a line. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "what-if against reality: %s%n", label));
    out.append(
        String.format(
            Locale.ROOT, "  %-40s %12s %12s %12s%n", "", "predicted", "measured", "error"));
    for (Measure m : Measure.values()) {
      Row row = rows.get(m);
      out.append(
          String.format(
              Locale.ROOT,
              "  %-40s %12s %12s %12s%n",
              m.label,
              number(row.predicted(), m.unit),
              number(row.measured(), m.unit),
              number(row.error(), m.unit)));
    }
    return out.toString();
  }

  static String number(double value, String unit) {
    if (Double.isNaN(value)) {
      return "-";
    }
    if (unit.isEmpty()) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, "%.2f %s", value, unit);
  }
}
