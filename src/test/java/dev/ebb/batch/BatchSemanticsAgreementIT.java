package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ebb.api.v1alpha1.BatchTransformSpec;
import dev.ebb.local.BatchJobDocument;
import dev.ebb.sagemaker.ModelFetch;
import dev.ebb.sagemaker.TransformJobRequests;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.ModelContainer;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.SimClients;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The same transform, asked the same way, gives the same bytes on both planes: SageMaker's batch
 * transform as the simulator executes it from AWS's documentation, and Ebb's batcher, which backend
 * local runs beside the model server. Two implementations of one contract, written apart, fed the
 * same BatchTransform spec (the operator's own mappings: {@link TransformJobRequests} for
 * CreateTransformJob, {@link BatchJobDocument} for the batcher) and the same model server on
 * loopback; every output object is compared byte for byte. A difference means one of the two reads
 * AWS's documentation differently: this test is where that shows.
 */
class BatchSemanticsAgreementIT {
  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
  private static SageMakerSimulator sim;
  private static HttpServer model;
  private static SageMakerClient sagemaker;

  @TempDir Path tmp;

  /** a.csv's output where the documentation fixes it (the model answers each line's length). */
  private static final Map<String, String> ANCHORS =
      Map.of(
          "Line, SingleRecord, Line", "14\n18\n5\n",
          "CSV: filter, join the input, filter the joined record", "r1,11\nr2,15\nr3,2\n");

  /** One transform: its input objects and the spec's fields beyond input and output URIs. */
  record Case(
      String name,
      Map<String, byte[]> objects,
      String input,
      String output,
      String rest,
      boolean manifest) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() throws IOException {
    Map<String, byte[]> csv = new LinkedHashMap<>();
    csv.put("a.csv", bytes("r1,great value\nr2,broke in a week\nr3,ok\n"));
    csv.put("day2/b.csv", bytes("r4,fine\nr5,\"quoted, comma\"\n"));
    Map<String, byte[]> noFinalNewline = Map.of("c.csv", bytes("x1,a\nx2,b"));
    Map<String, byte[]> gz = Map.of("g.csv.gz", gzip("g1,a\ng2,b\ng3,c\n"));
    Map<String, byte[]> json =
        Map.of(
            "j.jsonl", bytes("{\"id\":1,\"text\":\"good\"}\n{\"id\":2,\"text\":\"awful here\"}\n"));
    Map<String, byte[]> recordio =
        Map.of(
            "r.rec",
            concat(Framing.recordIo("alpha"), Framing.recordIo("be"), Framing.recordIo("gamma12")));
    Map<String, byte[]> tfrecord =
        Map.of("t.tfrecord", concat(Framing.tfRecord("one"), Framing.tfRecord("two!")));
    String csvIn = "contentType: text/csv, splitType: Line";
    String csvOut = "accept: text/csv, assembleWith: Line";
    return Stream.of(
        new Case(
            "Line, SingleRecord, Line", csv, csvIn, csvOut, "batchStrategy: SingleRecord", false),
        new Case(
            "Line, MultiRecord, Line", csv, csvIn, csvOut, "batchStrategy: MultiRecord", false),
        new Case(
            "Line, MultiRecord, None",
            csv,
            csvIn,
            "accept: text/csv, assembleWith: None",
            "batchStrategy: MultiRecord",
            false),
        new Case(
            "no final newline, SingleRecord",
            noFinalNewline,
            csvIn,
            csvOut,
            "batchStrategy: SingleRecord",
            false),
        new Case(
            "None: each object is one request", csv, "contentType: text/csv", csvOut, "", false),
        new Case(
            "Gzip, Line, MultiRecord",
            gz,
            csvIn + ", compression: Gzip",
            csvOut,
            "batchStrategy: MultiRecord",
            false),
        new Case(
            "RecordIO, SingleRecord",
            recordio,
            "contentType: application/x-recordio, splitType: RecordIO",
            "accept: application/octet-stream",
            "batchStrategy: SingleRecord",
            false),
        new Case(
            "TFRecord, MultiRecord",
            tfrecord,
            "contentType: application/x-tfrecord, splitType: TFRecord",
            "accept: application/octet-stream",
            "batchStrategy: MultiRecord",
            false),
        new Case(
            "CSV: filter, join the input, filter the joined record",
            csv,
            csvIn,
            csvOut,
            "batchStrategy: SingleRecord\n"
                + "dataProcessing: {inputFilter: '$[1:]', joinSource: Input, outputFilter:"
                + " '$[0,-1]'}",
            false),
        new Case(
            "JSON: filter, join the input",
            json,
            "contentType: application/json, splitType: Line",
            "accept: application/json, assembleWith: Line",
            "batchStrategy: SingleRecord\n"
                + "dataProcessing: {inputFilter: '$.text', joinSource: Input}",
            false),
        new Case("a manifest", csv, csvIn, csvOut, "batchStrategy: MultiRecord", true));
  }

  @BeforeAll
  static void start() throws IOException {
    model = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    model.createContext("/ping", exchange -> respond(exchange, 200, new byte[0], null));
    model.createContext("/invocations", BatchSemanticsAgreementIT::invoke);
    model.setExecutor(Executors.newFixedThreadPool(4));
    model.start();
    sim = SageMakerSimulator.builder().delays(Delays.none()).build().start();
    sim.modelContainer(
        ModelContainer.http(URI.create("http://127.0.0.1:" + model.getAddress().getPort())));
    sagemaker = SimClients.sageMaker(sim, Region.US_EAST_1);
  }

  @AfterAll
  static void stop() {
    sagemaker.close();
    sim.close();
    model.stop(0);
  }

