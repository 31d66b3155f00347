package dev.ebb.whatif;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.local.ColdStarts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a new copy takes from the scale command to serving, and where that number comes from.
 * Every copy started in a simulation takes this long.
 *
 * @param phases the parts of {@code total}, in order, when they are known (display only)
 * @param source where the number comes from, for the report
 */
public record ColdStartModel(Duration total, Map<String, Duration> phases, String source) {
  public ColdStartModel {
    if (total.isNegative()) {
      throw new IllegalArgumentException("a cold start cannot take negative time");
    }
    phases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases)); // in order
  }

  /** A cold start given by hand. */
  public static ColdStartModel given(Duration total) {
    return new ColdStartModel(total, Map.of(), "given with --cold-start");
  }

  /**
   * The cold start the operator measured last for {@code component}: its {@code
   * status.lastColdStart}, from the pod's creation to the copy being ready, phase by phase.
   */
  public static Optional<ColdStartModel> measured(InferenceComponent component) {
    var status = component.getStatus();
    if (status == null
        || status.lastColdStart() == null
        || status.lastColdStart().seconds() == null) {
      return Optional.empty();
    }
    var last = status.lastColdStart();
    Map<String, Duration> phases = new LinkedHashMap<>();
    if (last.phases() != null) {
      last.phases().forEach((phase, seconds) -> phases.put(phase, seconds(seconds)));
    }
    return Optional.of(
        new ColdStartModel(
            seconds(last.seconds()),
            phases,
            "measured: status.lastColdStart of "
                + component.getMetadata().getName()
                + " (pod "
                + last.pod()
                + ", started "
                + last.startedAt()
                + ")"));
  }

  /**
   * The cold start the operator measured last for {@code component}, ended where the gateway could
   * first send to the copy rather than at kubelet's Ready: when {@code operatorLog} has the
   * gateway's {@link ColdStarts#PING_ANSWERED} line for the same pod, its seconds since the
   * container started replace the {@code ready} phase (Ready comes a startup-probe period later).
   * Without that line, as {@link #measured(InferenceComponent)}.
   */
  public static Optional<ColdStartModel> measured(
      InferenceComponent component, List<String> operatorLog) {
    Optional<ColdStartModel> atReady = measured(component);
    var last = component.getStatus() == null ? null : component.getStatus().lastColdStart();
    if (atReady.isEmpty() || last == null || !atReady.get().phases().containsKey("ready")) {
      return atReady;
    }
    Optional<Double> answered = Optional.empty();
    for (String line : operatorLog) {
      var fields = LogFields.of(line, ColdStarts.PING_ANSWERED, null);
      if (fields.isPresent() && String.valueOf(last.pod()).equals(fields.get().get("pod"))) {
        try {
          answered =
              Optional.of(
                  Double.parseDouble(
                      fields.get().getOrDefault("since_container_started_seconds", "")));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "the operator's log: since_container_started_seconds of pod "
                  + last.pod()
                  + " is not a number",
              e);
        }
      }
    }
    if (answered.isEmpty()) {
      return atReady;
    }
    ColdStartModel ready = atReady.get();
    Map<String, Duration> phases = new LinkedHashMap<>(ready.phases());
    Duration untilReady = phases.remove("ready");
    Duration untilPing = seconds(answered.get());
    phases.put("pingAnswered", untilPing);
    return Optional.of(
        new ColdStartModel(
            ready.total().minus(untilReady).plus(untilPing),
            phases,
            ready.source() + ", to the gateway's first /ping answer (its log) rather than Ready"));
  }

  /** The operator's meter of whole cold starts, per namespace and component. */
  static final String METRIC = "ebb_local_cold_start_seconds";

  /** bench/coldstart.sh's phases, in order: the scale command to the first request served. */
  private static final List<String> BENCH_PHASES =
      List.of(
          "scale_command_to_scheduled",
          "scheduled_to_server_started",
          "server_started_to_ping_ok",
          "ping_ok_to_first_request");

  /**
   * The cold start in a file: a scrape of the operator's {@code /q/metrics} (the mean of {@code
   * ebb_local_cold_start_seconds} for {@code component}, {@code namespace/name} or just the name),
   * or the output of {@code bench/coldstart.sh} (the sum of its phases' p50, from the scale command
   * to the first request at the server).
   *
   * @throws IllegalArgumentException when the file is neither, or holds no cold start of {@code
   *     component}
   */
  public static ColdStartModel read(String name, List<String> lines, String component) {
    if (lines.stream().anyMatch(l -> l.startsWith(METRIC + "_count"))) {
      return fromMetrics(name, lines, component);
    }
    if (lines.stream().anyMatch(l -> l.startsWith(BENCH_PHASES.get(0) + "_ms_p50="))) {
      return fromColdStartBench(name, lines);
    }
    throw new IllegalArgumentException(
        name
            + ": neither a scrape of the operator's /q/metrics (with "
            + METRIC
            + ") nor the output of bench/coldstart.sh");
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^(" + METRIC + "_(?:count|sum|max))\\{([^}]*)\\}\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private static ColdStartModel fromMetrics(String name, List<String> lines, String component) {
    double count = 0;
    double sum = 0;
    double max = 0;
    for (String line : lines) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.find()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String qualified = labels.get("namespace") + "/" + labels.get("component");
      if (!component.equals(qualified) && !component.equals(labels.get("component"))) {
        continue;
      }
      double value = Double.parseDouble(m.group(3));
      switch (m.group(1).substring(METRIC.length() + 1)) {
        case "count" -> count += value;
        case "sum" -> sum += value;
        default -> max = Math.max(max, value);
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException(
          name
              + ": no cold start of "
              + component
              + " ("
              + METRIC
              + "_count is 0 or absent: no copy of it became ready since the operator started)");
    }
    return new ColdStartModel(
        seconds(sum / count),
        Map.of(),
        String.format(
            Locale.ROOT,
            "measured: the mean of %.0f cold start(s) of %s in %s (%s; max %.1f s)",
            count,
            component,
            name,
            METRIC,
            max));
  }

  private static ColdStartModel fromColdStartBench(String name, List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("[")) {
        values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    Map<String, Duration> phases = new LinkedHashMap<>();
    Duration total = Duration.ZERO;
    for (String phase : BENCH_PHASES) {
      String value = values.get(phase + "_ms_p50");
      if (value == null) {
        throw new IllegalArgumentException(name + ": " + phase + "_ms_p50 is missing");
      }
      try {
        Duration d = Duration.ofMillis(Math.round(Double.parseDouble(value)));
        phases.put(phase, d);
        total = total.plus(d);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            name + ": " + phase + "_ms_p50=" + value + " is not a number", e);
      }
    }
    return new ColdStartModel(
        total,
        phases,
        "measured: bench/coldstart.sh's p50 per phase in "
            + name
            + ", the scale command to the first request at the model server");
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
