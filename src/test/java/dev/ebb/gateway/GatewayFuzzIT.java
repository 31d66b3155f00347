package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.RawHttp;
import dev.ebb.testing.ReadyPods;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespace;
import dev.ebb.testing.TinyModelServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at a running gateway (issue 16, item 5): a seeded fuzzer throws malformed headers,
 * huge header sets, odd bodies and content types, junk paths and methods and broken HTTP at one
 * open local endpoint with a ready copy, one behind {@code spec.access}, one on SageMaker (the
 * simulator) and names that do not exist; then abuses connections with raw sockets (slow, half
 * closed, never-ending, 500 at once, pipelined, other HTTP versions).
 *
 * <p>After each batch a canary invocation must come back echoed. No answer may be a 5xx the docs do
 * not give, every error must have SageMaker Runtime's shape (JSON with a message, {@code
 * x-amzn-ErrorType}) unless the request was not HTTP at all, heap and file descriptors must come
 * back, and the gateway must log no error.
 *
 * <p>{@code -Debb.fuzz.seed=S} replays a run (the seed is printed), {@code -Debb.fuzz.cases=N} sets
 * the number of fuzzed requests (6000 by default: about a minute on two cores), {@code
 * -Debb.fuzz.only=CATEGORY} (headers, huge-headers, bodies, paths, methods, content-types, async,
 * not-http) fuzzes one category. Each failure names its case's index, so a seed and an index
 * reproduce it.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class GatewayFuzzIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final KubernetesClient client = EmbeddedApiServer.newClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** ebb.gateway.max-payload-bytes' default. */
  private static final int MAX_PAYLOAD = 6_291_456;

  /** quarkus.http.limits.max-header-size and max-initial-line-length, Quarkus' defaults. */
  private static final int MAX_HEADER_SIZE = 20 * 1024;

  private static final int MAX_INITIAL_LINE = 4096;

  /** How long a case may wait for its answer before the gateway counts as hung. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  /** The heap the gateway may keep after all of it, after a GC. */
  private static final long HEAP_BOUND = 64L * 1024 * 1024;

  /** The 5xx docs/gateway.md gives, with their error codes (RuntimeError). */
  private static final Set<String> DOCUMENTED_5XX =
      Set.of(
          "502 InternalDependencyException",
          "503 ServiceUnavailable",
          "504 ModelNotReadyException",
          "504 ModelError");

  private static final String KEY = "fuzz-key-1";

  SageMakerSimulator simulator;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private String ns;
  private FakeNodeAgent agent;
  private String local;
  private String locked;
  private String onSageMaker;
  private String sageMakerComponent;
  private String bucket;

  private final ExecutorService writers = Executors.newCachedThreadPool();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final AtomicInteger cases = new AtomicInteger();
  private final Map<String, AtomicLong> millis = new ConcurrentHashMap<>();
  private final AtomicBoolean dumped = new AtomicBoolean();
  private final List<LogRecord> errors = Collections.synchronizedList(new ArrayList<>());
  private final Handler errorLog =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void endpoints() {
    ns = TestNamespace.create(client, "fuzz");
    bucket = "ebb-" + ns;
    simulator.s3().createBucket(bucket);
    simulator.s3().put(bucket, "in/ok.json", "{\"x\": 1}");
    // The default copy has 32 MB of heap: a few 6 MB echoes at once would exhaust it, and a copy
    // that stops answering is the model's fault, not the gateway's.
    agent =
        new FakeNodeAgent(client, ns, Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(300))
            .withModelServer(
                ip ->
                    List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        Path.of("target", "test-classes").toAbsolutePath().toString(),
                        TinyModelServer.class.getName(),
                        ip,
                        "8080",
                        "100"));
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("keys")
                .endMetadata()
                .withStringData(Map.of("key", KEY))
                .build())
        .create();
    apply(
        LocalManifests.cpuComponent(
                1,
                "",
                "  async: {outputPath: 's3://%s/out/', failurePath: 's3://%s/failed'}\n"
                        .formatted(bucket, bucket)
                    + LocalManifests.PUBLIC)
            + """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: locked}
            spec:
              backend: local
              variants: [{name: AllTraffic}]
              access: {apiKeys: {secretRef: {name: keys}}, serviceAccountTokens: {audience: ebb-fuzz}}
            ---
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceComponent
            metadata: {name: guarded}
            spec:
              endpointRef: {name: locked}
              model: {image: 'ghcr.io/example/tiny-model-server:1'}
              resources: {memoryMb: 512}
              copies: 1
            ---
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm}
            spec:
              backend: sagemaker
              access: {public: true}
              variants:
              - name: AllTraffic
                instanceType: ml.g5.2xlarge
                managedInstanceScaling: {minInstanceCount: 0, maxInstanceCount: 2}
            ---
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceComponent
            metadata: {name: llama}
            spec:
              endpointRef: {name: llm}
              model: {image: 'tgi:latest'}
              resources: {memoryMb: 1024, acceleratorCount: 1}
              copies: 1
            """);
    local = SageMakerNames.forObject(ns, "cpu");
    locked = SageMakerNames.forObject(ns, "locked");
    InferenceComponent llama =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    client
                        .resources(InferenceComponent.class)
                        .inNamespace(ns)
                        .withName("llama")
                        .get(),
                c ->
                    c != null
                        && c.getStatus() != null
                        && "True".equals(c.getStatus().condition(Condition.READY).status()));
    sageMakerComponent = llama.getStatus().inferenceComponentName();
    onSageMaker =
        client
            .resources(InferenceEndpoint.class)
            .inNamespace(ns)
            .withName("llm")
            .get()
            .getStatus()
            .endpointName();
    ReadyPods.await(client, ns, 2, TIMEOUT);
    Logger.getLogger("").addHandler(errorLog);
  }

  @AfterEach
  void tearDown() {
    Logger.getLogger("").removeHandler(errorLog);
    writers.shutdownNow();
    agent.close();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void hostileInputNeitherCrashesLeaksNorAnswersOutsideSageMakersShapes() throws Exception {
    long seed = Long.getLong("ebb.fuzz.seed", System.nanoTime());
    int n = Integer.getInteger("ebb.fuzz.cases", 6000);
    System.out.printf("[ebb-tests] fuzz_seed=%d fuzz_cases_planned=%d%n", seed, n);
    long started = System.nanoTime();
    // Every endpoint answers before anything is measured (the SageMaker one may lag its status).
    await().atMost(TIMEOUT).until(() -> canaryOn(onSageMaker, sageMakerComponent, "warm"));
    canary("warm-up");

    ExecutorService pool = Executors.newFixedThreadPool(6);
    int batch = 100;
    // The first batch warms up the paths (classes, JIT, pools) before the heap's baseline.
    runBatch(pool, seed, 0, Math.min(batch, n));
    long heapBefore = heapAfterGc();
    long fdsBefore = openFds();
    long phase = System.nanoTime();
    for (int from = batch; from < n; from += batch) {
      runBatch(pool, seed, from, Math.min(from + batch, n));
    }
    pool.shutdown();
    System.out.printf(
        "[ebb-tests] %d fuzzed requests in %d s%n",
        n, Duration.ofNanos(System.nanoTime() - phase).toSeconds());
    phase = System.nanoTime();

    Random random = new Random(seed ^ 0x5DEECE66DL);
    slowClients(random);
    canary("after slow clients");
    halfClosed(random);
    canary("after half-closed connections");
    neverEnding(random);
    canary("after never-ending requests");
    manyConnections(random, 500);
    canary("after 500 connections");
    pipelined(random);
    canary("after pipelined garbage");
    versions();
    canary("after other HTTP versions");
    System.out.printf(
        "[ebb-tests] connection-level cases in %d s%n",
        Duration.ofNanos(System.nanoTime() - phase).toSeconds());

    long heapAfter = heapAfterGc();
    awaitNoServerConnections("at the end");
    long fdsAfter = openFds();
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

    new TreeMap<>(outcomes)
        .forEach((k, v) -> System.out.printf("[ebb-tests] %6d %s%n", v.get(), k));
    new TreeMap<>(millis)
        .forEach((k, v) -> System.out.printf("[ebb-tests] %s: %d ms in all%n", k, v.get()));
    var violations = simulator.modelViolations().drain();
    violations.stream()
        .map(
            v ->
                v.side() + " " + v.service() + " " + v.operation() + ": " + abbreviate(v.message()))
        .distinct()
        .forEach(v -> System.out.println("[ebb-tests] simulator saw (SageMaker refuses): " + v));
    System.out.printf(
        "[ebb-tests] heap used after GC: %d MiB before, %d MiB after (bound +%d MiB); open fds %d"
            + " before, %d after; %d s%n",
        heapBefore >> 20, heapAfter >> 20, HEAP_BOUND >> 20, fdsBefore, fdsAfter, seconds);
    errors.forEach(
        e ->
            System.out.println(
                "[ebb-tests] logged: "
                    + e.getLoggerName()
                    + " "
                    + e.getMessage()
                    + (e.getThrown() == null ? "" : " " + e.getThrown())));
    System.out.printf("[ebb-tests] fuzz_cases=%d fuzz_seed=%d%n", cases.get(), seed);

    synchronized (problems) {
      assertThat(problems).as("seed %d", seed).isEmpty();
    }
    assertThat(violations)
        .as("what the gateway sent SageMaker (the simulator) that AWS's models refuse")
        .isEmpty();
    assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(HEAP_BOUND);
    // The gateway's client pools (ebb.gateway.connections-per-copy to each copy, SageMaker's) may
    // keep connections it opened during the run; nothing else may stay open.
    assertThat(fdsAfter - fdsBefore).as("file descriptors kept").isLessThan(200);
    assertThat(errors)
        .as("errors the gateway logged")
        .noneMatch(
            e ->
                e.getLoggerName().startsWith("io.vertx")
                    || e.getLoggerName().startsWith("dev.ebb.gateway")
                    || e.getLoggerName().startsWith("io.quarkus.vertx"));
  }

  // --- the fuzzed requests ------------------------------------------------------------------

  private void runBatch(ExecutorService pool, long seed, int from, int to) throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int i = from; i < to; i++) {
      int index = i;
      running.add(
          pool.submit(
              () -> {
                Case c = generate(index, new Random(seed * 31 + index * 0x9E3779B97F4A7C15L));
                long start = System.nanoTime();
                // A request that is not HTTP may leave the gateway waiting for bytes that never
                // come: silence is allowed then, and not waited out for long.
                Duration timeout =
                    c.expect() == Expect.NOT_HTTP ? Duration.ofSeconds(3) : READ_TIMEOUT;
                check(c, RawHttp.exchange(httpPort, c.wire(), c.head(), timeout, writers));
                millis
                    .computeIfAbsent(c.category(), k -> new AtomicLong())
                    .addAndGet((System.nanoTime() - start) / 1_000_000);
              }));
    }
    for (Future<?> f : running) {
      f.get(5, TimeUnit.MINUTES);
    }
    canary("after cases " + from + ".." + (to - 1));
  }

  /** What a case expects beyond the rules every answer keeps. */
  enum Expect {
    /** Nothing more. */
    ANY,
    /** 200 with the body echoed (the copy and the simulator echo). */
    ECHO,
    /** The request is not valid HTTP: a bare refusal (400, 414, 431) or a close is fine too. */
    NOT_HTTP,
    /** Over the payload limit: 413 ValidationError (or a refusal, if the head is refused). */
    TOO_LARGE,
    /** Ebb's peer API (docs/gateway.md, "Several replicas"), not SageMaker's: no 5xx is all. */
    PEER_API
  }

  record Case(
      int index,
      String category,
      String what,
      byte[] wire,
      boolean head,
      Expect expect,
      byte[] echo) {}

  /** A request being built: bytes as ISO-8859-1 chars, so any byte can be put anywhere. */
  private final class Request {
    String method = "POST";
    String target;
    String version = "HTTP/1.1";
    final List<String[]> headers = new ArrayList<>();
    byte[] body = new byte[0];
    boolean chunked;
    boolean contentLength = true;
    String what = "";
    Expect expect = Expect.ANY;
    String endpoint;

    Request(String endpoint, String operation) {
      this.endpoint = endpoint;
      this.target = "/endpoints/" + endpoint + "/" + operation;
      header("Host", "localhost:" + httpPort);
    }

    Request header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Request set(String name, String value) {
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
      return header(name, value);
    }

    Request what(String more) {
      what = what.isEmpty() ? more : what + "; " + more;
      return this;
    }

    byte[] wire() {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target);
      if (!version.isEmpty()) {
        head.append(' ').append(version);
      }
      head.append("\r\n");
      for (String[] h : headers) {
        // A null value: the name is the whole line, as it goes on the wire.
        head.append(h[0]).append(h[1] == null ? "" : ": " + h[1]).append("\r\n");
      }
      byte[] payload = body;
      if (chunked) {
        head.append("Transfer-Encoding: chunked\r\n");
        payload = chunk(body);
      } else if (contentLength && (body.length > 0 || method.equals("POST"))) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
      byte[] wire = Arrays.copyOf(h, h.length + payload.length);
      System.arraycopy(payload, 0, wire, h.length, payload.length);
      return wire;
    }

    int headBytes() {
      int size = 0;
      for (String[] h : headers) {
        size += h[0].length() + (h[1] == null ? 0 : h[1].length()) + 4;
      }
      return size;
    }

    Case done(int index, String category) {
      return new Case(index, category, what, wire(), method.equals("HEAD"), expect, body);
    }
  }

  private static byte[] chunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int size = Math.min(body.length - at, 8192);
      out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, size);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      at += size;
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private Case generate(int index, Random r) {
    String only = System.getProperty("ebb.fuzz.only", "");
    int pick = r.nextInt(100);
    if (!only.isEmpty()) {
      pick = ONLY_PICKS.get(only);
    }
    if (pick < 28) {
      return sageMakerHeaders(r).done(index, "headers");
    } else if (pick < 38) {
      return hugeHeaders(r).done(index, "huge-headers");
    } else if (pick < 50) {
      return bodies(r).done(index, "bodies");
    } else if (pick < 64) {
      return paths(r).done(index, "paths");
    } else if (pick < 72) {
      return methods(r).done(index, "methods");
    } else if (pick < 82) {
      return contentTypes(r).done(index, "content-types");
    } else if (pick < 90) {
      return async(r).done(index, "async");
    }
    return notHttp(r).done(index, "not-http");
  }

  private static final Map<String, Integer> ONLY_PICKS =
      Map.of(
          "headers",
          0,
          "huge-headers",
          30,
          "bodies",
          40,
          "paths",
          55,
          "methods",
          65,
          "content-types",
          75,
          "async",
          85,
          "not-http",
          95);

  private static final String[] OPERATIONS = {
    "invocations", "invocations-response-stream", "async-invocations"
  };

  /** A plausible request for one of the endpoints, or one that does not exist. */
  private Request base(Random r) {
    int which = r.nextInt(10);
    String operation = OPERATIONS[r.nextInt(10) < 7 ? 0 : 1 + r.nextInt(2)];
    Request q;
    if (which < 4) {
      q = new Request(local, operation).what("local " + operation);
    } else if (which < 6) {
      q = new Request(locked, operation).what("locked " + operation);
      if (r.nextBoolean()) {
        if (r.nextBoolean()) {
          q.header("X-Api-Key", KEY);
        } else {
          q.header("Authorization", "Bearer " + KEY);
        }
        q.what("with key");
      }
    } else if (which < 8) {
      q = new Request(onSageMaker, operation).what("sagemaker " + operation);
      if (r.nextInt(5) > 0) {
        q.header(
            "X-Amzn-SageMaker-Inference-Component", r.nextBoolean() ? sageMakerComponent : "llama");
      }
    } else {
      q = new Request(name(r), operation).what("unknown " + operation);
    }
    q.header("Content-Type", r.nextBoolean() ? "text/plain" : "application/json");
    q.body = text(r, r.nextInt(64)).getBytes(StandardCharsets.ISO_8859_1);
    return q;
  }

  /** A request the named endpoint serves as is: local (or locked, with the key) or SageMaker. */
  private Request clean(Random r) {
    int which = r.nextInt(3);
    Request q;
    if (which == 0) {
      q = new Request(local, "invocations").what("local");
    } else if (which == 1) {
      q = new Request(locked, "invocations").what("locked with key").header("X-Api-Key", KEY);
    } else {
      q =
          new Request(onSageMaker, "invocations")
              .what("sagemaker")
              .header("X-Amzn-SageMaker-Inference-Component", sageMakerComponent);
    }
    q.header("Content-Type", "application/octet-stream");
    q.expect = Expect.ECHO;
    return q;
  }

  private Request sageMakerHeaders(Random r) {
    Request q = base(r);
    int mutations = 1 + r.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      switch (r.nextInt(15)) {
        case 0 -> {
          int length = r.nextBoolean() ? 1025 + r.nextInt(200) : 1 + r.nextInt(10_000);
          q.set("X-Amzn-SageMaker-Custom-Attributes", printable(r, length))
              .what("custom attributes of " + length);
        }
        case 1 ->
            q.set("X-Amzn-SageMaker-Custom-Attributes", odd(r, 1 + r.nextInt(200)))
                .what("custom attributes with odd bytes");
        case 2 -> q.set("X-Amzn-SageMaker-Target-Variant", oddOrLong(r)).what("odd target variant");
        case 3 -> q.set("X-Amzn-SageMaker-Target-Model", oddOrLong(r)).what("odd target model");
        case 4 ->
            q.set("X-Amzn-SageMaker-Inference-Component", oddOrLong(r))
                .what("odd inference component");
        case 5 -> q.set("X-Amzn-SageMaker-Inference-Id", oddOrLong(r)).what("odd inference id");
        case 6 -> q.set("Authorization", authorization(r)).what("authorization garbage");
        case 7 -> q.set("X-Api-Key", oddOrLong(r)).what("api key garbage");
        case 8 -> q.set("Content-Type", oddOrLong(r)).what("odd content type");
        case 9 -> q.set("Accept", oddOrLong(r)).what("odd accept");
        case 10 ->
            q.header("X-Amzn-SageMaker-Custom-Attributes", printable(r, 20))
                .header("X-Amzn-SageMaker-Custom-Attributes", printable(r, 20))
                .what("custom attributes twice");
        case 11 -> q.set("X-Amzn-SageMaker-Session-Id", oddOrLong(r)).what("odd session id");
        case 12 ->
            q.set("X-Amzn-SageMaker-Target-Variant", r.nextBoolean() ? "AllTraffic" : name(r))
                .what("a variant");
        case 13 -> {
          // At SageMaker's limits, still valid: these must go through.
          q.set("X-Amzn-SageMaker-Custom-Attributes", printable(r, 1024))
              .set("X-Amzn-SageMaker-Inference-Id", printable(r, 64))
              .set("Accept", printable(r, 1024))
              .what("valid values at the limits");
        }
        default ->
            q.set("X-Amzn-SageMaker-Enable-Explanations", oddOrLong(r)).what("odd explanations");
      }
    }
    return q;
  }

  private Request hugeHeaders(Random r) {
    Request q = r.nextBoolean() ? base(r) : clean(r);
    q.expect = Expect.ANY;
    switch (r.nextInt(4)) {
      case 0 -> {
        int count = 100 + r.nextInt(800);
        for (int i = 0; i < count; i++) {
          q.header("X-Fuzz-" + i, printable(r, 4 + r.nextInt(36)));
        }
        q.what(count + " headers");
      }
      case 1 -> {
        int length =
            new int[] {4000, 8000, 8192, 16_000, 19_000, 20_300, 20_480, 25_000, 60_000}
                [r.nextInt(9)];
        q.header("X-Fuzz-Big", printable(r, length)).what("one header of " + length);
      }
      case 2 -> {
        int count = 100 + r.nextInt(400);
        for (int i = 0; i < count; i++) {
          q.header("X-Amzn-SageMaker-Custom-Attributes", printable(r, 10 + r.nextInt(30)));
        }
        q.what(count + " custom attributes headers");
      }
      default -> {
        int count = 2 + r.nextInt(5);
        for (int i = 0; i < count; i++) {
          q.header("X-Fuzz-" + i, printable(r, 3000 + r.nextInt(3000)));
        }
        q.what(count + " headers of 3-6 KB");
      }
    }
    int size = q.headBytes();
    q.what("head " + size + " bytes");
    if (size > MAX_HEADER_SIZE - 2048) {
      q.expect = Expect.NOT_HTTP; // Vert.x refuses the head with 431 past the limit
    }
    return q;
  }

  private Request bodies(Random r) {
    Request q = clean(r);
    int kind = r.nextInt(100);
    int length;
    if (kind < 15) {
      length = 0;
    } else if (kind < 70) {
      length = 1 + r.nextInt(4096);
    } else if (kind < 90) {
      length = 4096 + r.nextInt(256 * 1024);
    } else if (kind < 95) {
      length = MAX_PAYLOAD - r.nextInt(1024);
    } else {
      length = MAX_PAYLOAD + 1 + r.nextInt(1024 * 1024);
      q.expect = Expect.TOO_LARGE;
    }
    if (length > 256 * 1024 && q.endpoint.equals(onSageMaker)) {
      // The simulator runs in this JVM, and its JDK HTTP server keeps, per kept-alive connection, a
      // buffer as large as the largest answer it wrote: 6 MB answers would be counted as the
      // gateway's heap. Payloads near the limit go to the copies, which run in their own processes.
      q = clean(r);
      while (q.endpoint.equals(onSageMaker)) {
        q = clean(r);
      }
      q.expect = kind < 95 ? Expect.ECHO : Expect.TOO_LARGE;
    }
    byte[] body = new byte[length];
    r.nextBytes(body);
    q.body = body;
    q.chunked = r.nextInt(4) == 0;
    if (length == 0 && q.endpoint.equals(onSageMaker)) {
      q.expect = Expect.ANY; // SageMaker requires a body
    }
    return q.what(length + " bytes" + (q.chunked ? " chunked" : ""));
  }

  private Request paths(Random r) {
    Request q = base(r);
    String name = r.nextBoolean() ? local : name(r);
    String[] targets = {
      "/endpoints/%2e%2e/invocations",
      "/endpoints/..%2finvocations",
      "/endpoints/%2e%2e%2f%2e%2e%2fetc%2fpasswd/invocations",
      "/endpoints/../endpoints/" + name + "/invocations",
      "/endpoints/" + name + "/../" + name + "/invocations",
      "/endpoints/%zz/invocations",
      "/endpoints/%/invocations",
      "/endpoints/%c0%ae%c0%ae/invocations",
      "/endpoints/a%00b/invocations",
      "/endpoints/%E2%98%83/invocations",
      "/endpoints//invocations",
      "/endpoints/" + name + "//invocations",
      "/endpoints/" + name + "/invocations?x=1&y&%zz=%",
      "/endpoints/" + name + "/invocations#fragment",
      "/endpoints/" + name + ";jsessionid=1/invocations",
      "//endpoints/" + name + "/invocations",
      "/ENDPOINTS/" + name + "/INVOCATIONS",
      "/endpoints/" + name + "/" + OPERATIONS[r.nextInt(3)] + "/extra",
      "/endpoints/" + name + "/invocation",
      "/endpoints/" + name + "/",
      "/endpoints/" + name,
      "/endpoints/",
      "/endpoints",
      "/",
      "/" + printable(r, 1 + r.nextInt(40)).replace(' ', '_'),
      "/endpoints/" + name + "/" + name(r),
      "/endpoints/" + longName(r, 64 + r.nextInt(3000)) + "/invocations",
      "/endpoints/" + longName(r, MAX_INITIAL_LINE + r.nextInt(4000)) + "/invocations",
      "/endpoints/" + percentJunk(r) + "/invocations",
      "/ebb/internal/v1/demand",
      "/ebb/internal/v1/metrics",
    };
    int i = r.nextInt(targets.length);
    q.target = targets[i];
    if (q.target.length() + 20 > MAX_INITIAL_LINE || !uri(q.target)) {
      q.expect = Expect.NOT_HTTP; // 414, or Quarkus' 400 for a target that is not a URI
    } else if (q.target.startsWith("/ebb/internal/")) {
      q.expect = Expect.PEER_API;
    }
    return q.what("path #" + i + " " + abbreviate(q.target));
  }

  private Request methods(Random r) {
    Request q = r.nextBoolean() ? base(r) : clean(r);
    q.expect = Expect.ANY;
    String[] methods = {
      "GET",
      "PUT",
      "DELETE",
      "OPTIONS",
      "HEAD",
      "PATCH",
      "TRACE",
      "CONNECT",
      "post",
      "FUZZ",
      "P0ST",
      "PROPFIND"
    };
    q.method = methods[r.nextInt(methods.length)];
    if (r.nextBoolean()) {
      q.body = new byte[0];
    }
    return q.what("method " + q.method);
  }

  private Request contentTypes(Random r) {
    Request q = clean(r);
    String boundary = "----fuzz" + r.nextInt(1_000_000);
    String[][] kinds = {
      {"multipart/form-data; boundary=" + boundary, "multipart"},
      {"multipart/form-data; boundary=" + boundary, "random"},
      {"multipart/form-data", "random"},
      {"multipart/form-data; boundary=", "random"},
      {"application/x-www-form-urlencoded", "form"},
      {"application/x-www-form-urlencoded", "random"},
      {"application/x-www-form-urlencoded; charset=utf-8", "big-form"},
      {"text/plain; charset=bogus", "random"},
      {"application/json; charset=utf-16", "random"},
      {"", "random"},
      {";", "random"},
      {"/", "random"},
      {"a/b/c", "random"},
      {"image/jpeg", "random"},
      {"*/*", "random"},
      {"application/json;;;;", "random"},
      {"text/plain; " + "x=y; ".repeat(100), "random"},
    };
    String[] kind = kinds[r.nextInt(kinds.length)];
    q.set("Content-Type", kind[0]);
    q.body =
        switch (kind[1]) {
          case "multipart" ->
              ("--"
                      + boundary
                      + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n"
                      + "Content-Type: image/jpeg\r\n\r\n"
                      + text(r, 2000)
                      + "\r\n--"
                      + boundary
                      + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n"
                      + text(r, 100)
                      + "\r\n--"
                      + boundary
                      + "--\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1);
          case "form" ->
              ("a=b&c=%zz&" + "x=".repeat(1 + r.nextInt(400)) + "&%=%%")
                  .getBytes(StandardCharsets.ISO_8859_1);
          case "big-form" ->
              ("prompt=" + "y".repeat(1000 + r.nextInt(20_000)))
                  .getBytes(StandardCharsets.US_ASCII);
          default -> {
            byte[] b = new byte[1 + r.nextInt(20_000)];
            r.nextBytes(b);
            yield b;
          }
        };
    return q.what("content type '" + abbreviate(kind[0]) + "' with a " + kind[1] + " body");
  }

  private Request async(Random r) {
    int which = r.nextInt(4);
    Request q =
        new Request(which < 2 ? local : which == 2 ? locked : onSageMaker, "async-invocations");
    q.what("async on " + (which < 2 ? "local" : which == 2 ? "locked" : "sagemaker"));
    if (which == 2 && r.nextBoolean()) {
      q.header("X-Api-Key", KEY);
    }
    String[] locations = {
      "s3://" + bucket + "/in/ok.json",
      "s3://" + bucket + "/in/missing.json",
      "s3://",
      "s3://a/b",
      "http://example.com/x",
      "s3://" + bucket + "/" + printable(r, 2000),
      odd(r, 40),
    };
    if (r.nextInt(6) > 0) {
      q.header("X-Amzn-SageMaker-InputLocation", locations[r.nextInt(locations.length)]);
    }
    String[] seconds = {
      "60",
      "3600",
      "21600",
      "0",
      "-1",
      "59",
      "21601",
      "abc",
      "",
      " ",
      "1e3",
      "60.5",
      "0x3c",
      "99999999999999999999",
      "+60",
      " 120 ",
      "٣٦٠٠",
      "NaN"
    };
    if (r.nextBoolean()) {
      String ttl = seconds[r.nextInt(seconds.length)];
      q.header("X-Amzn-SageMaker-RequestTTLSeconds", ttl).what("ttl '" + ttl + "'");
    }
    if (r.nextBoolean()) {
      String timeout = seconds[r.nextInt(seconds.length)];
      q.header("X-Amzn-SageMaker-InvocationTimeoutSeconds", timeout)
          .what("timeout '" + timeout + "'");
    }
    if (r.nextInt(3) == 0) {
      q.header("X-Amzn-SageMaker-Inference-Id", oddOrLong(r)).what("odd inference id");
    }
    if (r.nextInt(3) == 0) {
      q.header("X-Amzn-SageMaker-Content-Type", oddOrLong(r)).what("odd content type");
    }
    if (r.nextInt(3) == 0) {
      q.header("X-Amzn-SageMaker-Custom-Attributes", oddOrLong(r)).what("odd attributes");
    }
    // The header values above are encoded below as ISO-8859-1: non-Latin-1 digits become '?'.
    return q;
  }

  private Request notHttp(Random r) {
    Request q = clean(r);
    q.body = text(r, 1 + r.nextInt(100)).getBytes(StandardCharsets.ISO_8859_1);
    q.expect = Expect.NOT_HTTP;
    switch (r.nextInt(22)) {
      case 0 -> {
        q.version = "HTTP/1.0";
        q.headers.removeIf(h -> h[0].equals("Host"));
        q.expect = Expect.ECHO;
        q.what("HTTP/1.0");
      }
      case 1 -> {
        String v =
            new String[] {
                  "HTTP/2.0",
                  "HTTP/1.2",
                  "HTTP/0.9",
                  "HTTP/1.1x",
                  "http/1.1",
                  "HTTP/1",
                  "HTTP/11.1",
                  "HTTP/1.1 extra",
                  "FOO/1.0"
                }
                [r.nextInt(9)];
        q.version = v;
        q.what("version " + v);
      }
      case 2 -> {
        q.version = "";
        q.what("no version");
      }
      case 3 -> q.header("NoColon" + r.nextInt(10), null).what("a header line without colon");
      case 4 -> q.header("Host ", "x").what("space before colon");
      case 5 -> q.header("X-Folded", "a\r\n folded").what("obs-fold");
      case 6 -> q.header("X-Nul", "a\u0000b").what("NUL in a value");
      case 7 -> q.header("X-Cr", "a\rb").what("bare CR in a value");
      case 8 -> q.header("X(Bad)", "x").what("non-token header name");
      case 9 -> q.header("", "x").what("empty header name");
      case 10 -> {
        q.contentLength = false;
        q.header(
                "Content-Length",
                new String[] {"-1", "abc", "1e3", "99999999999999999999", ""}[r.nextInt(5)])
            .what("bad content-length");
      }
      case 11 -> {
        q.contentLength = false;
        q.header("Content-Length", String.valueOf(q.body.length))
            .header("Content-Length", String.valueOf(q.body.length + 1))
            .what("two content-lengths");
      }
      case 12 -> {
        q.header("Transfer-Encoding", "chunked").what("content-length and chunked");
        q.contentLength = false;
        q.header("Content-Length", String.valueOf(q.body.length));
        q.body = chunk(q.body);
      }
      case 13 -> {
        q.contentLength = false;
        q.header(
                "Transfer-Encoding",
                new String[] {"gzip", "chunked, identity", "identity", "chunked;x", "xchunked"}
                    [r.nextInt(5)])
            .what("odd transfer-encoding");
      }
      case 14 -> {
        q.contentLength = false;
        q.header("Transfer-Encoding", "chunked").what("bad chunk size");
        q.body = ("zz\r\n" + text(r, 10) + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      }
      case 15 -> {
        q.contentLength = false;
        int declared = Math.max(0, q.body.length - 1 - r.nextInt(q.body.length));
        q.header("Content-Length", String.valueOf(declared)).what("content-length short");
        q.expect = Expect.ANY;
      }
      case 16 -> {
        q.target = "http://localhost:" + httpPort + q.target;
        q.expect = Expect.ECHO;
        q.what("absolute-form target");
      }
      case 17 -> {
        q.method = "OPTIONS";
        q.target = "*";
        q.what("asterisk-form");
      }
      case 18 -> {
        q.method = "POST\t";
        q.what("tab in the request line");
      }
      case 19 -> {
        q.target = q.target + " " + q.target;
        q.what("two targets");
      }
      case 20 -> {
        q.target = "/endpoints/" + odd(r, 20) + "/invocations";
        q.what("raw odd bytes in the target");
      }
      default -> {
        q.header("Expect", r.nextBoolean() ? "100-continue" : "fuzz").what("expect");
        q.expect = Expect.ANY;
      }
    }
    return q;
  }

  // --- checking an answer ---------------------------------------------------------------------

  private void check(Case c, RawHttp.Outcome outcome) {
    cases.incrementAndGet();
    String summary;
    if (outcome instanceof RawHttp.Answered answered) {
      RawHttp.Response response = answered.response();
      String type = response.header("x-amzn-ErrorType").orElse("-");
      summary =
          response.status()
              + " "
              + type
              + (c.category().equals("not-http")
                  ? " (" + c.what().replaceAll("^[^;]*; ", "") + ")"
                  : "");
      checkAnswer(c, response);
    } else {
      summary =
          outcome.getClass().getSimpleName() + " (" + c.what().replaceAll("^[^;]*; ", "") + ")";
      boolean allowed =
          c.expect() == Expect.NOT_HTTP
              || c.expect() == Expect.TOO_LARGE && !(outcome instanceof RawHttp.Hung);
      if (!allowed) {
        problem(c, "no answer: " + outcome);
      }
      // The first unexpected hang shows where the gateway's threads are.
      if (!allowed && outcome instanceof RawHttp.Hung && dumped.compareAndSet(false, true)) {
        Thread.getAllStackTraces()
            .forEach(
                (t, stack) ->
                    System.out.println(
                        "[ebb-tests] thread "
                            + t.getName()
                            + " "
                            + t.getState()
                            + "\n    "
                            + String.join(
                                "\n    ",
                                Arrays.stream(stack).limit(25).map(String::valueOf).toList())));
      }
    }
    outcomes
        .computeIfAbsent(c.category() + " -> " + summary, k -> new AtomicInteger())
        .incrementAndGet();
  }

  private void checkAnswer(Case c, RawHttp.Response response) {
    int status = response.status();
    boolean bareRefusal =
        (status == 400 || status == 414 || status == 431)
            && response.body().length == 0
            && response.header("x-amzn-ErrorType").isEmpty();
    if (bareRefusal && c.expect() == Expect.NOT_HTTP) {
      return;
    }
    if (status >= 400 && c.expect() != Expect.PEER_API) {
      String shape = shapeProblem(response, c.head());
      if (shape != null) {
        problem(c, "not SageMaker's error shape (" + shape + "): " + response);
        return;
      }
    }
    String code = response.header("x-amzn-ErrorType").orElse("");
    if (status >= 500 && !DOCUMENTED_5XX.contains(status + " " + code)) {
      problem(c, "an undocumented " + status + ": " + response);
    }
    switch (c.expect()) {
      case ECHO -> {
        if (status != 200 || !Arrays.equals(response.body(), c.echo())) {
          problem(c, "expected the body echoed, got " + response);
        }
      }
      case TOO_LARGE -> {
        if (status != 413 || !code.equals("ValidationError")) {
          problem(c, "expected 413 ValidationError, got " + response);
        }
      }
      default -> {}
    }
  }

  /** Why {@code response} is not SageMaker Runtime's error shape, or null if it is. */
  private static String shapeProblem(RawHttp.Response response, boolean head) {
    String type = response.header("x-amzn-ErrorType").orElse("");
    if (type.isBlank()) {
      return "no x-amzn-ErrorType";
    }
    if (head) {
      return null;
    }
    if (!response.header("content-type").orElse("").startsWith("application/json")) {
      return "content type " + response.header("content-type").orElse("none");
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      JsonNode message =
          body == null ? null : body.has("message") ? body.get("message") : body.get("Message");
      if (message == null || !message.isTextual() || message.asText().isBlank()) {
        return "no message";
      }
    } catch (IOException e) {
      return "body not JSON";
    }
    return null;
  }

  private void problem(Case c, String what) {
    String line =
        "case " + c.index() + " [" + c.category() + ": " + c.what() + "]: " + abbreviate(what);
    problems.add(line);
    System.out.println("[ebb-tests] FUZZ PROBLEM " + line);
  }

  // --- connection-level abuse -------------------------------------------------------------------

  /** Requests trickled a byte at a time are answered like any other. */
  private void slowClients(Random random) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int index = i;
      byte[] body = text(random, 50 + random.nextInt(100)).getBytes(StandardCharsets.ISO_8859_1);
      running.add(
          pool.submit(
              () -> {
                Case c = slowCase(index, body);
                try (Socket socket = RawHttp.connect(httpPort, READ_TIMEOUT)) {
                  OutputStream out = socket.getOutputStream();
                  for (byte b : c.wire()) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(2);
                  }
                  check(c, RawHttp.read(socket.getInputStream(), false));
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  private Case slowCase(int index, byte[] body) {
    Request q = new Request(local, "invocations").header("Content-Type", "text/plain");
    q.body = body;
    q.expect = Expect.ECHO;
    return q.what("trickled byte by byte").done(-1000 - index, "slow");
  }

  /**
   * Connections whose client shuts its output (FIN) after the request, mid-body or mid-head: the
   * gateway answers or closes, and never hangs.
   */
  private void halfClosed(Random random) throws Exception {
    for (int i = 0; i < 30; i++) {
      Request q = new Request(local, "invocations").header("Content-Type", "text/plain");
      q.body = text(random, 200).getBytes(StandardCharsets.ISO_8859_1);
      byte[] wire = q.wire();
      int kind = i % 3;
      int cut =
          kind == 0
              ? wire.length
              : kind == 1 ? wire.length - 1 - random.nextInt(150) : 5 + random.nextInt(40);
      Case c =
          new Case(
              -2000 - i,
              "half-closed",
              new String[] {"after the request", "mid-body", "mid-head"}[kind],
              wire,
              false,
              Expect.NOT_HTTP,
              q.body);
      try (Socket socket = RawHttp.connect(httpPort, READ_TIMEOUT)) {
        socket.getOutputStream().write(wire, 0, cut);
        socket.getOutputStream().flush();
        socket.shutdownOutput();
        RawHttp.Outcome outcome = RawHttp.read(socket.getInputStream(), false);
        if (outcome instanceof RawHttp.Hung) {
          problem(c, "hung after the client shut its output");
        }
        check(c, outcome);
      }
    }
  }

  /**
   * Requests that never end (a request line without its end, a head without its blank line, a body
   * shorter than its length): they do not stop the gateway serving others. Quarkus' idle timeout
   * (30 min) is what closes them eventually; they are still open a few seconds later.
   */
  private void neverEnding(Random random) throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        Socket socket = RawHttp.connect(httpPort, Duration.ofMillis(200));
        open.add(socket);
        String head = "POST /endpoints/" + local + "/invocations HTTP/1.1\r\nHost: x\r\n";
        String partial =
            switch (i % 3) {
              case 0 -> head.substring(0, 10 + random.nextInt(20));
              case 1 -> head + "X-Never: ending";
              default -> head + "Content-Length: 1000\r\n\r\n" + text(random, 10);
            };
        socket.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        cases.incrementAndGet();
      }
      canary("while 60 requests never end");
      Thread.sleep(3_000);
      int stillOpen = 0;
      for (Socket socket : open) {
        try {
          int b = socket.getInputStream().read();
          if (b >= 0) {
            problems.add("a never-ending request got an answer before it ended");
          }
        } catch (java.net.SocketTimeoutException waiting) {
          stillOpen++;
        } catch (IOException reset) {
          // closed by the gateway
        }
      }
      System.out.printf(
          "[ebb-tests] never-ending requests still open after 3 s: %d of %d%n",
          stillOpen, open.size());
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  /** {@code n} connections opened at once, half of them sending a request, then all closed. */
  private void manyConnections(Random random, int n) throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        open.add(RawHttp.connect(httpPort, READ_TIMEOUT));
      }
      canary("with " + n + " connections open");
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < n; i += 2) {
        Request q = new Request(local, "invocations").header("Content-Type", "text/plain");
        q.body = ("many-" + i + "-" + text(random, 20)).getBytes(StandardCharsets.ISO_8859_1);
        sent.add(q.body);
        open.get(i).getOutputStream().write(q.wire());
      }
      for (int i = 0; i < n; i += 2) {
        Case c =
            new Case(
                -3000 - i,
                "many-connections",
                "one of " + n,
                new byte[0],
                false,
                Expect.ECHO,
                sent.get(i / 2));
        check(c, RawHttp.read(open.get(i).getInputStream(), false));
      }
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
    cases.addAndGet(n / 2); // the connections that sent nothing
    awaitNoServerConnections("after " + n + " connections closed");
  }

  /** Requests pipelined on one connection, then garbage: answered in order, then refused. */
  private void pipelined(Random random) throws Exception {
    for (int i = 0; i < 20; i++) {
      try (Socket socket = RawHttp.connect(httpPort, READ_TIMEOUT)) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<Case> sent = new ArrayList<>();
        int count = 2 + random.nextInt(4);
        for (int k = 0; k < count; k++) {
          Request q =
              k == 1 && random.nextBoolean()
                  ? new Request(name(random), "invocations")
                  : new Request(local, "invocations");
          q.header("Content-Type", "text/plain");
          q.body = text(random, random.nextInt(300)).getBytes(StandardCharsets.ISO_8859_1);
          q.expect = q.endpoint.equals(local) ? Expect.ECHO : Expect.ANY;
          Case c = q.what("pipelined " + k + " of " + count).done(-4000 - i * 10 - k, "pipelined");
          sent.add(c);
          wire.writeBytes(c.wire());
        }
        byte[] garbage = new byte[1 + random.nextInt(300)];
        random.nextBytes(garbage);
        wire.writeBytes(garbage);
        wire.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(wire.toByteArray());
        socket.getOutputStream().flush();
        for (Case c : sent) {
          check(c, RawHttp.read(socket.getInputStream(), false));
        }
        Case garbageCase =
            new Case(
                -4000 - i * 10 - 9,
                "pipelined",
                "garbage after",
                garbage,
                false,
                Expect.NOT_HTTP,
                new byte[0]);
        check(garbageCase, RawHttp.read(socket.getInputStream(), false));
      }
    }
  }

  /** HTTP/1.0 with and without keep-alive, and versions that are not HTTP/1.x. */
  private void versions() throws Exception {
    String[] versions = {"HTTP/1.0", "HTTP/1.0", "HTTP/2.0", "HTTP/3", "HTTP/0.9", "HTTX/1.1"};
    for (int i = 0; i < versions.length; i++) {
      Request q = new Request(local, "invocations").header("Content-Type", "text/plain");
      q.version = versions[i];
      if (i == 1) {
        q.header("Connection", "keep-alive");
      }
      q.body = ("version " + versions[i]).getBytes(StandardCharsets.US_ASCII);
      q.expect = versions[i].equals("HTTP/1.0") ? Expect.ECHO : Expect.NOT_HTTP;
      Case c = q.what(versions[i]).done(-5000 - i, "versions");
      check(c, RawHttp.exchange(httpPort, c.wire(), false, READ_TIMEOUT, writers));
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  /** An invocation of the open local endpoint must come back echoed. */
  private void canary(String when) {
    if (!canaryOn(local, null, when)) {
      problems.add("the canary failed " + when);
      throw new AssertionError("the gateway stopped answering " + when + ": " + problems);
    }
  }

  private boolean canaryOn(String endpoint, String component, String when) {
    Request q = new Request(endpoint, "invocations").header("Content-Type", "text/plain");
    if (component != null) {
      q.header("X-Amzn-SageMaker-Inference-Component", component);
    }
    q.body = ("canary " + when).getBytes(StandardCharsets.US_ASCII);
    RawHttp.Outcome outcome =
        RawHttp.exchange(httpPort, q.wire(), false, Duration.ofSeconds(10), writers);
    boolean ok =
        outcome instanceof RawHttp.Answered a
            && a.response().status() == 200
            && Arrays.equals(a.response().body(), q.body);
    if (!ok) {
      System.out.println("[ebb-tests] canary " + when + " on " + endpoint + ": " + outcome);
    }
    return ok;
  }

  /**
   * Heap used after a GC. The simulator runs in this JVM and logs every call (bodies included): the
   * log is the test's, so it is emptied first.
   */
  private long heapAfterGc() throws InterruptedException {
    simulator.clearCalls();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(300);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * Waits until the gateway holds no connection of a client that closed its own: no socket on the
   * gateway's port in CLOSE_WAIT, a connection the client closed and the gateway did not.
   */
  private void awaitNoServerConnections(String when) {
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> serverConnectionsLeft() == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      problems.add(serverConnectionsLeft() + " connections left open " + when);
    }
  }

  /** Sockets whose local port is the gateway's, neither listening nor in TIME_WAIT (Linux). */
  private long serverConnectionsLeft() {
    String port = String.format(":%04X", httpPort);
    long count = 0;
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          // CLOSE_WAIT (08): the client closed and the gateway did not. An ESTABLISHED socket
          // may be a live keep-alive connection of another client in this JVM (CI showed two).
          if (f.length > 3 && f[1].endsWith(port) && f[3].equals("08")) {
            count++;
          }
        }
      } catch (IOException e) {
        return 0; // not Linux: nothing to count by
      }
    }
    return count;
  }

  private static long openFds() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return 0;
    }
    try (var list = Files.list(fds)) {
      return list.count();
    }
  }

  /** Whether {@code target} is a URI (RFC 3986), as Quarkus checks before any route. */
  private static boolean uri(String target) {
    try {
      new java.net.URI(target);
      return true;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String name(Random r) {
    return longName(r, 1 + r.nextInt(40));
  }

  private static String longName(Random r, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
    StringBuilder s = new StringBuilder("x");
    while (s.length() < length) {
      s.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String percentJunk(Random r) {
    StringBuilder s = new StringBuilder();
    int n = 1 + r.nextInt(30);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(4)) {
        case 0 -> s.append('%').append(Integer.toHexString(r.nextInt(256)));
        case 1 -> s.append('%');
        case 2 -> s.append("%u").append(r.nextInt(9999));
        default -> s.append((char) ('a' + r.nextInt(26)));
      }
    }
    return s.toString();
  }

  /** Visible ASCII and spaces. */
  private static String printable(Random r, int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = (char) (0x21 + r.nextInt(0x7e - 0x21));
    }
    if (length > 2) {
      c[length / 2] = ' ';
    }
    return new String(c);
  }

  /** Text a body may hold: any Latin-1 byte. */
  private static String text(Random r, int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = (char) (0x20 + r.nextInt(0x5f));
    }
    return new String(c);
  }

  /** Header-legal bytes HTTP allows but SageMaker's names do not: obs-text, punctuation. */
  private static String odd(Random r, int length) {
    String punctuation = "!\"#$%&'()*+,./:;<=>?@[\\]^`{|}~";
    char[] c = new char[Math.max(1, length)];
    for (int i = 0; i < c.length; i++) {
      c[i] =
          switch (r.nextInt(3)) {
            case 0 -> (char) (0x80 + r.nextInt(0x80));
            case 1 -> punctuation.charAt(r.nextInt(punctuation.length()));
            default -> (char) ('a' + r.nextInt(26));
          };
    }
    c[0] = 'z'; // a value does not start with whitespace, so what is sent is what is read
    return new String(c);
  }

  private static String oddOrLong(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> odd(r, 1 + r.nextInt(64));
      case 1 -> longName(r, 64 + r.nextInt(4000));
      case 2 -> printable(r, 1 + r.nextInt(2000));
      default -> odd(r, 200 + r.nextInt(3000));
    };
  }

  private static String authorization(Random r) {
    return switch (r.nextInt(7)) {
      case 0 -> "Bearer " + printable(r, r.nextInt(5000));
      case 1 -> "Bearer";
      case 2 -> "Basic " + odd(r, 30);
      case 3 ->
          "AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/sagemaker/aws4_request,"
              + " SignedHeaders=host, Signature="
              + name(r);
      case 4 -> "Bearer " + name(r) + "." + name(r) + "." + name(r);
      case 5 -> "Bearer " + odd(r, 100);
      default -> odd(r, 1 + r.nextInt(500));
    };
  }

  private static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "...(" + s.length() + " chars)" : s;
  }

  private void apply(String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(ns)
        .serverSideApply();
  }
}
