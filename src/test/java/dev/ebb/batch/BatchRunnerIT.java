package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ebb.sagemaker.ModelFetch;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code batch} command end to end: a real model server under SageMaker's container contract on
 * loopback (an echo server with {@code /execution-parameters}, failing any payload that holds
 * "poison") and Ebb's S3 simulator through the real SDK client. Gzip objects split by Line into
 * MultiRecord mini-batches, two requests in flight (the container's MaxConcurrentTransforms), one
 * failing object. Then the same job, without the bad object, as a Job's container runs it: a child
 * {@code java -jar quarkus-run.jar batch}.
 */
class BatchRunnerIT {
  private static final Path FAST_JAR = Path.of("target/quarkus-app/quarkus-run.jar");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SageMakerSimulator sim =
      SageMakerSimulator.builder().delays(Delays.none()).build().start();

  @TempDir Path tmp;
  HttpServer model;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final List<String> payloads = java.util.Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger executionParameterCalls = new AtomicInteger();

  /** The first request waits for a second to arrive: proof that two were in flight at once. */
  final CountDownLatch twoArrived = new CountDownLatch(2);

  @BeforeEach
  void startModel() throws IOException {
    model = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    model.createContext("/ping", exchange -> respond(exchange, 200, new byte[0], null));
    model.createContext(
        "/execution-parameters",
        exchange -> {
          executionParameterCalls.incrementAndGet();
          respond(
              exchange,
              200,
              "{\"MaxConcurrentTransforms\": 2, \"MaxPayloadInMB\": 1}"
                  .getBytes(StandardCharsets.UTF_8),
              "application/json");
        });
    model.createContext(
        "/invocations",
        exchange -> {
          int now = inFlight.incrementAndGet();
          maxInFlight.accumulateAndGet(now, Math::max);
          try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            payloads.add(text);
            twoArrived.countDown();
            // A guard against a deadlock should the batcher send one at a time, not a timing check.
            twoArrived.await(60, TimeUnit.SECONDS);
            if (text.contains("poison")) {
              respond(exchange, 500, "bad record".getBytes(StandardCharsets.UTF_8), "text/plain");
              return;
            }
            respond(
                exchange,
                200,
                text.toUpperCase().getBytes(StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("Accept"));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            inFlight.decrementAndGet();
          }
        });
    model.setExecutor(Executors.newFixedThreadPool(8));
    model.start();
  }

  @AfterEach
  void stop() {
    model.stop(0);
    sim.close();
  }

  @Test
  void gzipLinesInMultiRecordMiniBatchesTwoInFlightAndAFailingObject() throws Exception {
    sim.s3().createBucket("in").createBucket("out");
    sim.s3().put("in", "data/a.csv.gz", gzip("a1\na2\na3\n"));
    sim.s3().put("in", "data/b/b.csv.gz", gzip("b1\nb2\n"));
    sim.s3().put("in", "data/c.csv.gz", gzip("c1\npoison\nc3\n"));
    Path progress = tmp.resolve("status/progress.json");
    Path job = writeJob(progress, 1);

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit =
        BatchCommand.run(
            new String[] {"--job", job.toString()},
            env(),
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            new PrintStream(stderr, true, StandardCharsets.UTF_8));

    String out = stdout.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out + stderr).isEqualTo(BatchCommand.FAILED);
    assertThat(lastLine(out))
        .isEqualTo(
            "ebb-batch result=Failed objects=2/3 records=5 failed=3 reason=1 of 3 input objects"
                + " failed: s3://in/data/c.csv.gz: records 1-3: HTTP 500 from POST /invocations:"
                + " bad record (after 1 retries)");
    assertThat(sim.s3().text("s3://out/results/a.csv.gz.out")).hasValue("A1\nA2\nA3\n\n");
    assertThat(sim.s3().text("s3://out/results/b/b.csv.gz.out")).hasValue("B1\nB2\n\n");
    assertThat(sim.s3().keys("out", "")).hasSize(2);
    assertThat(payloads).contains("a1\na2\na3\n", "b1\nb2\n");
    assertThat(payloads.stream().filter(p -> p.contains("poison"))).hasSize(2);
    assertThat(executionParameterCalls.get()).isEqualTo(1);
    assertThat(twoArrived.getCount()).isZero();
    assertThat(maxInFlight.get()).isEqualTo(2);

    JsonNode last = JSON.readTree(Files.readString(progress));
    assertThat(last.get("state").asText()).isEqualTo("Failed");
    assertThat(last.get("objectsTotal").asInt()).isEqualTo(3);
    assertThat(last.get("objectsDone").asInt()).isEqualTo(2);
    assertThat(last.get("objectsFailed").asInt()).isEqualTo(1);
    assertThat(last.get("recordsDone").asInt()).isEqualTo(5);
    assertThat(last.get("recordsFailed").asInt()).isEqualTo(3);
  }

  @Test
  void asAJobsContainerRunsIt() throws Exception {
    assertThat(FAST_JAR).as("the packaged fast-jar (mvn package)").isRegularFile();
    sim.s3().createBucket("in").createBucket("out");
    sim.s3().put("in", "data/a.csv.gz", gzip("a1\na2\n"));
    sim.s3().put("in", "data/b.csv.gz", gzip("b1\n"));
    Path progress = tmp.resolve("progress.json");
    Path job = writeJob(progress, 0);

    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            FAST_JAR.toAbsolutePath().toString(),
            "batch",
            "--job",
            job.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().put("HOME", tmp.toString());
    builder.environment().putAll(env());
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("batch did not end within 120 s: " + Files.readString(err));
    }
    String stdout = Files.readString(out);
    assertThat(process.exitValue()).as(stdout + Files.readString(err)).isZero();
    assertThat(lastLine(stdout))
        .isEqualTo("ebb-batch result=Completed objects=2/2 records=3 failed=0 reason=-");
    assertThat(sim.s3().text("s3://out/results/a.csv.gz.out")).hasValue("A1\nA2\n\n");
    assertThat(sim.s3().text("s3://out/results/b.csv.gz.out")).hasValue("B1\n\n");
    assertThat(JSON.readTree(Files.readString(progress)).get("state").asText())
        .isEqualTo("Completed");
  }

  private Path writeJob(Path progress, int retries) throws IOException {
    String job =
        """
        {
          "modelUrl": "http://127.0.0.1:%d",
          "input": {"s3Uri": "s3://in/data/", "s3DataType": "S3Prefix", "contentType": "text/csv",
                    "splitType": "Line", "compressionType": "Gzip"},
          "output": {"s3OutputPath": "s3://out/results", "accept": "text/csv",
                     "assembleWith": "Line"},
          "batchStrategy": "MultiRecord",
          "progressFile": "%s",
          "modelClientConfig": {"invocationsTimeoutInSeconds": 60, "invocationsMaxRetries": %d},
          "startupTimeoutSeconds": 30
        }
        """
            .formatted(model.getAddress().getPort(), progress, retries);
    Path file = tmp.resolve("job.json");
    Files.writeString(file, job);
    return file;
  }

  private Map<String, String> env() {
    return Map.of(
        ModelFetch.ENDPOINT_ENV,
        sim.endpoint().toString(),
        "AWS_REGION",
        "us-east-1",
        "AWS_EC2_METADATA_DISABLED",
        "true",
        "AWS_ACCESS_KEY_ID",
        "test",
        "AWS_SECRET_ACCESS_KEY",
        "test",
        BatchCommand.SCRATCH_ENV,
        tmp.resolve("scratch").toString());
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static void respond(HttpExchange exchange, int status, byte[] body, String type)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().add("Content-Type", type);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
