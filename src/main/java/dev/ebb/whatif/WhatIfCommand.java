package dev.ebb.whatif;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ebb.api.v1alpha1.InferenceComponent;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar quarkus-run.jar what-if ...}: replays ScalingPolicies against a request trace
 * and prints what each would cost and how users would wait; writes an HTML report and JSON.
 */
public final class WhatIfCommand {
  static final String USAGE =
      """
      usage: what-if --policy FILE [--policy FILE ...] --trace FILE.csv|builtin:week
                     [--component FILE] [--endpoint FILE] [--cold-start DURATION|FILE]
                     [--gpu-hour-price USD | --copy-hour-price USD] [--instance-hour-price USD]
                     [--copies-per-instance N] [--default-duration DURATION]
                     [--tick DURATION] [--check] [--report FILE.html] [--json FILE.json]

        --policy            a ScalingPolicy manifest, as applied; several compare side by side.
                            A file may hold the component and endpoint too (one YAML stream).
        --component         the InferenceComponent (and its InferenceEndpoint) manifests, if not
                            in the policy's file; with status (kubectl get -o yaml), its
                            status.lastColdStart is the cold start assumed
        --endpoint          the InferenceEndpoint manifest: its spec.local.gateway bounds apply
        --trace             CSV with a header: time (RFC 3339 or epoch seconds), optional
                            duration_ms and bytes; or the operator's log with the gateway's
                            access log on (ebb.gateway.access-log, kubectl logs as it is);
                            or builtin:week, a synthetic week
        --cold-start        how long a new copy takes to serve, e.g. 95s, 4m; or a file that
                            measured it: a scrape of the operator's /q/metrics (the mean of
                            ebb_local_cold_start_seconds for the component), or the output of
                            bench/coldstart.sh (default: the component's status.lastColdStart;
                            on backend sagemaker, AWS's measured time for the instance type,
                            where AWS published one)
        --gpu-hour-price    USD per GPU-hour (default 1.006: EC2 g5.xlarge on demand, us-east-1)
        --copy-hour-price   USD per copy-hour, instead of GPUs × the GPU-hour price
        --instance-hour-price
                            backend sagemaker: USD per instance-hour of the variant's instance
                            type (default: its on-demand list price in us-east-1, where known)
        --copies-per-instance
                            backend sagemaker: copies that fit on one instance (default: the
                            instance's accelerators over the copy's, else 1)
        --default-duration  a request's duration where the trace has none (default 1s)
        --tick              how often the operator evaluates a policy besides on demand: the
                            chart's local.autoscalingTick (default 2s)
        --check             with the operator's log as the trace: also replays what happened
                            (its access log and its ebb-scale lines) and prints each policy's
                            prediction beside what was measured: cold starts, waits, copies
        --report            where to write the HTML report (default what-if.html)
        --json              where to write the summary as JSON (default what-if.json)
      """;

  private WhatIfCommand() {}

