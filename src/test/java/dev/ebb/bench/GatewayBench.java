package dev.ebb.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.helm.ChartInstall;
import dev.ebb.helm.HelmChart;
import dev.ebb.testing.EbbProcess;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.ReadyPods;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code bench/gateway.sh}: the gateway against a direct call and against nginx as a reverse proxy,
 * all in front of the same upstream (the Go echo model server) on loopback, in the same run.
 * Latency at a fixed 1,000 requests per second, maximum throughput with 64 connections (each
 * measured in {@code ebb.bench.rounds} rounds that interleave the three targets; the median and the
 * spread are reported), and the gateway's memory over a sustained run. Prints {@code key=value}
 * lines last. Runs only when {@code ebb.bench.tools} names the directory of the built Go tools.
 *
 * <p>The gateway is the packaged operator ({@code target/quarkus-app}) in a process of its own,
 * with the JVM flags the chart ships ({@code -Debb.bench.jvm-options=} replaces them), against the
 * test API server; nothing else runs beside it (no second operator, no simulator: the endpoint is
 * on backend local).
 */
@EnabledIfSystemProperty(named = "ebb.bench.tools", matches = ".+")
class GatewayBench {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path tools = Path.of(System.getProperty("ebb.bench.tools", ""));
  private final int rate = Integer.getInteger("ebb.bench.rate", 1000);
  private final Duration measure = Duration.ofSeconds(Long.getLong("ebb.bench.seconds", 10));
  private final Duration sustained = Duration.ofSeconds(Long.getLong("ebb.bench.sustained", 60));
  private final int rounds = Integer.getInteger("ebb.bench.rounds", 5);
  private final Duration maxWindow = Duration.ofSeconds(Long.getLong("ebb.bench.max-seconds", 5));

  /** Per-round values of each key, reported as the median with the spread. */
  private static final class Rounds {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    void add(String key, double value) {
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    double sum(String key) {
      return values.get(key).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** {@code key=median} and {@code key_spread=min..max} for every key but "failed". */
    void medians(Map<String, Object> out) {
      values.forEach(
          (key, list) -> {
            if (key.equals("failed")) {
              return;
            }
            List<Double> sorted = list.stream().sorted().toList();
            int n = sorted.size();
            double median =
                n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            boolean rps = key.endsWith("_rps");
            out.put(key, rps ? (Object) round(median) : (Object) round3(median));
            Object min = rps ? (Object) round(sorted.get(0)) : (Object) round3(sorted.get(0));
            Object max =
                rps ? (Object) round(sorted.get(n - 1)) : (Object) round3(sorted.get(n - 1));
            out.put(key + "_spread", min + ".." + max);
          });
    }
  }

  @Test
  void gatewayVersusDirectVersusNginx() throws Exception {
    KubernetesClient client = EmbeddedApiServer.newClient();
    String ns = TestNamespace.create(client, "bench");
    Map<String, String> env = chartJvm();
    Map<String, String> properties = new LinkedHashMap<>(new RealApiServerResource().start());
    // Out of a cluster the Lease's namespace cannot be read from a service account.
    properties.put("ebb.leader-election.namespace", "default");
    try (EbbProcess operator =
            EbbProcess.start("gateway-bench", Path.of("target"), env, properties);
        FakeNodeAgent agent =
            new FakeNodeAgent(client, ns, Duration.ZERO, Duration.ZERO, Duration.ZERO)
                .withModelServer(
                    ip -> List.of(tools.resolve("echo").toString(), "-addr", ip + ":8080"))) {
      operator.awaitReady(Duration.ofSeconds(90));
      int httpPort = operator.httpPort;
      client
          .load(
              new ByteArrayInputStream(
                  LocalManifests.cpuComponent(1).getBytes(StandardCharsets.UTF_8)))
          .inNamespace(ns)
          .serverSideApply();
      Pod copy = ReadyPods.await(client, ns, 1, TIMEOUT).get(0);
      String upstream = copy.getStatus().getPodIP() + ":8080";
      String endpoint =
          await()
              .atMost(TIMEOUT)
              .until(
                  () ->
                      client
                          .resources(InferenceEndpoint.class)
                          .inNamespace(ns)
                          .withName("cpu")
                          .get(),
                  e -> e != null && e.getStatus() != null && e.getStatus().endpointName() != null)
              .getStatus()
              .endpointName();
      Process nginx = nginx(upstream);
      try {
        String direct = "http://" + upstream + "/invocations";
        String proxied = "http://127.0.0.1:18080/invocations";
        String gateway = "http://127.0.0.1:" + httpPort + "/endpoints/" + endpoint + "/invocations";

        load(gateway, "-rate", "1000", "-duration", "10s"); // warm-up: JIT, connection pools
        load(proxied, "-rate", "1000", "-duration", "3s");
        // Interleaved: each round measures direct, gateway and nginx back to back, so a slow
        // moment of the machine lands in one round's three windows alike, not in one target's.
        // Each result is the median over the rounds, with the spread (min and max) beside it.
        Rounds rounds = new Rounds();
        for (int round = 0; round < this.rounds; round++) {
          JsonNode directAtRate = load(direct, "-rate", "" + rate, "-duration", secs(measure));
          JsonNode gatewayAtRate = load(gateway, "-rate", "" + rate, "-duration", secs(measure));
          JsonNode nginxAtRate = load(proxied, "-rate", "" + rate, "-duration", secs(measure));
          JsonNode directMax = load(direct, "-concurrency", "64", "-duration", secs(maxWindow));
          JsonNode gatewayMax = load(gateway, "-concurrency", "64", "-duration", secs(maxWindow));
          JsonNode nginxMax = load(proxied, "-concurrency", "64", "-duration", secs(maxWindow));
          rounds.add("direct_p50_ms", directAtRate.get("p50_ms").asDouble());
          rounds.add("direct_p99_ms", directAtRate.get("p99_ms").asDouble());
          rounds.add("gateway_p50_ms", gatewayAtRate.get("p50_ms").asDouble());
          rounds.add("gateway_p99_ms", gatewayAtRate.get("p99_ms").asDouble());
          rounds.add("nginx_p50_ms", nginxAtRate.get("p50_ms").asDouble());
          rounds.add("nginx_p99_ms", nginxAtRate.get("p99_ms").asDouble());
          rounds.add("direct_max_rps", directMax.get("rps").asDouble());
          rounds.add("gateway_max_rps", gatewayMax.get("rps").asDouble());
          rounds.add("nginx_max_rps", nginxMax.get("rps").asDouble());
          rounds.add(
              "added_p50_ms",
              gatewayAtRate.get("p50_ms").asDouble() - directAtRate.get("p50_ms").asDouble());
          rounds.add(
              "added_p99_ms",
              gatewayAtRate.get("p99_ms").asDouble() - directAtRate.get("p99_ms").asDouble());
          rounds.add(
              "throughput_ratio_vs_nginx",
              gatewayMax.get("rps").asDouble() / nginxMax.get("rps").asDouble());
          rounds.add(
              "failed", gatewayAtRate.get("failed").asLong() + gatewayMax.get("failed").asLong());
        }

        Memory before = Memory.of(operator.pid());
        JsonNode sustainedRun = load(gateway, "-rate", "" + rate, "-duration", secs(sustained));
        Memory after = Memory.of(operator.pid());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jvm_options", env.get("JAVA_TOOL_OPTIONS"));
        out.put("rate_rps", rate);
        out.put("rounds", this.rounds);
        rounds.medians(out);
        out.put("failed", Math.round(rounds.sum("failed")) + sustainedRun.get("failed").asLong());
        out.put("gateway_heap_after_gc_mb_start", before.heapAfterGcMb());
        out.put("gateway_heap_after_gc_mb_end", after.heapAfterGcMb());
        out.put("gateway_rss_mb_start", before.rssMb());
        out.put("gateway_rss_mb_end", after.rssMb());
        out.put("sustained_seconds", sustained.toSeconds());
        out.put("memory_growth_mb", round3(after.heapAfterGcMb() - before.heapAfterGcMb()));
        System.out.println("[ebb-bench] results");
        out.forEach((k, v) -> System.out.println(k + "=" + v));
      } finally {
        nginx.destroy();
      }
    } finally {
      client.close();
    }
  }

