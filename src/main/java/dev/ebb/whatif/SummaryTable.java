package dev.ebb.whatif;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** The comparison as a terminal table, and as JSON-ready maps. */
public final class SummaryTable {
  static final String[] HEADER = {
    "policy",
    "copy-hours",
    "instance-hours",
    "cost USD",
    "vs always-on",
    "cold starts",
    "waited",
    "p50 wait",
    "p95 wait",
    "p99 wait",
    "max wait",
    "failed"
  };

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private SummaryTable() {}

  /** The inputs in one paragraph, then one row per policy. */
  public static String text(Comparison comparison) {
    StringBuilder out = new StringBuilder();
    out.append(context(comparison)).append("\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    comparison.summaries().forEach(s -> rows.add(row(s)));
    int[] widths = new int[HEADER.length];
    rows.forEach(
        r -> {
          for (int i = 0; i < r.length; i++) {
            widths[i] = Math.max(widths[i], r[i].length());
          }
        });
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        String cell = i == 0 ? pad(r[i], widths[i]) : padLeft(r[i], widths[i]);
        out.append(cell).append(i == r.length - 1 ? "\n" : "  ");
      }
    }
    out.append(
        "\ncold starts: copies started from zero (users wait on these); waited: requests held"
            + " until a copy was ready; waits are over every request sent (most wait 0);"
            + " always-on: the run's peak copies (on SageMaker, the instances they need), all the"
            + " time; instance-hours: on SageMaker, the instances under the copies, which"
            + " SageMaker bills.\n");
    return out.toString();
  }

  static String context(Comparison c) {
    Trace trace = c.trace();
    return String.format(
        Locale.ROOT,
        "what-if on %s\ntrace: %s, %s .. %s, %,d requests\ncold start: %s (%s)\nprice: %s",
        c.runs().isEmpty()
            ? LocalPlane.PLANE
            : String.join("; ", c.runs().stream().map(PlaneRun::plane).distinct().toList()),
        trace.name(),
        WHEN.format(trace.start()),
        WHEN.format(trace.end()),
        trace.requests().size(),
        Summary.seconds(LocalPlane.seconds(c.coldStart().total())),
        c.coldStart().source(),
        c.priceSource());
  }

  static String[] row(Summary s) {
    return new String[] {
      s.label(),
      String.format(Locale.ROOT, "%.1f", s.copyHours()),
      s.instanceHours().isPresent()
          ? String.format(Locale.ROOT, "%.1f", s.instanceHours().getAsDouble())
          : "-",
      money(s.cost()),
      s.costVersusAlwaysOn().isPresent()
          ? String.format(Locale.ROOT, "%.0f%%", 100 * s.costVersusAlwaysOn().getAsDouble())
          : "-",
      Integer.toString(s.wakes()),
      String.format(Locale.ROOT, "%,d", s.waited()),
      Summary.seconds(s.waitP50Seconds()),
      Summary.seconds(s.waitP95Seconds()),
      Summary.seconds(s.waitP99Seconds()),
      Summary.seconds(s.waitMaxSeconds()),
      String.format(Locale.ROOT, "%,d", s.failed())
    };
  }

  /** One summary as JSON fields (numbers as numbers, absent prices as null). */
  static Map<String, Object> json(Summary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", s.label());
    m.put("requests", s.requests());
    m.put("copyHours", round(s.copyHours()));
    m.put(
        "instanceHours",
        s.instanceHours().isPresent() ? round(s.instanceHours().getAsDouble()) : null);
    m.put("costUsd", s.cost().isPresent() ? round(s.cost().getAsDouble()) : null);
    m.put("alwaysOnCopies", s.alwaysOnCopies());
    m.put("alwaysOnInstances", s.instanceHours().isPresent() ? s.alwaysOnInstances() : null);
    m.put(
        "alwaysOnCostUsd",
        s.alwaysOnCost().isPresent() ? round(s.alwaysOnCost().getAsDouble()) : null);
    m.put(
        "costVersusAlwaysOn",
        s.costVersusAlwaysOn().isPresent() ? round(s.costVersusAlwaysOn().getAsDouble()) : null);
    m.put("copyStarts", s.copyStarts());
    m.put("coldStarts", s.wakes());
    m.put("waited", s.waited());
    m.put("waitP50Seconds", round(s.waitP50Seconds()));
    m.put("waitP95Seconds", round(s.waitP95Seconds()));
    m.put("waitP99Seconds", round(s.waitP99Seconds()));
    m.put("waitMaxSeconds", round(s.waitMaxSeconds()));
    m.put("failed", s.failed());
    Map<String, Integer> by = new LinkedHashMap<>();
    s.failedBy().forEach((why, n) -> by.put(why.name(), n));
    m.put("failedBy", by);
    return m;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String money(OptionalDouble usd) {
    return usd.isPresent() ? String.format(Locale.ROOT, "%,.2f", usd.getAsDouble()) : "-";
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String padLeft(String s, int width) {
    return " ".repeat(width - s.length()) + s;
  }
}
