package dev.ebb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.helm.ChartInstall;
import dev.ebb.helm.HelmChart;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.EbbProcess;
import dev.ebb.testing.EmbeddedApiServer;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A fleet as a platform team runs it: the packaged operator in a process of its own, installed from
 * the chart (its environment, JVM flags and RBAC; the chart ServiceAccount's token is its only
 * credential), against a real kube-apiserver + etcd of the bench's own (with an audit log of the
 * operator's writes) and the SageMaker simulator. For each fleet size N (components over N/100
 * endpoints, each component one copy on SageMaker), from a fresh start: apply everything, wait
 * until every component is Ready, hold a steady window, measure, delete everything and wait until
 * it is gone. The operator's resident set is sampled every 250 ms throughout.
 *
 * <p>Knobs: {@code -Debb.bench.components=1000[,3000,...]}, {@code -Debb.bench.steady-seconds=120},
 * {@code -Debb.bench.nmt=true} (the JVM's native memory breakdown at steady state), {@code
 * -Debb.bench.jvm-options="..."} (instead of the chart's JVM flags). Run by {@code bench/scale.sh}.
 */
@EnabledIfSystemProperty(named = "ebb.bench.scale", matches = "true")
class ScaleBench {
  private static final String OPERATOR_NS = "ebb-system";
  private static final String FLEET_NS = "fleet";
  private static final String SA_USER = "system:serviceaccount:" + OPERATOR_NS + ":ebb";
  private static final String REGION = "us-east-1";
  private static final int COMPONENTS_PER_ENDPOINT = 100;
  private static final Path DIR = Path.of("target", "scale-bench");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fleets() throws Exception {
    List<Integer> sizes =
        Arrays.stream(System.getProperty("ebb.bench.components", "1000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    long steadySeconds = Long.getLong("ebb.bench.steady-seconds", 120);
    // Each size's block is printed once measured: a later size that fails keeps the earlier.
    System.out.println("[ebb-bench] results");
    for (int n : sizes) {
      Map<String, String> result = new Fleet(n, steadySeconds).run();
      result.forEach((k, v) -> System.out.println(k + "=" + v));
      System.out.println();
    }
  }

  /** One fleet size, from a fresh API server, simulator and operator. */
  private static final class Fleet {
    private final int components;
    private final int endpoints;
    private final long steadySeconds;
    private final Map<String, String> out = new LinkedHashMap<>();

    Fleet(int components, long steadySeconds) {
      this.components = components;
      this.endpoints =
          Math.max(1, (components + COMPONENTS_PER_ENDPOINT - 1) / COMPONENTS_PER_ENDPOINT);
      this.steadySeconds = steadySeconds;
    }

    Map<String, String> run() throws Exception {
      Path dir = DIR.resolve("n" + components);
      deleteRecursively(dir);
      Files.createDirectories(dir);
      Path auditLog = dir.resolve("audit.log").toAbsolutePath();
      Path policy = dir.resolve("audit-policy.yaml").toAbsolutePath();
      // Metadata of every write the operator's ServiceAccount makes; nothing else.
      Files.writeString(
          policy,
          """
          apiVersion: audit.k8s.io/v1
          kind: Policy
          omitStages: [RequestReceived]
          rules:
          - level: Metadata
            users: ["%s"]
            verbs: [create, update, patch, delete, deletecollection]
          - level: None
          """
              .formatted(SA_USER));
      List<HasMetadata> chart =
          HelmChart.objects(
              HelmChart.template(
                  OPERATOR_NS,
                  HelmChart.Values.DEFAULTS,
                  "--set",
                  "aws.region=" + REGION,
                  "--set",
                  "aws.defaultExecutionRoleArn=arn:aws:iam::123456789012:role/ebb/EbbDefault",
                  // The simulator takes seconds where SageMaker takes minutes.
                  "--set",
                  "reconcile.transitioningPoll=1s",
                  // One replica: the numbers are one process's.
                  "--set",
                  "replicas=1"));
      KubeAPIServer server =
          EmbeddedApiServer.startPrivate(
              Map.of(
                  "--audit-policy-file", policy.toString(),
                  "--audit-log-path", auditLog.toString(),
                  // The bench's own client lists thousands of objects: no limit on its side.
                  "--max-requests-inflight", "800"));
      SageMakerSimulator simulator =
          SageMakerSimulator.builder().delays(Delays.defaults()).build().start();
      Config admin = Config.fromKubeconfig(server.getKubeConfigYaml());
      admin.setRequestTimeout(120_000);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(admin).build()) {
        ChartInstall.apply(client, chart, OPERATOR_NS);
        Map<String, String> env = ChartInstall.environment(chart, OPERATOR_NS);
        env.put("EBB_AWS_ENDPOINT_OVERRIDE", simulator.endpoint().toString());
        String jvm = System.getProperty("ebb.bench.jvm-options");
        if (jvm != null) {
          env.put("JAVA_TOOL_OPTIONS", jvm);
        }
        // -Debb.bench.env.NAME=value: an environment variable of the operator's, e.g.
        // MALLOC_ARENA_MAX, instead of the chart's.
        System.getProperties().stringPropertyNames().stream()
            .filter(k -> k.startsWith("ebb.bench.env."))
            .forEach(k -> env.put(k.substring("ebb.bench.env.".length()), System.getProperty(k)));
        boolean nmt = Boolean.getBoolean("ebb.bench.nmt");
        if (nmt) {
          env.merge("JAVA_TOOL_OPTIONS", "-XX:NativeMemoryTracking=summary", (a, b) -> a + " " + b);
        }
        out.put("components", Integer.toString(components));
        out.put("endpoints", Integer.toString(endpoints));
        out.put("jvm_options", String.valueOf(env.get("JAVA_TOOL_OPTIONS")));
        out.put("malloc_arena_max", String.valueOf(env.get("MALLOC_ARENA_MAX")));
        Map<String, String> properties =
            ChartInstall.credentials(admin, ChartInstall.serviceAccountToken(client, OPERATOR_NS));
        try (EbbProcess operator = EbbProcess.start("ebb-0", dir, env, properties);
            ResidentSet rss = new ResidentSet(operator.pid())) {
          operator.awaitReady(Duration.ofSeconds(120));
          out.put("rss_started_mb", mb(rss.now()));
          measure(client, simulator, operator, rss, auditLog, nmt);
          System.out.println("[ebb-bench] operator log: " + operator.log);
        }
      } finally {
        simulator.close();
        server.stop();
      }
      return out;
    }

    private void measure(
        KubernetesClient client,
        SageMakerSimulator simulator,
        EbbProcess operator,
        ResidentSet rss,
        Path auditLog,
        boolean nmt)
        throws Exception {
      client
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(FLEET_NS).endMetadata().build())
          .create();
      // Apply: the endpoints, then the components, as `kubectl apply` of one file would.
      Instant applied = Instant.now();
      createAll(client, endpointsYaml());
      createAll(client, componentsYaml());
      out.put("apply_s", seconds(applied, Instant.now()));
      awaitCount(
          operator,
          () -> readyComponents(client),
          components,
          Duration.ofMinutes(30),
          "components Ready");
      Instant ready = Instant.now();
      out.put("ready_s", seconds(applied, ready));
      out.put("rss_converge_peak_mb", mb(rss.peakSinceReset()));
      List<Call> createCalls = simulator.calls();
      out.put("sagemaker_calls_create", Integer.toString(createCalls.size()));

      // Steady state: nothing changes; the operator should neither write nor mutate SageMaker.
      // The first 10 s let the last status writes and events of convergence land.
      Thread.sleep(10_000);
      rss.resetPeak();
      Instant steadyStart = Instant.now();
      int callsBefore = simulator.calls().size();
      long cpuBefore = rss.cpuTicks();
      Thread.sleep(steadySeconds * 1000);
      Instant steadyEnd = Instant.now();
      List<Call> steadyCalls = simulator.calls().subList(callsBefore, simulator.calls().size());
      out.put("steady_s", Long.toString(steadySeconds));
      out.put("rss_steady_mb", mb(rss.now()));
      out.put("rss_steady_max_mb", mb(rss.peakSinceReset()));
      out.put("threads", Long.toString(rss.threads()));
      out.put(
          "operator_cpu_s_steady",
          String.format(Locale.ROOT, "%.1f", (rss.cpuTicks() - cpuBefore) / 100.0));
      Map<String, Integer> steadyWrites = writes(auditLog, steadyStart, steadyEnd);
      out.put(
          "steady_writes",
          Integer.toString(
              steadyWrites.entrySet().stream()
                  .filter(e -> !e.getKey().startsWith("leases"))
                  .mapToInt(Map.Entry::getValue)
                  .sum()));
      out.put("steady_writes_by_resource", steadyWrites.toString().replace(" ", ""));
      out.put(
          "steady_sagemaker_mutations",
          Long.toString(steadyCalls.stream().filter(c -> mutation(c.operation())).count()));
      out.put("steady_sagemaker_calls", Integer.toString(steadyCalls.size()));
      String metrics = operator.get("/q/metrics");
      out.put("metrics_bytes", Integer.toString(metrics.getBytes(StandardCharsets.UTF_8).length));
      out.put(
          "metrics_series",
          Long.toString(metrics.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count()));
      if (nmt) {
        System.out.println(
            "[ebb-bench] native memory at steady state, N="
                + components
                + ":\n"
                + Jcmd.run(operator.pid(), "VM.native_memory", "summary"));
      }
      // A full GC, then what is left: the live heap.
      String histogram = Jcmd.run(operator.pid(), "GC.class_histogram");
      out.put("heap_live_mb", mb(Jcmd.liveHeapBytes(histogram)));
      if (nmt) {
        System.out.println(
            "[ebb-bench] live heap by class (top 25), N="
                + components
                + ":\n"
                + String.join("\n", histogram.lines().limit(28).toList()));
        System.out.println(
            "[ebb-bench] mappings (smaps_rollup and the largest by Rss), N="
                + components
                + ":\n"
                + Files.readString(Path.of("/proc", Long.toString(operator.pid()), "smaps_rollup"))
                + largestMappings(operator.pid()));
        System.out.println(
            "[ebb-bench] class loaders, N="
                + components
                + ":\n"
                + Jcmd.run(operator.pid(), "VM.classloader_stats"));
      }
      out.put("rss_after_full_gc_mb", mb(rss.now()));
      if (nmt) {
        Jcmd.run(operator.pid(), "VM.native_memory", "baseline");
      }

      // Mass delete: every component and endpoint at once, as `kubectl delete -f` of the file.
      rss.resetPeak();
      int callsBeforeDelete = simulator.calls().size();
      Instant deleting = Instant.now();
      deleteAll(client, InferenceComponent.class);
      deleteAll(client, InferenceEndpoint.class);
      int objects = components + endpoints;
      awaitCount(
          operator,
          () -> objects - remaining(client),
          objects,
          Duration.ofMinutes(30),
          "objects gone");
      out.put("delete_s", seconds(deleting, Instant.now()));
      out.put("rss_delete_peak_mb", mb(rss.peakSinceReset()));
      if (nmt) {
        System.out.println(
            "[ebb-bench] native memory after the mass delete, against steady state, N="
                + components
                + ":\n"
                + Jcmd.run(operator.pid(), "VM.native_memory", "summary.diff"));
      }
      out.put("rss_peak_mb", mb(rss.peak()));
      List<Call> all = simulator.calls();
      List<Call> deleteCalls = all.subList(callsBeforeDelete, all.size());
      out.put("sagemaker_calls_delete", Integer.toString(deleteCalls.size()));
      out.put(
          "list_calls_delete",
          Long.toString(deleteCalls.stream().filter(c -> listing(c.operation())).count()));
      out.put(
          "list_calls_delete_by_operation",
          byOperation(deleteCalls.stream().filter(c -> listing(c.operation())).toList())
              .toString()
              .replace(" ", ""));
      out.put(
          "list_calls_create",
          Long.toString(createCalls.stream().filter(c -> listing(c.operation())).count()));
      out.put(
          "sagemaker_calls_per_component",
          String.format(Locale.ROOT, "%.2f", all.size() / (double) components));
      out.put("sagemaker_calls_by_operation", byOperation(all).toString().replace(" ", ""));
      Snapshot.Region left = simulator.region(REGION);
      out.put(
          "sagemaker_leftovers",
          Integer.toString(
              left.models().size()
                  + left.endpointConfigs().size()
                  + left.endpoints().size()
                  + left.components().size()));
      simulator.assertNoModelViolations();
    }

    private String endpointsYaml() {
      StringBuilder yaml = new StringBuilder();
      for (int e = 0; e < endpoints; e++) {
        yaml.append(
            """
            ---
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata:
              name: fleet-%03d
            spec:
              backend: sagemaker
              variants:
              - name: AllTraffic
                instanceType: ml.g5.12xlarge
                initialInstanceCount: 1
                managedInstanceScaling:
                  minInstanceCount: 0
                  maxInstanceCount: %d
            """
                .formatted(e, COMPONENTS_PER_ENDPOINT));
      }
      return yaml.toString();
    }

    private String componentsYaml() {
      StringBuilder yaml = new StringBuilder();
      for (int c = 0; c < components; c++) {
        yaml.append(
            """
            ---
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceComponent
            metadata:
              name: model-%05d
              labels:
                team: team-%02d
            spec:
              endpointRef:
                name: fleet-%03d
              variant: AllTraffic
              model:
                image: 763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-lmi11.0.0-cu124
                modelDataUrl: s3://ebb-models-123456789012/fleet/model-%05d/model.tar.gz
              resources:
                acceleratorCount: 1
                memoryMb: 8192
                cpuCores: 2
              copies: 1
            """
                .formatted(c, c % 20, c / COMPONENTS_PER_ENDPOINT, c));
      }
      return yaml.toString();
    }
  }

  /** Creates every object of {@code yaml} in the fleet namespace, eight at a time. */
  private static void createAll(KubernetesClient client, String yaml) throws Exception {
    List<HasMetadata> objects =
        client
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .inNamespace(FLEET_NS)
            .resources()
            .map(r -> (HasMetadata) r.item())
            .toList();
    eightAtATime(
        objects,
        object -> {
          object.getMetadata().setNamespace(FLEET_NS);
          client.resource(object).create();
        });
  }

  /** Runs {@code action} on every object, eight at a time, and waits for all of them. */
  private static <T> void eightAtATime(List<T> objects, java.util.function.Consumer<T> action)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (T object : objects) {
        done.add(pool.submit(() -> action.accept(object)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Deletes every object of {@code type} in the fleet namespace, one request each and eight at a
   * time, as {@code kubectl delete -f} does (a single delete-collection of thousands of objects
   * outlasts the API server's request timeout).
   */
  private static <T extends HasMetadata> void deleteAll(KubernetesClient client, Class<T> type)
      throws Exception {
    eightAtATime(
        client.resources(type).inNamespace(FLEET_NS).list().getItems(),
        object ->
            client
                .resources(type)
                .inNamespace(FLEET_NS)
                .withName(object.getMetadata().getName())
                .delete());
  }

  private static int readyComponents(KubernetesClient client) {
    int ready = 0;
    for (InferenceComponent c :
        client.resources(InferenceComponent.class).inNamespace(FLEET_NS).list().getItems()) {
      var status = c.getStatus();
      var condition = status == null ? null : status.condition(Condition.READY);
      if (condition != null && "True".equals(condition.status())) {
        ready++;
      }
    }
    return ready;
  }

  private static int remaining(KubernetesClient client) {
    return client.resources(InferenceComponent.class).inNamespace(FLEET_NS).list().getItems().size()
        + client.resources(InferenceEndpoint.class).inNamespace(FLEET_NS).list().getItems().size();
  }

  /**
   * Polls {@code count} until it reaches {@code target}: every second per 1,000 objects, so the
   * bench's own lists stay a small part of the API server's work. Fails at once if the operator
   * exits (nothing restarts it here, as kubelet would).
   */
  private static void awaitCount(
      EbbProcess operator,
      java.util.function.IntSupplier count,
      int target,
      Duration timeout,
      String what)
      throws InterruptedException {
    long pollMillis = Math.max(1000, target);
    Instant deadline = Instant.now().plus(timeout);
    int last = -1;
    Instant lastReport = Instant.now();
    while (true) {
      int now = count.getAsInt();
      if (now >= target) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": " + now + " of " + target + " after " + timeout);
      }
      if (!operator.alive()) {
        throw new AssertionError(
            what + ": " + now + " of " + target + " when the operator exited:\n" + operator.tail());
      }
      if (now != last && Duration.between(lastReport, Instant.now()).toSeconds() >= 10) {
        System.out.println("[ebb-bench] " + what + ": " + now + " of " + target);
        lastReport = Instant.now();
        last = now;
      }
      Thread.sleep(pollMillis);
    }
  }

  /** Writes by the operator in [from, to) from the audit log, by resource and verb. */
  private static Map<String, Integer> writes(Path auditLog, Instant from, Instant to)
      throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    try (Stream<String> lines = Files.lines(auditLog)) {
      for (String line : (Iterable<String>) lines::iterator) {
        JsonNode event = JSON.readTree(line);
        Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
        if (at.isBefore(from) || !at.isBefore(to)) {
          continue;
        }
        JsonNode ref = event.path("objectRef");
        String key =
            ref.path("resource").asText()
                + (ref.has("subresource") ? "/" + ref.path("subresource").asText() : "")
                + ":"
                + event.path("verb").asText();
        counts.merge(key, 1, Integer::sum);
      }
    }
    return counts;
  }

  /**
   * A List call that pages through the account (ListModels, ListInferenceComponents, ...), whose
   * cost grows with it; ListTags reads one resource's tags, by ARN, and is not one.
   */
  private static boolean listing(String operation) {
    return operation.startsWith("List") && !operation.equals("ListTags");
  }

  private static boolean mutation(String operation) {
    return !(operation.startsWith("Describe")
        || operation.startsWith("List")
        || operation.startsWith("Get"));
  }

  private static Map<String, Integer> byOperation(List<Call> calls) {
    Map<String, Integer> counts = new TreeMap<>();
    calls.forEach(c -> counts.merge(c.operation(), 1, Integer::sum));
    return counts;
  }

  private static String seconds(Instant from, Instant to) {
    return String.format(Locale.ROOT, "%.1f", Duration.between(from, to).toMillis() / 1000.0);
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
  }

  /** The operator process's resident set (VmRSS), sampled every 250 ms, and its CPU time. */
  private static final class ResidentSet implements AutoCloseable {
    private final long pid;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakSinceReset = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    ResidentSet(long pid) {
      this.pid = pid;
      this.sampler =
          new Thread(
              () -> {
                while (running) {
                  long now = now();
                  peak.accumulateAndGet(now, Math::max);
                  peakSinceReset.accumulateAndGet(now, Math::max);
                  try {
                    Thread.sleep(250);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "rss-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    long now() {
      return ProcStatus.rssBytes(pid);
    }

    long threads() {
      return ProcStatus.value(pid, "Threads:");
    }

    /** User + system CPU time in clock ticks (1/100 s on Linux). */
    long cpuTicks() {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (IOException e) {
        return 0;
      }
    }

    long peak() {
      return Math.max(peak.get(), now());
    }

    long peakSinceReset() {
      return Math.max(peakSinceReset.get(), now());
    }

    void resetPeak() {
      peakSinceReset.set(now());
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      sampler.interrupt();
      sampler.join(2000);
    }
  }

  /** The 15 mappings of {@code pid} with the largest resident set, from /proc/pid/smaps. */
  private static String largestMappings(long pid) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"));
    List<Map.Entry<Long, String>> mappings = new ArrayList<>();
    String header = null;
    for (String line : lines) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        header = line;
      } else if (line.startsWith("Rss:") && header != null) {
        mappings.add(Map.entry(Long.parseLong(line.replaceAll("[^0-9]", "")), header));
      }
    }
    mappings.sort(Map.Entry.<Long, String>comparingByKey().reversed());
    StringBuilder out = new StringBuilder();
    mappings.stream()
        .limit(15)
        .forEach(m -> out.append(m.getKey()).append(" kB  ").append(m.getValue()).append('\n'));
    return out.toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