  /** Live heap (after a full GC) and resident set of the gateway's process. */
  private record Memory(double heapAfterGcMb, double rssMb) {
    static Memory of(long pid) throws IOException, InterruptedException {
      double heap = Jcmd.liveHeapBytes(pid) / 1024.0 / 1024.0;
      double rss = ProcStatus.rssBytes(pid) / 1024.0 / 1024.0;
      return new Memory(round3(heap), round3(rss));
    }
  }

  /**
   * The chart's JVM flags and malloc arena limit, as its Deployment sets them (the operator's other
   * settings are the packaged defaults, with the test API server's credentials), unless {@code
   * -Debb.bench.jvm-options=} gives other flags (and {@code -Debb.bench.env.NAME=value} other
   * environment variables).
   */
  private static Map<String, String> chartJvm() {
    Map<String, String> chart =
        ChartInstall.environment(
            HelmChart.objects(HelmChart.template("ebb-system", HelmChart.Values.DEFAULTS)),
            "ebb-system");
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "JAVA_TOOL_OPTIONS",
        System.getProperty("ebb.bench.jvm-options", chart.get("JAVA_TOOL_OPTIONS")));
    env.put("MALLOC_ARENA_MAX", chart.get("MALLOC_ARENA_MAX"));
    // -Debb.bench.env.NAME=value: an environment variable of the operator's instead of the
    // chart's, as bench/scale.sh takes it.
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("ebb.bench.env."))
        .forEach(k -> env.put(k.substring("ebb.bench.env.".length()), System.getProperty(k)));
    return env;
  }

  /** nginx as a reverse proxy on 127.0.0.1:18080, keep-alive to the upstream, no logging. */
  private Process nginx(String upstream) throws Exception {
    Path prefix = Files.createTempDirectory("ebb-bench-nginx");
    Files.createDirectories(prefix.resolve("logs"));
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(
        conf,
        """
        worker_processes auto;
        pid %s/nginx.pid;
        error_log stderr warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %s/body;
          proxy_temp_path %s/proxy;
          client_max_body_size 6m;
          upstream model { server %s; keepalive 128; }
          server {
            listen 127.0.0.1:18080;
            location / {
              proxy_pass http://model;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
        }
        """
            .formatted(prefix, prefix, prefix, upstream));
    Process nginx =
        new ProcessBuilder(
                System.getProperty("ebb.bench.nginx", "nginx"),
                "-p",
                prefix.toString(),
                "-c",
                conf.toString(),
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("logs/out.log").toFile())
            .start();
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                load("http://127.0.0.1:18080/invocations", "-rate", "10", "-duration", "200ms")
                        .get("ok")
                        .asInt()
                    > 0);
    return nginx;
  }

  private JsonNode load(String url, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(tools.resolve("load").toString(), "-url", url));
    command.addAll(List.of(args));
    Process load = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (load.waitFor() != 0) {
      throw new IllegalStateException("load failed: " + output);
    }
    String[] lines = output.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private static String secs(Duration d) {
    return d.toSeconds() + "s";
  }

  private static long round(double v) {
    return Math.round(v);
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