  /**
   * The model: a deterministic answer per line for text (CSV: the line's length; JSON: {"score":
   * length}), the bytes reversed for anything else. One answer line per request line, so a
   * MultiRecord answer has one line per record, as SageMaker's joins require.
   */
  private static void invoke(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    byte[] answer;
    if (type.startsWith("text/csv") || type.startsWith("application/json")) {
      String text = new String(body, StandardCharsets.UTF_8);
      boolean newline = text.endsWith("\n");
      List<String> out = new ArrayList<>();
      for (String line : (newline ? text.substring(0, text.length() - 1) : text).split("\n", -1)) {
        out.add(
            type.startsWith("text/csv") ? "" + line.length() : "{\"score\":" + line.length() + "}");
      }
      answer = bytes(String.join("\n", out) + (newline ? "\n" : ""));
    } else {
      answer = new byte[body.length];
      for (int i = 0; i < body.length; i++) {
        answer[i] = body[body.length - 1 - i];
      }
    }
    respond(exchange, 200, answer, accept);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bothPlanesWriteTheSameBytes(Case c) throws Exception {
    String bucket = "agree-" + Integer.toHexString(c.name().hashCode() & 0xfffffff);
    sim.s3().createBucket(bucket);
    c.objects().forEach((key, bytes) -> sim.s3().put(bucket, "in/" + key, bytes));
    String input = "s3://" + bucket + "/in/";
    if (c.manifest()) {
      StringBuilder manifest = new StringBuilder("[{\"prefix\": \"" + input + "\"}");
      c.objects().keySet().forEach(k -> manifest.append(", \"").append(k).append('"'));
      sim.s3().put(bucket, "manifest.json", manifest.append(']').toString());
      input = "s3://" + bucket + "/manifest.json";
    }

    runOnSageMaker(c, spec(c, input, "s3://" + bucket + "/sagemaker/"));
    runWithTheBatcher(spec(c, input, "s3://" + bucket + "/ebb/"));

    List<String> sagemakerKeys = relative(sim.s3().keys(bucket, "sagemaker/"), "sagemaker/");
    List<String> ebbKeys = relative(sim.s3().keys(bucket, "ebb/"), "ebb/");
    assertThat(sagemakerKeys).as("SageMaker's output objects").isNotEmpty();
    assertThat(ebbKeys).as("the batcher's output objects").isEqualTo(sagemakerKeys);
    if (ANCHORS.containsKey(c.name())) {
      // Two implementations agreeing on a wrong answer would pass the comparison: a few cases
      // are also pinned to the answer AWS's documentation gives.
      assertThat(sim.s3().text("s3://" + bucket + "/ebb/a.csv.out"))
          .hasValue(ANCHORS.get(c.name()));
    }
    for (String key : sagemakerKeys) {
      byte[] expected = sim.s3().object(bucket, "sagemaker/" + key).orElseThrow();
      byte[] actual = sim.s3().object(bucket, "ebb/" + key).orElseThrow();
      assertThat(show(actual)).as(key).isEqualTo(show(expected));
    }
  }

  private static BatchTransformSpec spec(Case c, String input, String output) {
    String yaml =
        "backend: sagemaker\n"
            + "model: {image: 'scorer:1'}\n"
            + "input: {s3Uri: '%s', %s%s}\n"
                .formatted(input, c.input(), c.manifest() ? ", dataType: ManifestFile" : "")
            + "output: {s3Uri: '%s', %s}\n".formatted(output, c.output())
            + "resources: {instanceType: ml.m5.xlarge}\n"
            + c.rest();
    return Serialization.unmarshal(yaml, BatchTransformSpec.class);
  }

  private void runOnSageMaker(Case c, BatchTransformSpec spec) throws InterruptedException {
    String name = "agree-" + Integer.toHexString(c.name().hashCode() & 0xfffffff);
    sagemaker.createModel(
        r ->
            r.modelName(name)
                .primaryContainer(p -> p.image("scorer:1"))
                .executionRoleArn("arn:aws:iam::123456789012:role/SageMakerExecution"));
    sagemaker.createTransformJob(TransformJobRequests.create(name, name, spec, List.of()));
    String status = "InProgress";
    for (int i = 0; i < 100 && status.equals("InProgress"); i++) {
      sim.catchUp();
      status =
          sagemaker
              .describeTransformJob(r -> r.transformJobName(name))
              .transformJobStatusAsString();
    }
    assertThat(status)
        .as(
            "SageMaker's job: %s",
            sagemaker.describeTransformJob(r -> r.transformJobName(name)).failureReason())
        .isEqualTo("Completed");
  }

  private void runWithTheBatcher(BatchTransformSpec spec) throws IOException {
    Path job = tmp.resolve("job.json");
    BatchJob document = BatchJobDocument.of(spec, 0, null);
    BatchJob local =
        new BatchJob(
            "http://127.0.0.1:" + model.getAddress().getPort(),
            document.input(),
            document.output(),
            document.batchStrategy(),
            document.maxPayloadInMB(),
            document.maxConcurrentTransforms(),
            document.dataProcessing(),
            null,
            document.shard(),
            document.modelClientConfig(),
            30);
    Files.writeString(job, JSON.writeValueAsString(local));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        BatchCommand.run(
            new String[] {"--job", job.toString()},
            Map.of(
                ModelFetch.ENDPOINT_ENV,
                sim.endpoint().toString(),
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
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
  }

  private static List<String> relative(List<String> keys, String prefix) {
    return keys.stream().map(k -> k.substring(prefix.length())).sorted().toList();
  }

  /** Text as text, so a difference reads; anything else as hex. */
  private static String show(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.chars().allMatch(ch -> ch == '\n' || (ch >= 0x20 && ch < 0x7f))
        ? text
        : HexFormat.of().formatHex(bytes);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(bytes(s));
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
