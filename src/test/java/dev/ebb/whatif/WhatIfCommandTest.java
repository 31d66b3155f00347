package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user runs it, on the seed's local LLM sample and the bundled week. */
class WhatIfCommandTest {
  static final Path SAMPLE = Path.of("config/samples/llm-local.yaml");

  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  Result whatIf(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        WhatIfCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theSeedPolicyOnTheBundledWeekPrintsTheTableAndWritesTheReport() throws IOException {
    Path report = dir.resolve("r.html");
    Path json = dir.resolve("r.json");
    Result r =
        whatIf(
            "--policy", SAMPLE.toString(),
            "--trace", "builtin:week",
            "--cold-start", "95s",
            "--report", report.toString(),
            "--json", json.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("llama3-8b-local")
        .contains("p99 wait")
        .contains("cold start: 95 s");
    String html = Files.readString(report);
    // Self-contained: the plotting library is inlined, nothing is fetched.
    assertThat(html).contains("uPlot").doesNotContain("src=\"http").doesNotContain("href=\"http");
    JsonNode summary = new ObjectMapper().readTree(json.toFile()).path("policies").get(0);
    assertThat(summary.path("policy").asText()).isEqualTo("llama3-8b-local");
    assertThat(summary.path("coldStarts").asInt()).isPositive();
    assertThat(summary.path("costUsd").asDouble()).isPositive();
    assertThat(summary.path("costVersusAlwaysOn").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void badInputIsNamedAndExitsTwo() {
    Result noTrace = whatIf("--policy", SAMPLE.toString(), "--cold-start", "95s");
    assertThat(noTrace.status()).isEqualTo(2);
    assertThat(noTrace.err()).contains("--trace is required");

    Result noColdStart = whatIf("--policy", SAMPLE.toString(), "--trace", "builtin:week");
    assertThat(noColdStart.status()).isEqualTo(2);
    assertThat(noColdStart.err()).contains("--cold-start").contains("status.lastColdStart");

    assertThat(whatIf("--policy", SAMPLE.toString(), "--cold-start", "soon").err())
        .contains("--cold-start soon: not a duration (e.g. 95s, 4m) nor a file");
    assertThat(whatIf("--policy", SAMPLE.toString(), "--tick", "0s").err())
        .contains("--tick must be longer than 0");
  }

  @Test
  void aPolicyOnAnEndpointsInstancesIsRefusedForWhatItIs() throws IOException {
    Path policy = dir.resolve("instances.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: instances}
        spec:
          targetRef: {kind: InferenceEndpoint, name: llama3-local, variant: AllTraffic}
          minCapacity: 1
          maxCapacity: 2
        """);

    Result r =
        whatIf(
            "--policy",
            policy.toString(),
            "--component",
            SAMPLE.toString(),
            "--trace",
            "builtin:week",
            "--cold-start",
            "95s");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("ScalingPolicy instances targets InferenceEndpoint")
        .contains("what-if replays policies on an InferenceComponent");
  }

  @Test
  void theColdStartIsReadFromTheOperatorsMetricsOrTheColdStartBench() throws IOException {
    Path scrape = dir.resolve("metrics.txt");
    Files.writeString(
        scrape,
        """
        # HELP ebb_local_cold_start_seconds Cold start of a backend local copy: pod created to ready
        # TYPE ebb_local_cold_start_seconds summary
        ebb_local_cold_start_seconds_count{component="llama3-8b-local",namespace="ml",} 4.0
        ebb_local_cold_start_seconds_sum{component="llama3-8b-local",namespace="ml",} 380.0
        ebb_local_cold_start_seconds_max{component="llama3-8b-local",namespace="ml",} 120.5
        ebb_local_cold_start_seconds_count{component="other",namespace="ml",} 1.0
        ebb_local_cold_start_seconds_sum{component="other",namespace="ml",} 9.0
        """);
    Result fromMetrics =
        whatIf(
            "--policy", SAMPLE.toString(),
            "--trace", "builtin:week",
            "--cold-start", scrape.toString(),
            "--tick", "1s",
            "--report", dir.resolve("a.html").toString(),
            "--json", dir.resolve("a.json").toString());
    assertThat(fromMetrics.status()).as(fromMetrics.err()).isZero();
    JsonNode assumed =
        new ObjectMapper().readTree(dir.resolve("a.json").toFile()).path("coldStart");
    assertThat(assumed.path("seconds").asDouble()).isEqualTo(95.0);
    assertThat(assumed.path("source").asText())
        .contains("mean of 4 cold start(s) of llama3-8b-local")
        .contains("max 120.5 s");

    Path bench = dir.resolve("coldstart.out");
    Files.writeString(
        bench,
        """
        [ebb-bench] round 1: {...}
        first_request_to_scale_command_ms_p50=42
        first_request_to_scale_command_ms_max=311
        scale_command_to_scheduled_ms_p50=23
        scheduled_to_server_started_ms_p50=1955
        model_fetch_ms_p50=2000
        server_started_to_ping_ok_ms_p50=2157
        ping_ok_to_first_request_ms_p50=5
        first_request_to_first_byte_ms_p50=4219
        """);
    ColdStartModel fromBench =
        ColdStartModel.read(bench.toString(), Files.readAllLines(bench), "ml/llama3-8b-local");
    // The scale command to the first request at the server: 23 + 1955 + 2157 + 5 ms.
    assertThat(fromBench.total()).isEqualTo(java.time.Duration.ofMillis(4140));
    assertThat(fromBench.phases()).containsKeys("scale_command_to_scheduled");

    Result none =
        whatIf(
            "--policy", SAMPLE.toString(),
            "--trace", "builtin:week",
            "--cold-start", dir.resolve("a.json").toString());
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("neither a scrape of the operator's /q/metrics");
  }

  @Test
  void checkHoldsThePredictionAgainstWhatTheOperatorsLogSaysHappened() throws IOException {
    java.time.Instant t0 = java.time.Instant.parse("2026-12-01T09:00:00Z");
    List<String> log = new ArrayList<>();
    log.add("2026-12-01T09:00:00.000Z level=INFO  logger=i.quarkus msg=ebb started");
    for (int i = 0; i < 5; i++) {
      log.add(access(t0.plusSeconds(1), 95_040, 1_500));
    }
    log.add(
        "2026-12-01T09:00:01.050Z level=INFO  logger=d.e.l.scaling msg=ebb-scale"
            + " time=2026-12-01T09:00:01.030Z namespace=ml component=llama3-8b-local from=0 to=1"
            + " trigger=Demand reason=held requests at zero copies (5)");
    log.add(access(t0.plusSeconds(300), 0.04, 1_200));
    // Idle from 301.2 s on: 900 s later, on the 2 s tick.
    log.add(
        "2026-12-01T09:20:02.000Z level=INFO  logger=d.e.l.scaling msg=ebb-scale"
            + " time=2026-12-01T09:20:02.000Z namespace=ml component=llama3-8b-local from=1 to=0"
            + " trigger=Tick reason=idle for 900 s");
    // The log goes on: its last timestamped line ends the span, so the prediction's scale-in
    // (a tick later, perhaps) is inside it.
    log.add("2026-12-01T09:25:00.000Z level=INFO  logger=i.j.o.p.e.EventProcessor msg=reconciled");
    Path trace = dir.resolve("ebb.log");
    Files.write(trace, log);
    Path json = dir.resolve("c.json");

    Result r =
        whatIf(
            "--policy",
            SAMPLE.toString(),
            "--trace",
            trace.toString(),
            "--cold-start",
            "95s",
            "--check",
            "--report",
            dir.resolve("c.html").toString(),
            "--json",
            json.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("what-if against reality: llama3-8b-local", "wait max");
    assertThat(Files.readString(dir.resolve("c.html")))
        .contains("Against what happened: llama3-8b-local", "cold starts (wakes from zero)");
    JsonNode measures =
        new ObjectMapper().readTree(json.toFile()).path("realityCheck").get(0).path("measures");
    assertThat(measures.path("WAKES").path("measured").asInt()).isEqualTo(1);
    assertThat(measures.path("WAKES").path("error").asDouble()).isZero();
    assertThat(measures.path("WAITED").path("measured").asInt()).isEqualTo(5);
    assertThat(measures.path("WAITED").path("error").asDouble()).isZero();
    assertThat(measures.path("WAIT_MAX").path("error").asDouble()).isBetween(-0.1, 0.0);
    assertThat(measures.path("BACK_AT_ZERO").path("predicted").isNumber()).isTrue();
    assertThat(measures.path("BACK_AT_ZERO").path("error").asDouble()).isBetween(-2.0, 2.0);

    Path noScaling = dir.resolve("requests-only.log");
    Files.write(noScaling, log.stream().filter(l -> !l.contains("ebb-scale")).toList());
    Result unknown =
        whatIf(
            "--policy",
            SAMPLE.toString(),
            "--trace",
            noScaling.toString(),
            "--cold-start",
            "95s",
            "--check");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("no scaling activity (ebb-scale line) of llama3-8b-local");
  }

  @Test
  void aSageMakerPolicyIsReplayedWithAndWithoutTheGateway() throws IOException {
    Path json = dir.resolve("s.json");
    Result r =
        whatIf(
            "--policy", "config/samples/llm-scale-to-zero.yaml",
            "--trace", "builtin:week",
            "--cold-start", "5m",
            "--report", dir.resolve("s.html").toString(),
            "--json", json.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("backend sagemaker, the recipe alone")
        .contains("llama3-8b (recipe alone)")
        .contains("llama3-8b (Ebb's gateway)");
    JsonNode policies = new ObjectMapper().readTree(json.toFile()).path("policies");
    assertThat(policies).hasSize(2);
    // Without the gateway, requests that find no copy fail; with it, they wait instead, and only
    // the sample's weekend schedule (max capacity 0) has them refused.
    assertThat(policies.get(0).path("failedBy").path("NO_CAPACITY").asInt()).isPositive();
    assertThat(policies.get(1).path("failedBy").has("NO_CAPACITY")).isFalse();
    assertThat(policies.get(1).path("failedBy").has("TIMED_OUT")).isFalse();
    assertThat(policies.get(1).path("waited").asInt()).isPositive();
  }

  /**
   * Without --cold-start or prices, a SageMaker component on a listed instance type gets AWS's
   * measured cold start and list price, each named with its source, and is priced by the instances
   * under its copies.
   */
  @Test
  void aSageMakerPolicyDefaultsToAwssColdStartAndPriceForItsInstanceType() throws IOException {
    Path json = dir.resolve("d.json");
    Result r =
        whatIf(
            "--policy",
            "config/samples/llm-scale-to-zero.yaml",
            "--trace",
            "builtin:week",
            "--report",
            dir.resolve("d.html").toString(),
            "--json",
            json.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("346 s (AWS's measured P50 for a copy on a new ml.g5.2xlarge")
        .contains("USD 1.5150 per ml.g5.2xlarge instance-hour")
        .contains("1 copy per ml.g5.2xlarge")
        .contains("instance-hours");
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertThat(doc.at("/coldStart/seconds").asDouble()).isEqualTo(346.0);
    for (JsonNode policy : doc.path("policies")) {
      double instanceHours = policy.path("instanceHours").asDouble();
      // An instance outlives its copy by SageMaker's 10 idle minutes: never fewer hours.
      assertThat(instanceHours).isGreaterThanOrEqualTo(policy.path("copyHours").asDouble());
      assertThat(policy.path("costUsd").asDouble()).isCloseTo(instanceHours * 1.515, within(0.01));
      assertThat(policy.path("alwaysOnInstances").asInt()).isPositive();
    }
    assertThat(Files.readString(dir.resolve("d.html"))).contains("Instances under the copies");
  }

  @Test
  void anInstanceTypeWithoutAMeasuredColdStartAsksForOne() throws IOException {
    Path sample = dir.resolve("p4d.yaml");
    Files.writeString(
        sample,
        Files.readString(Path.of("config/samples/llm-scale-to-zero.yaml"))
            .replace("ml.g5.2xlarge", "ml.p4d.24xlarge"));
    Result r = whatIf("--policy", sample.toString(), "--trace", "builtin:week");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("no cold start to assume")
        .contains("ml.p4d.24xlarge")
        .contains("give --cold-start");
  }

  static String access(java.time.Instant at, double waitedMs, double durationMs) {
    return String.format(
        java.util.Locale.ROOT,
        "%s level=INFO  logger=d.e.g.access msg=ebb-access time=%s namespace=ml"
            + " component=llama3-8b-local outcome=200 waited_ms=%.3f duration_ms=%.3f bytes=100",
        at,
        at,
        waitedMs,
        durationMs);
  }
}