  /** Runs the command; the exit status: 0 done, 2 bad arguments or inputs. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      Options options = Options.parse(args);
      if (options.help) {
        out.print(USAGE);
        return 0;
      }
      Manifests manifests = new Manifests();
      List<WhatIf.Candidate> candidates = new ArrayList<>();
      for (Path file : options.policies) {
        Manifests fromFile = new Manifests();
        read(fromFile, file);
        read(manifests, file);
        for (var policy : fromFile.policies()) {
          candidates.add(new WhatIf.Candidate(policy.getMetadata().getName(), policy));
        }
        if (fromFile.policies().isEmpty()) {
          throw new IllegalArgumentException(file + " holds no ScalingPolicy");
        }
      }
      for (Path file : options.others) {
        read(manifests, file);
      }
      InferenceComponent target = manifests.targetOf(candidates.get(0).policy());
      Trace trace = trace(options, target);
      Comparison comparison =
          WhatIf.compare(
              distinctLabels(candidates),
              manifests,
              trace,
              coldStart(options, target),
              new WhatIf.Pricing(
                  options.copyHourPrice,
                  options.gpuHourPrice.orElse(Prices.DEFAULT_GPU_HOUR),
                  options.gpuHourPrice.isPresent()
                      ? "USD " + options.gpuHourPrice.getAsDouble() + " per GPU-hour (given)"
                      : Prices.DEFAULT_GPU_HOUR_SOURCE,
                  options.instanceHourPrice,
                  options.copiesPerInstance),
              options.tick);
      out.print(SummaryTable.text(comparison));
      List<RealityCheck> checks = List.of();
      if (options.check) {
        checks = check(options, distinctLabels(candidates), manifests, target);
        checks.forEach(c -> out.print("\n" + c.table()));
      }
      Files.writeString(
          options.report, HtmlReport.render(comparison, checks), StandardCharsets.UTF_8);
      Files.writeString(options.json, json(comparison, checks), StandardCharsets.UTF_8);
      out.println("\nreport: " + options.report.toAbsolutePath());
      out.println("json:   " + options.json.toAbsolutePath());
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      err.println("what-if: " + e.getMessage());
      err.println("(what-if --help for usage)");
      return 2;
    }
  }

  /** Policies named alike (variants of one policy in several files) are told apart by file. */
  private static List<WhatIf.Candidate> distinctLabels(List<WhatIf.Candidate> candidates) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    candidates.forEach(c -> seen.merge(c.label(), 1, Integer::sum));
    List<WhatIf.Candidate> out = new ArrayList<>();
    Map<String, Integer> numbered = new LinkedHashMap<>();
    for (WhatIf.Candidate c : candidates) {
      if (seen.get(c.label()) == 1) {
        out.add(c);
      } else {
        int n = numbered.merge(c.label(), 1, Integer::sum);
        out.add(new WhatIf.Candidate(c.label() + " #" + n, c.policy()));
      }
    }
    return out;
  }

  private static void read(Manifests manifests, Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      manifests.read(file.toString(), in);
    }
  }

  /** The component as logs and metrics name it: {@code namespace/name}, or just the name. */
  private static String qualified(InferenceComponent component) {
    String name = component.getMetadata().getName();
    String namespace = component.getMetadata().getNamespace();
    return namespace == null ? name : namespace + "/" + name;
  }

  /** --cold-start: a duration, or a file that measured it (for the first policy's target). */
  private static Optional<ColdStartModel> coldStart(Options options, InferenceComponent target)
      throws IOException {
    if (options.coldStart == null) {
      return Optional.empty();
    }
    Path file = Path.of(options.coldStart);
    if (Files.isRegularFile(file)) {
      return Optional.of(
          ColdStartModel.read(
              file.toString(),
              Files.readAllLines(file, StandardCharsets.UTF_8),
              qualified(target)));
    }
    return Optional.of(ColdStartModel.given(duration("--cold-start", options.coldStart)));
  }

  /** --check: the log's measured run, replayed under each policy. */
  private static List<RealityCheck> check(
      Options options,
      List<WhatIf.Candidate> candidates,
      Manifests manifests,
      InferenceComponent target)
      throws IOException {
    Path file = Path.of(options.trace);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--check needs the operator's log as --trace (kubectl logs, with the gateway's access"
              + " log on)");
    }
    List<String> log = Files.readAllLines(file, StandardCharsets.UTF_8);
    MeasuredRun measured = MeasuredRun.fromLog(file.toString(), log, qualified(target));
    return WhatIf.check(
        candidates,
        manifests,
        measured,
        // Measured by the operator, to where its gateway could first send (the log says when).
        coldStart(options, target).or(() -> ColdStartModel.measured(target, log)),
        options.tick,
        options.defaultDuration);
  }

  private static Trace trace(Options options, InferenceComponent component) throws IOException {
    if (options.trace == null) {
      throw new IllegalArgumentException("--trace is required (a CSV file, or builtin:week)");
    }
    if (options.trace.equals("builtin:week")) {
      return SyntheticTrace.week();
    }
    Path file = Path.of(options.trace);
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      // An access log holds every component's requests: the first policy's target is replayed.
      return Trace.read(file.toString(), in, options.defaultDuration, qualified(component));
    }
  }

  static String json(Comparison comparison, List<RealityCheck> checks) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    Trace trace = comparison.trace();
    doc.put("plane", comparison.runs().stream().map(PlaneRun::plane).distinct().toList());
    doc.put(
        "trace",
        Map.of(
            "name", trace.name(),
            "start", trace.start().toString(),
            "end", trace.end().toString(),
            "requests", trace.requests().size()));
    doc.put(
        "coldStart",
        Map.of(
            "seconds", LocalPlane.seconds(comparison.coldStart().total()),
            "source", comparison.coldStart().source()));
    doc.put("price", comparison.priceSource());
    doc.put("policies", comparison.summaries().stream().map(SummaryTable::json).toList());
    if (!checks.isEmpty()) {
      doc.put("realityCheck", checks.stream().map(WhatIfCommand::json).toList());
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc)
        + "\n";
  }

  private static Map<String, Object> json(RealityCheck check) {
    Map<String, Object> rows = new LinkedHashMap<>();
    for (RealityCheck.Measure m : RealityCheck.Measure.values()) {
      RealityCheck.Row row = check.row(m);
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("predicted", finite(row.predicted()));
      values.put("measured", finite(row.measured()));
      values.put("error", finite(row.error()));
      rows.put(m.name(), values);
    }
    return Map.of("policy", check.label(), "measures", rows);
  }

  /** JSON has no NaN: a measure the run never reached is null. */
  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** A duration as people write it: 250ms, 95s, 4m, 1h, or ISO-8601 (PT95S). */
  static Duration duration(String flag, String value) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(value.strip());
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double millis =
          switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
          };
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          flag + " " + value + ": not a duration (e.g. 250ms, 95s, 4m, 1h)");
    }
  }

  private static final class Options {
    final List<Path> policies = new ArrayList<>();
    final List<Path> others = new ArrayList<>();
    String trace;
    String coldStart;
    Duration tick = LocalScenario.DEFAULT_TICK;
    OptionalDouble gpuHourPrice = OptionalDouble.empty();
    OptionalDouble copyHourPrice = OptionalDouble.empty();
    OptionalDouble instanceHourPrice = OptionalDouble.empty();
    java.util.OptionalInt copiesPerInstance = java.util.OptionalInt.empty();
    Duration defaultDuration = Duration.ofSeconds(1);
    Path report = Path.of("what-if.html");
    Path json = Path.of("what-if.json");
    boolean help;
    boolean check;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          o.help = true;
          continue;
        }
        if (flag.equals("--check")) {
          o.check = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--policy" -> o.policies.add(Path.of(value));
          case "--component", "--endpoint" -> o.others.add(Path.of(value));
          case "--trace" -> o.trace = value;
          case "--cold-start" -> o.coldStart = coldStart(flag, value);
          case "--tick" -> o.tick = positive(flag, duration(flag, value));
          case "--gpu-hour-price" -> o.gpuHourPrice = OptionalDouble.of(price(flag, value));
          case "--copy-hour-price" -> o.copyHourPrice = OptionalDouble.of(price(flag, value));
          case "--instance-hour-price" ->
              o.instanceHourPrice = OptionalDouble.of(price(flag, value));
          case "--copies-per-instance" ->
              o.copiesPerInstance = java.util.OptionalInt.of(count(flag, value));
          case "--default-duration" -> o.defaultDuration = duration(flag, value);
          case "--report" -> o.report = Path.of(value);
          case "--json" -> o.json = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (!o.help && o.policies.isEmpty()) {
        throw new IllegalArgumentException("--policy is required");
      }
      return o;
    }

    /** A duration, or a file that measured it: either is checked here. */
    private static String coldStart(String flag, String value) {
      if (!Files.isRegularFile(Path.of(value))) {
        try {
          duration(flag, value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              flag
                  + " "
                  + value
                  + ": not a duration (e.g. 95s, 4m) nor a file (a /q/metrics scrape,"
                  + " bench/coldstart.sh's output)");
        }
      }
      return value;
    }

    private static Duration positive(String flag, Duration value) {
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(flag + " must be longer than 0");
      }
      return value;
    }

    private static int count(String flag, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n < 1) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " " + value + ": not a whole number >= 1");
      }
    }

    private static double price(String flag, String value) {
      try {
        double usd = Double.parseDouble(value);
        if (usd < 0 || Double.isNaN(usd) || Double.isInfinite(usd)) {
          throw new NumberFormatException();
        }
        return usd;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            flag + " " + value + ": not a price in USD (e.g. 1.006)");
      }
    }
  }
}
