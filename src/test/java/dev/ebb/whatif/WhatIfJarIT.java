package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator runs what-if without starting the operator: no Kubernetes and no AWS are
 * needed, and it exits.
 */
class WhatIfJarIT {
  @Test
  void thePackagedJarRunsWhatIfAndExits() throws IOException, InterruptedException {
    Path report = Path.of("target/what-if-it.html");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/quarkus-app/quarkus-run.jar",
                "what-if",
                "--policy",
                "config/samples/llm-local.yaml",
                "--trace",
                "builtin:week",
                "--cold-start",
                "95s",
                "--report",
                report.toString(),
                "--json",
                "target/what-if-it.json")
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exits").isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).contains("llama3-8b-local").contains("report: ").doesNotContain("Quarkus");
    assertThat(report).exists();
  }
}
