package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    Result sagemaker =
        whatIf(
            "--policy", "config/samples/llm-scale-to-zero.yaml",
            "--trace", "builtin:week",
            "--cold-start", "5m");
    assertThat(sagemaker.status()).isEqualTo(2);
    assertThat(sagemaker.err()).contains("backend sagemaker");

    assertThat(whatIf("--policy", SAMPLE.toString(), "--cold-start", "soon").err())
        .contains("--cold-start soon: not a duration");
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
}
