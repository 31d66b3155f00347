package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.ebb.simulator.model.ModelViolations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AssemblyType;
import software.amazon.awssdk.services.sagemaker.model.BatchStrategy;
import software.amazon.awssdk.services.sagemaker.model.CreateTransformJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeTransformJobResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.SplitType;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.TransformInstanceType;
import software.amazon.awssdk.services.sagemaker.model.TransformJobStatus;

/**
 * Batch transform on the simulator through the real SDK clients: S3 inputs seeded with S3Client, a
 * model and a job created with SageMakerClient, the clock advanced until the job ends, the {@code
 * .out} objects read back; a stop, a reused name, and requests AWS's model refuses. One test runs
 * the transform against a model server over HTTP, as a real node's container would be reached.
 */
class SimulatorTransformJobIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
  private static final String IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/echo:1";

  private final ManualClock clock = new ManualClock();
  private final SageMakerSimulator sim =
      SageMakerSimulator.builder().clock(clock).delays(Delays.defaults()).build().start();
  private final S3Client s3 = SimClients.s3(sim, Region.US_EAST_1);
  private final SageMakerClient sageMaker = SimClients.sageMaker(sim, Region.US_EAST_1);
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    s3.close();
    sageMaker.close();
    sim.close();
  }

  private void seed() {
    s3.createBucket(b -> b.bucket("data"));
    s3.putObject(
        b -> b.bucket("data").key("batch/in/part-1.csv"), RequestBody.fromString("1,2\n3,4\n"));
    s3.putObject(b -> b.bucket("data").key("batch/in/part-2.csv"), RequestBody.fromString("5,6\n"));
    sageMaker.createModel(
        b -> b.modelName("echo").executionRoleArn(ROLE).primaryContainer(c -> c.image(IMAGE)));
  }

  private CreateTransformJobRequest.Builder job(String name) {
    return CreateTransformJobRequest.builder()
        .transformJobName(name)
        .modelName("echo")
        .batchStrategy(BatchStrategy.MULTI_RECORD)
        .maxPayloadInMB(1)
        .transformInput(
            i ->
                i.contentType("text/csv")
                    .splitType(SplitType.LINE)
                    .dataSource(
                        d ->
                            d.s3DataSource(
                                s ->
                                    s.s3DataType(S3DataType.S3_PREFIX)
                                        .s3Uri("s3://data/batch/in/"))))
        .transformOutput(
            o ->
                o.s3OutputPath("s3://data/batch/out/")
                    .accept("text/csv")
                    .assembleWith(AssemblyType.LINE))
        .transformResources(
            r -> r.instanceType(TransformInstanceType.ML_M5_LARGE).instanceCount(1));
  }

  private DescribeTransformJobResponse describe(String name) {
    return sageMaker.describeTransformJob(b -> b.transformJobName(name));
  }

  /** Advances the simulated clock a second at a time until the job has ended. */
  private DescribeTransformJobResponse awaitEnd(String name) {
    for (int i = 0; i < 600; i++) {
      DescribeTransformJobResponse d = describe(name);
      TransformJobStatus s = d.transformJobStatus();
      if (s == TransformJobStatus.COMPLETED
          || s == TransformJobStatus.FAILED
          || s == TransformJobStatus.STOPPED) {
        return d;
      }
      clock.advance(Duration.ofSeconds(1));
    }
    throw new AssertionError("transform job " + name + " did not end");
  }

  private String read(String key) {
    return s3.getObjectAsBytes(b -> b.bucket("data").key(key)).asUtf8String();
  }

  @Test
  void runsToCompletedAndWritesTheOutObjects() {
    seed();
    String arn =
        sageMaker
            .createTransformJob(
                job("nightly-1").tags(Tag.builder().key("team").value("ml").build()).build())
            .transformJobArn();
    assertThat(arn).isEqualTo("arn:aws:sagemaker:us-east-1:123456789012:transform-job/nightly-1");
    assertThat(describe("nightly-1").transformJobStatus())
        .isEqualTo(TransformJobStatus.IN_PROGRESS);

    DescribeTransformJobResponse done = awaitEnd("nightly-1");
    assertThat(done.transformJobStatus()).isEqualTo(TransformJobStatus.COMPLETED);
    assertThat(done.modelName()).isEqualTo("echo");
    assertThat(done.batchStrategy()).isEqualTo(BatchStrategy.MULTI_RECORD);
    assertThat(done.transformInput().splitType()).isEqualTo(SplitType.LINE);
    assertThat(done.transformStartTime()).isEqualTo(done.creationTime());
    assertThat(done.transformEndTime()).isAfter(done.transformStartTime());

    // One MultiRecord mini-batch per object, echoed, plus AssembleWith Line's newline.
    assertThat(read("batch/out/part-1.csv.out")).isEqualTo("1,2\n3,4\n\n");
    assertThat(read("batch/out/part-2.csv.out")).isEqualTo("5,6\n\n");
    assertThat(sim.s3().keys("data", "batch/out/"))
        .containsExactly("batch/out/part-1.csv.out", "batch/out/part-2.csv.out");
    assertThat(sim.calls(BatchTransform.INVOCATIONS)).hasSize(2);

    assertThat(sageMaker.listTags(b -> b.resourceArn(arn)).tags())
        .extracting(Tag::key)
        .containsExactly("team");
    assertThat(
            sageMaker
                .listTransformJobs(b -> b.statusEquals(TransformJobStatus.COMPLETED))
                .transformJobSummaries())
        .extracting(s -> s.transformJobName())
        .containsExactly("nightly-1");
  }

  @Test
  void aStopWhileInProgressEndsStopped() {
    seed();
    sageMaker.createTransformJob(job("to-stop").build());
    sageMaker.stopTransformJob(b -> b.transformJobName("to-stop"));
    assertThat(describe("to-stop").transformJobStatus()).isEqualTo(TransformJobStatus.STOPPING);
    assertThat(awaitEnd("to-stop").transformJobStatus()).isEqualTo(TransformJobStatus.STOPPED);
    assertThat(sim.s3().keys("data", "batch/out/")).isEmpty();

    SageMakerException again =
        catchThrowableOfType(
            () -> sageMaker.stopTransformJob(b -> b.transformJobName("to-stop")),
            SageMakerException.class);
    assertThat(again.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(again.awsErrorDetails().errorMessage())
        .isEqualTo("The request was rejected because the transform job is in status Stopped");
  }

  @Test
  void aNameCannotBeUsedTwice() {
    seed();
    sageMaker.createTransformJob(job("once").build());
    awaitEnd("once");
    ResourceInUseException taken =
        catchThrowableOfType(
            () -> sageMaker.createTransformJob(job("once").build()), ResourceInUseException.class);
    assertThat(taken.awsErrorDetails().errorMessage())
        .contains("a transform job with this name already exists");
  }

  @Test
  void theContractRefusesMalformedRequests() {
    seed();
    SageMakerException badName =
        catchThrowableOfType(
            () -> sageMaker.createTransformJob(job("bad_name").build()), SageMakerException.class);
    assertThat(badName.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(badName.awsErrorDetails().errorMessage())
        .contains("'transformJobName' failed to satisfy constraint");

    SageMakerException negative =
        catchThrowableOfType(
            () -> sageMaker.createTransformJob(job("neg").maxPayloadInMB(-1).build()),
            SageMakerException.class);
    assertThat(negative.awsErrorDetails().errorMessage()).contains("maxPayloadInMB");

    SageMakerException noOutput =
        catchThrowableOfType(
            () ->
                sageMaker.createTransformJob(
                    job("no-output")
                        .transformOutput(
                            (software.amazon.awssdk.services.sagemaker.model.TransformOutput) null)
                        .build()),
            SageMakerException.class);
    assertThat(noOutput.awsErrorDetails().errorMessage()).contains("transformOutput");

    List<ModelViolations.Violation> taken = sim.modelViolations().drain();
    assertThat(taken).hasSize(3).allMatch(v -> v.side() == ModelViolations.Side.REQUEST);
  }

  @Test
  void aModelServerOverHttpDoesTheTransform() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/ping",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.createContext(
        "/execution-parameters",
        ex -> {
          byte[] body =
              "{\"MaxConcurrentTransforms\": 2, \"BatchStrategy\": \"SINGLE_RECORD\",\"MaxPayloadInMB\": 1}"
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/invocations",
        ex -> {
          String in = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          byte[] body = in.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    sim.modelContainer(
        ModelContainer.http(URI.create("http://127.0.0.1:" + server.getAddress().getPort())));

    s3.createBucket(b -> b.bucket("data"));
    s3.putObject(b -> b.bucket("data").key("words/w.txt"), RequestBody.fromString("ab\ncd\n"));
    sageMaker.createModel(
        b -> b.modelName("echo").executionRoleArn(ROLE).primaryContainer(c -> c.image(IMAGE)));
    sageMaker.createTransformJob(
        b ->
            b.transformJobName("upper")
                .modelName("echo")
                .transformInput(
                    i ->
                        i.contentType("text/plain")
                            .splitType(SplitType.LINE)
                            .dataSource(
                                d ->
                                    d.s3DataSource(
                                        s ->
                                            s.s3DataType(S3DataType.S3_PREFIX)
                                                .s3Uri("s3://data/words"))))
                .transformOutput(
                    o -> o.s3OutputPath("s3://data/upper").assembleWith(AssemblyType.LINE))
                .transformResources(
                    r -> r.instanceType(TransformInstanceType.ML_M5_LARGE).instanceCount(1)));
    assertThat(awaitEnd("upper").transformJobStatus()).isEqualTo(TransformJobStatus.COMPLETED);
    // SINGLE_RECORD from execution-parameters: one request per line.
    assertThat(read("upper/words/w.txt.out")).isEqualTo("AB\nCD\n");
    assertThat(sim.calls(BatchTransform.INVOCATIONS)).hasSize(2);
    assertThat(sim.calls(BatchTransform.EXECUTION_PARAMETERS)).hasSize(1);
  }
}
