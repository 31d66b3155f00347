package dev.ebb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.batch.BatchCommand;
import dev.ebb.local.BatchWorkload;
import dev.ebb.sagemaker.ModelFetch;
import dev.ebb.testing.LocalCluster;
import dev.ebb.testing.RealNodeEbb;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/batch.sh}: records per second through Ebb's batcher against calling {@code
 * /invocations} directly in a loop with the same concurrency, over the same records and the same
 * model server (the test model server with ECHO=1), SingleRecord so every record is one request.
 * Three measures in one run:
 *
 * <ul>
 *   <li>direct: a loop of HTTP calls from this JVM to the model server on loopback, {@code
 *       concurrency} in flight (the baseline);
 *   <li>batcher: Ebb's {@code batch} command on this machine, to the same server, reading and
 *       writing the simulator's S3: the batcher's own overhead is the ratio to direct;
 *   <li>node: the same transform as a BatchTransform on the real node (an Indexed Job: the server
 *       as a native sidecar, the batcher from Ebb's image), timed by kubelet from the batcher's
 *       start to its end (whole seconds; JVM start and S3 listing included).
 * </ul>
 */
@EnabledIfSystemProperty(named = "ebb.bench.batch", matches = "true")
class BatchBench {
  private static final String NS = "ml-bench-batch";
  private static final String BUCKET = "ebb-bench-batch";
  private final int objects = Integer.getInteger("ebb.bench.objects", 4);
  private final int linesPerObject = Integer.getInteger("ebb.bench.lines", 5000);
  private final int concurrency = Integer.getInteger("ebb.bench.concurrency", 4);

  @TempDir Path tmp;

  @Test
  void recordsPerSecond() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < objects * linesPerObject; i++) {
      lines.add("r" + i + "," + "x".repeat(80));
    }
    int records = lines.size();
    Process server = startModelServer();
    try (RealNodeEbb ebb =
        RealNodeEbb.start(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"))) {
      for (int o = 0; o < objects; o++) {
        String body =
            String.join("\n", lines.subList(o * linesPerObject, (o + 1) * linesPerObject)) + "\n";
        if (o == 0) {
          ebb.simulator.s3().createBucket(BUCKET);
          ebb.simulator.s3().put(BUCKET, "model/model.txt", "echo");
        }
        ebb.simulator.s3().put(BUCKET, "in/part-" + o + ".csv", body);
      }
      double direct = direct(lines, modelPort);
      double batcher = batcherHere(ebb, modelPort, records);
      double node = onTheNode(ebb, records);
      System.out.println("[ebb-bench] results");
      System.out.printf("records=%d%n", records);
      System.out.printf("concurrency=%d%n", concurrency);
      System.out.printf("direct_records_per_s=%.0f%n", direct);
      System.out.printf("direct_retries=%d%n", retries.get());
      System.out.printf("batcher_records_per_s=%.0f%n", batcher);
      System.out.printf("batcher_vs_direct_ratio=%.3f%n", batcher / direct);
      System.out.printf("node_records_per_s=%.0f%n", node);
      System.out.printf("node_vs_direct_ratio=%.3f%n", node / direct);
    } finally {
      server.destroy();
    }
  }

  private int modelPort;
  private final AtomicInteger retries = new AtomicInteger();

  /** The test model server, built from hack/node/images/model-server, on a loopback port. */
  private Process startModelServer() throws Exception {
    Path binary = tmp.resolve("model-server");
    Process build =
        new ProcessBuilder("go", "build", "-o", binary.toString(), ".")
            .directory(Path.of("hack/node/images/model-server").toFile())
            .inheritIO()
            .start();
    assertThat(build.waitFor()).as("go build of the test model server").isZero();
    modelPort = LocalCluster.freePort();
    ProcessBuilder run = new ProcessBuilder(binary.toString(), "serve");
    run.environment().put("SAGEMAKER_BIND_TO_PORT", String.valueOf(modelPort));
    run.environment().put("ALLOW_EMPTY_MODEL", "1");
    run.environment().put("ECHO", "1");
    Process server =
        run.redirectErrorStream(true).redirectOutput(tmp.resolve("server.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + modelPort + "/ping"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return server;
  }

  /** The baseline: every record POSTed, {@code concurrency} in flight, records per second. */
  private double direct(List<String> lines, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/invocations");
    AtomicInteger next = new AtomicInteger();
    retries.set(0);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long started = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < lines.size(); i = next.getAndIncrement()) {
                  HttpRequest request =
                      HttpRequest.newBuilder(uri)
                          .header("Content-Type", "text/csv")
                          .header("Accept", "text/csv")
                          .POST(HttpRequest.BodyPublishers.ofString(lines.get(i)))
                          .build();
                  // As the batcher does, a request whose connection the JDK's pool finds closed
                  // is sent again (counted: direct_retries).
                  for (int attempt = 1; ; attempt++) {
                    try {
                      var answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                      if (answer.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + answer.statusCode());
                      }
                      break;
                    } catch (java.io.IOException e) {
                      if (attempt == 3) {
                        throw e;
                      }
                      retries.incrementAndGet();
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    return lines.size() / seconds;
  }

  /** Ebb's batch command in this JVM, to the same server, with the simulator's S3. */
  private double batcherHere(RealNodeEbb ebb, int port, int records) throws Exception {
    Path job = tmp.resolve("job.json");
    Files.writeString(
        job,
        """
        {"modelUrl": "http://127.0.0.1:%d",
         "input": {"s3Uri": "s3://%s/in/", "contentType": "text/csv", "splitType": "Line"},
         "output": {"s3OutputPath": "s3://%s/here/", "accept": "text/csv", "assembleWith": "Line"},
         "batchStrategy": "SingleRecord", "maxConcurrentTransforms": %d}
        """
            .formatted(port, BUCKET, BUCKET, concurrency));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long started = System.nanoTime();
    int exit =
        BatchCommand.run(
            new String[] {"--job", job.toString()},
            Map.of(
                ModelFetch.ENDPOINT_ENV,
                ebb.simulator.endpoint().toString(),
                "AWS_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test",
                BatchCommand.SCRATCH_ENV,
                tmp.resolve("scratch").toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
    System.out.println("[ebb-bench] batcher here: " + out.toString(StandardCharsets.UTF_8).strip());
    return records / seconds;
  }

  /** The same transform as a BatchTransform on the real node, timed by kubelet. */
  private double onTheNode(RealNodeEbb ebb, int records) {
    KubernetesClient client = ebb.client;
    RealNodeEbb.namespace(client, NS, Map.of());
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-keys")
                .withNamespace(NS)
                .endMetadata()
                .withStringData(
                    Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"))
                .build())
        .serverSideApply();
    ebb.release(List.of("upgrade", "--install"));
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: ebb.dev/v1alpha1
                kind: BatchTransform
                metadata: {name: bench, namespace: %s}
                spec:
                  backend: local
                  model:
                    image: ebb.dev/test/model-server:1
                    modelDataUrl: s3://%s/model/
                    environment: {ECHO: "1"}
                  input: {s3Uri: 's3://%s/in/', contentType: text/csv, splitType: Line}
                  output: {s3Uri: 's3://%s/node/', accept: text/csv, assembleWith: Line}
                  batchStrategy: SingleRecord
                  maxConcurrentTransforms: %d
                  resources: {instanceCount: 1, memoryMb: 256, cpuCores: 0.5}
                  local: {awsCredentialsSecret: s3-keys}
                """
                    .formatted(NS, BUCKET, BUCKET, BUCKET, concurrency),
                BatchTransform.class))
        .serverSideApply();
    BatchTransform done =
        await()
            .atMost(Duration.ofMinutes(20))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () ->
                    client.resources(BatchTransform.class).inNamespace(NS).withName("bench").get(),
                t -> t != null && t.getStatus() != null && t.getStatus().ended());
    assertThat(done.getStatus().phase()).as("%s", done.getStatus()).isEqualTo("Completed");
    ContainerStateTerminated batcher =
        client
            .pods()
            .inNamespace(NS)
            .withLabel(BatchWorkload.TRANSFORM_LABEL, "bench")
            .list()
            .getItems()
            .get(0)
            .getStatus()
            .getContainerStatuses()
            .stream()
            .filter(c -> c.getName().equals(BatchWorkload.BATCHER_CONTAINER))
            .findFirst()
            .orElseThrow()
            .getState()
            .getTerminated();
    double seconds =
        Duration.between(
                    Instant.parse(batcher.getStartedAt()), Instant.parse(batcher.getFinishedAt()))
                .toMillis()
            / 1000.0;
    System.out.printf("[ebb-bench] node: batcher ran %.0f s (whole seconds)%n", seconds);
    return records / Math.max(seconds, 1);
  }
}
