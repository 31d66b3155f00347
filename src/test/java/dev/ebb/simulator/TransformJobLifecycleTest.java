package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch transform jobs stepped with a manual clock (default delays: a run takes 2 s, a stop 1 s),
 * their rules, and what the run stores in S3.
 */
class TransformJobLifecycleTest {
  private final SimFixture f = new SimFixture();

  @BeforeEach
  void modelAndBuckets() {
    f.model("m");
    f.sim.s3().createBucket("data");
  }

  /** A CreateTransformJob request; {@code extra} is spliced in as more top-level members. */
  private static String job(String name, String input, String extra) {
    return """
        {"TransformJobName": "%s", "ModelName": "m",
         "TransformInput": {"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                                            "S3Uri": "%s"}}%s},
         "TransformOutput": {"S3OutputPath": "s3://data/out"%s},
         "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1}%s}
        """
        .formatted(name, input, inputExtra(extra), outputExtra(extra), topExtra(extra));
  }

  // extra is "input|output|top" (any part may be empty)
  private static String inputExtra(String extra) {
    String p = extra.split("\\|", -1)[0];
    return p.isEmpty() ? "" : ", " + p;
  }

  private static String outputExtra(String extra) {
    String p = extra.split("\\|", -1)[1];
    return p.isEmpty() ? "" : ", " + p;
  }

  private static String topExtra(String extra) {
    String p = extra.split("\\|", -1)[2];
    return p.isEmpty() ? "" : ", " + p;
  }

  /** Moves the clock and lets what is due happen, as the next call would. */
  private void run(Duration by) {
    f.advance(by);
    f.sim.catchUp();
  }

  private ObjectNode describe(String name) {
    return f.call("DescribeTransformJob", "{\"TransformJobName\": \"" + name + "\"}");
  }

  private String status(String name) {
    return describe(name).get("TransformJobStatus").asText();
  }

  private String out(String key) {
    return f.sim.s3().text("s3://data/" + key).orElse(null);
  }

  @Test
  void runsInProgressToCompletedAndStoresOneOutPerInputObject() {
    f.sim.s3().put("data", "in/a.csv", "1,2\n3,4\n").put("data", "in/sub/b.csv", "5,6\n");
    ObjectNode created =
        f.call(
            "CreateTransformJob",
            job(
                "Job-1",
                "s3://data/in/",
                "\"ContentType\": \"text/csv\", \"SplitType\": \"Line\""
                    + "|\"AssembleWith\": \"Line\", \"Accept\": \"text/csv\""
                    + "|\"BatchStrategy\": \"SingleRecord\", \"Tags\": [{\"Key\": \"team\","
                    + " \"Value\": \"ml\"}]"));
    // AWS lower-cases the name in the ARN.
    assertThat(created.get("TransformJobArn").asText())
        .isEqualTo("arn:aws:sagemaker:us-east-1:123456789012:transform-job/job-1");

    ObjectNode running = describe("Job-1");
    assertThat(running.get("TransformJobStatus").asText()).isEqualTo("InProgress");
    assertThat(running.get("ModelName").asText()).isEqualTo("m");
    assertThat(running.get("BatchStrategy").asText()).isEqualTo("SingleRecord");
    assertThat(running.at("/TransformInput/SplitType").asText()).isEqualTo("Line");
    assertThat(running.at("/TransformOutput/AssembleWith").asText()).isEqualTo("Line");
    assertThat(running.at("/TransformResources/InstanceType").asText()).isEqualTo("ml.m5.large");
    assertThat(running.has("Tags")).isFalse();
    assertThat(running.has("TransformEndTime")).isFalse();
    assertThat(out("out/a.csv.out")).isNull();

    f.advance(Duration.ofMillis(1999));
    assertThat(status("Job-1")).isEqualTo("InProgress");
    f.advance(Duration.ofMillis(1));
    ObjectNode done = describe("Job-1");
    assertThat(done.get("TransformJobStatus").asText()).isEqualTo("Completed");
    assertThat(Json.instant(done.get("TransformEndTime")))
        .isEqualTo(Json.instant(done.get("CreationTime")).plusSeconds(2));
    assertThat(Json.instant(done.get("TransformStartTime")))
        .isEqualTo(Json.instant(done.get("CreationTime")));

    // The echo container answers each record; AssembleWith Line ends each result with a newline.
    assertThat(out("out/a.csv.out")).isEqualTo("1,2\n3,4\n");
    assertThat(out("out/sub/b.csv.out")).isEqualTo("5,6\n");
    assertThat(f.sim.s3().contentType("data", "out/a.csv.out")).contains("text/csv");
    List<Call> invocations = f.sim.calls(BatchTransform.INVOCATIONS);
    assertThat(invocations)
        .extracting(c -> c.request().get("Body").asText())
        .containsExactly("1,2", "3,4", "5,6");
    assertThat(f.sim.region("us-east-1").transformJob("Job-1").invocations()).isEqualTo(3);
    assertThat(f.sim.region("us-east-1").transformJob("Job-1").tags()).containsEntry("team", "ml");
  }

  @Test
  void multiRecordBatchesAreAssembledOneNewlinePerAnswer() {
    f.sim.s3().put("data", "in/a.txt", "a\nb\nc\n");
    f.call(
        "CreateTransformJob",
        job(
            "j",
            "s3://data/in/",
            "\"SplitType\": \"Line\"|\"AssembleWith\": \"Line\"|\"BatchStrategy\": \"MultiRecord\""));
    run(Duration.ofSeconds(2));
    // One mini-batch "a\nb\nc\n", echoed, then the newline AssembleWith Line adds to it.
    assertThat(f.sim.calls(BatchTransform.INVOCATIONS)).hasSize(1);
    assertThat(out("out/a.txt.out")).isEqualTo("a\nb\nc\n\n");
  }

  @Test
  void noneAssemblyConcatenatesAnswersAsReturned() {
    f.sim.s3().put("data", "in/a.txt", "a\nb\n");
    f.call(
        "CreateTransformJob",
        job("j", "s3://data/in/a", "\"SplitType\": \"Line\"||\"BatchStrategy\": \"SingleRecord\""));
    run(Duration.ofSeconds(2));
    assertThat(out("out/a.txt.out")).isEqualTo("ab");
  }

  @Test
  void gzipInputsAreDecompressed() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write("x\ny\n".getBytes(StandardCharsets.UTF_8));
    }
    f.sim.s3().put("data", "in/a.gz", gz.toByteArray());
    f.call(
        "CreateTransformJob",
        job("j", "s3://data/in/", "\"CompressionType\": \"Gzip\", \"SplitType\": \"Line\"||"));
    run(Duration.ofSeconds(2));
    assertThat(status("j")).isEqualTo("Completed");
    assertThat(out("out/a.gz.out")).isEqualTo("x\ny\n");
  }

  @Test
  void aManifestListsTheObjectsRelativeToItsPrefix() {
    f.sim.s3().put("data", "raw/p/one.json", "{\"a\":1}").put("data", "raw/p/two.json", "[2]");
    f.sim.s3().put("data", "list.manifest", "[{\"prefix\": \"s3://data/raw/p/\"}, \"two.json\"]");
    f.call(
        "CreateTransformJob",
        job("j", "s3://data/list.manifest", "||").replace("\"S3Prefix\"", "\"ManifestFile\""));
    run(Duration.ofSeconds(2));
    assertThat(out("out/two.json.out")).isEqualTo("[2]");
    assertThat(out("out/one.json.out")).isNull();
  }

  @Test
  void dataProcessingJoinsAndFiltersCsvRecords() {
    f.sim.s3().put("data", "in/rows.csv", "id1,0.5,0.7\nid2,0.1,0.2\n");
    // The model sees the features; the output keeps the id and the prediction.
    f.sim.modelContainer(
        ModelContainer.of(
            r -> {
              String[] x = new String(r.body(), StandardCharsets.UTF_8).split(",");
              double sum = Double.parseDouble(x[0]) + Double.parseDouble(x[1]);
              return ModelContainer.Response.ok(
                  String.valueOf(sum).getBytes(StandardCharsets.UTF_8), "text/csv");
            }));
    f.call(
        "CreateTransformJob",
        job(
            "j",
            "s3://data/in/",
            "\"ContentType\": \"text/csv\", \"SplitType\": \"Line\""
                + "|\"Accept\": \"text/csv\", \"AssembleWith\": \"Line\""
                + "|\"BatchStrategy\": \"SingleRecord\", \"DataProcessing\": {\"InputFilter\":"
                + " \"$[1:]\", \"JoinSource\": \"Input\", \"OutputFilter\": \"$[0,-1]\"}"));
    run(Duration.ofSeconds(2));
    assertThat(status("j")).isEqualTo("Completed");
    assertThat(out("out/rows.csv.out")).isEqualTo("id1,1.2\nid2,0.30000000000000004\n");
  }

  @Test
  void aStopWhileInProgressEndsStoppedWithNoOutput() {
    f.sim.s3().put("data", "in/a.txt", "a");
    f.call("CreateTransformJob", job("j", "s3://data/in/", "||"));
    f.advance(Duration.ofSeconds(1));
    f.call("StopTransformJob", "{\"TransformJobName\": \"j\"}");
    assertThat(status("j")).isEqualTo("Stopping");
    f.call("StopTransformJob", "{\"TransformJobName\": \"j\"}"); // again while stopping: accepted
    f.advance(Duration.ofSeconds(1));
    ObjectNode stopped = describe("j");
    assertThat(stopped.get("TransformJobStatus").asText()).isEqualTo("Stopped");
    assertThat(Json.instant(stopped.get("TransformEndTime")))
        .isEqualTo(Json.instant(stopped.get("CreationTime")).plusSeconds(2));
    f.advance(Duration.ofSeconds(5));
    assertThat(out("out/a.txt.out")).isNull();
    assertThat(f.sim.calls(BatchTransform.INVOCATIONS)).isEmpty();
  }

  @Test
  void aStopOfAnEndedOrUnknownJobIsRefused() {
    f.sim.s3().put("data", "in/a.txt", "a");
    f.call("CreateTransformJob", job("j", "s3://data/in/", "||"));
    run(Duration.ofSeconds(2));
    AwsError ended = f.error("StopTransformJob", "{\"TransformJobName\": \"j\"}");
    assertThat(ended.code()).isEqualTo("ValidationException");
    assertThat(ended.getMessage())
        .isEqualTo("The request was rejected because the transform job is in status Completed");

    AwsError unknown = f.error("StopTransformJob", "{\"TransformJobName\": \"nope\"}");
    assertThat(unknown.code()).isEqualTo("ValidationException");
    assertThat(unknown.getMessage()).isEqualTo("Could not find job to update with name nope");
    AwsError describe = f.error("DescribeTransformJob", "{\"TransformJobName\": \"nope\"}");
    assertThat(describe.getMessage()).isEqualTo("Could not find requested job with name nope");
  }

  @Test
  void aNameIsTakenForeverEvenAfterTheJobEnded() {
    f.sim.s3().put("data", "in/a.txt", "a");
    f.call("CreateTransformJob", job("Same", "s3://data/in/", "||"));
    f.advance(Duration.ofMinutes(10));
    assertThat(status("Same")).isEqualTo("Completed");
    AwsError again = f.error("CreateTransformJob", job("same", "s3://data/in/", "||"));
    assertThat(again.code()).isEqualTo("ResourceInUse");
    assertThat(again.getMessage())
        .isEqualTo(
            "Transform job names must be unique within an AWS account and region, and a transform"
                + " job with this name already exists"
                + " (arn:aws:sagemaker:us-east-1:123456789012:transform-job/same)");
  }

  @Test
  void createRulesTheModelCannotExpress() {
    AwsError noModel =
        f.error("CreateTransformJob", job("j", "s3://data/in/", "||").replace("\"m\"", "\"x\""));
    assertThat(noModel.getMessage())
        .isEqualTo("Could not find model \"arn:aws:sagemaker:us-east-1:123456789012:model/x\".");

    AwsError big =
        f.error("CreateTransformJob", job("j", "s3://data/in/", "||\"MaxPayloadInMB\": 101"));
    assertThat(big.getMessage()).contains("cannot be greater than 100 MB");

    AwsError product =
        f.error(
            "CreateTransformJob",
            job("j", "s3://data/in/", "||\"MaxPayloadInMB\": 10, \"MaxConcurrentTransforms\": 11"));
    assertThat(product.getMessage()).contains("(11 * 10) cannot exceed 100 MB");
    f.call(
        "CreateTransformJob",
        job("ok", "s3://data/in/", "||\"MaxPayloadInMB\": 10, \"MaxConcurrentTransforms\": 10"));

    AwsError strategy =
        f.error(
            "CreateTransformJob",
            job("j", "s3://data/in/", "||\"BatchStrategy\": \"MultiRecord\""));
    assertThat(strategy.getMessage()).contains("needs TransformInput.SplitType Line");

    AwsError augmented =
        f.error(
            "CreateTransformJob",
            job("j", "s3://data/in/", "||").replace("\"S3Prefix\"", "\"AugmentedManifestFile\""));
    assertThat(augmented.getMessage()).contains("AugmentedManifestFile is not compatible");

    // The model refuses what it can express: MaxPayloadInMB -1, an unknown SplitType.
    AwsError negative =
        f.error("CreateTransformJob", job("j", "s3://data/in/", "||\"MaxPayloadInMB\": -1"));
    assertThat(negative.getMessage()).contains("maxPayloadInMB");
  }

  @Test
  void aContainerErrorFailsTheJobAfterItsRetriesAndOtherObjectsStillComplete() {
    f.sim.s3().put("data", "in/bad.txt", "boom").put("data", "in/good.txt", "fine");
    f.sim.modelContainer(
        ModelContainer.of(
            r ->
                new String(r.body(), StandardCharsets.UTF_8).equals("boom")
                    ? new ModelContainer.Response(
                        500, "model exploded".getBytes(StandardCharsets.UTF_8), "text/plain")
                    : ModelContainer.Response.ok(r.body(), "text/plain")));
    f.call(
        "CreateTransformJob",
        job("j", "s3://data/in/", "||\"ModelClientConfig\": {\"InvocationsMaxRetries\": 1}"));
    run(Duration.ofSeconds(2));
    ObjectNode failed = describe("j");
    assertThat(failed.get("TransformJobStatus").asText()).isEqualTo("Failed");
    assertThat(failed.get("FailureReason").asText())
        .startsWith("ClientError: A mini-batch of 1 record(s) of s3://data/in/bad.txt failed")
        .contains("after 2 attempt(s): the model container answered 500: model exploded");
    assertThat(out("out/bad.txt.out")).isNull();
    assertThat(out("out/good.txt.out")).isEqualTo("fine");
    assertThat(f.sim.calls(BatchTransform.INVOCATIONS))
        .extracting(Call::status)
        .containsExactly(500, 500, 200);
  }

  @Test
  void aRecordLargerThanMaxPayloadFailsTheJob() {
    f.sim.s3().put("data", "in/big.bin", new byte[1024 * 1024 + 1]);
    f.call("CreateTransformJob", job("j", "s3://data/in/", "||\"MaxPayloadInMB\": 1"));
    run(Duration.ofSeconds(2));
    assertThat(describe("j").get("FailureReason").asText())
        .isEqualTo(
            "ClientError: In s3://data/in/big.bin, a record of 1048577 bytes exceeds"
                + " MaxPayloadInMB (1 MB).");
  }

  @Test
  void whatTheSimulatorDoesNotDoFailsTheJobSayingSo() {
    f.sim.s3().put("data", "in/a.txt", "a");
    f.call(
        "CreateTransformJob",
        job(
            "j",
            "s3://data/in/",
            "||\"DataCaptureConfig\": {\"DestinationS3Uri\": \"s3://data/capture\"}"));
    run(Duration.ofSeconds(2));
    assertThat(describe("j").get("FailureReason").asText())
        .isEqualTo("The simulator does not support DataCaptureConfig (batch data capture).");
  }

  @Test
  void noInputObjectsFailTheJob() {
    f.call("CreateTransformJob", job("j", "s3://data/empty/", "||"));
    run(Duration.ofSeconds(2));
    assertThat(describe("j").get("FailureReason").asText())
        .startsWith("ClientError: No S3 objects found under S3 URL \"s3://data/empty/\"");
  }

  @Test
  void executionParametersFillOnlyWhatTheRequestLeftUnset() {
    f.sim.s3().put("data", "in/a.txt", "a\nb\nc\n");
    AtomicInteger calls = new AtomicInteger();
    f.sim.modelContainer(
        "m",
        ModelContainer.of(
            r -> {
              calls.incrementAndGet();
              assertThat(r.environment()).containsEntry("SAGEMAKER_BATCH", "true");
              return ModelContainer.Response.ok(r.body(), "text/plain");
            },
            new ModelContainer.ExecutionParameters(4, "SINGLE_RECORD", 1)));
    // No BatchStrategy: the container's SINGLE_RECORD applies.
    f.call("CreateTransformJob", job("j1", "s3://data/in/", "\"SplitType\": \"Line\"||"));
    run(Duration.ofSeconds(2));
    assertThat(calls.get()).isEqualTo(3);
    assertThat(f.sim.calls(BatchTransform.EXECUTION_PARAMETERS)).hasSize(1);

    // All three set: execution-parameters is not asked.
    f.call(
        "CreateTransformJob",
        job(
            "j2",
            "s3://data/in/",
            "\"SplitType\": \"Line\"||\"BatchStrategy\": \"MultiRecord\", \"MaxPayloadInMB\": 6,"
                + " \"MaxConcurrentTransforms\": 2"));
    run(Duration.ofSeconds(2));
    assertThat(calls.get()).isEqualTo(4);
    assertThat(f.sim.calls(BatchTransform.EXECUTION_PARAMETERS)).hasSize(1);
  }

  @Test
  void anInjectedFailureAndPingFailures() {
    f.sim.s3().put("data", "in/a.txt", "a");
    f.sim.failNextCreate("CreateTransformJob", "AlgorithmError: See job logs for more information");
    f.call("CreateTransformJob", job("j1", "s3://data/in/", "||"));
    f.sim.faults().inject(FaultRule.internalFailure(BatchTransform.PING, 1));
    f.call("CreateTransformJob", job("j2", "s3://data/in/", "||"));
    run(Duration.ofSeconds(2));
    assertThat(describe("j1").get("FailureReason").asText())
        .isEqualTo("AlgorithmError: See job logs for more information");
    assertThat(describe("j2").get("FailureReason").asText())
        .isEqualTo("AlgorithmError: Model container failed to respond to ping");
  }

  @Test
  void listsFiltersAndTagsJobsByArn() {
    f.sim.s3().put("data", "in/a.txt", "a");
    f.call("CreateTransformJob", job("first", "s3://data/in/", "||"));
    f.advance(Duration.ofSeconds(3));
    f.call("CreateTransformJob", job("second", "s3://data/in/", "||"));

    ObjectNode all = f.call("ListTransformJobs", "{}");
    assertThat(all.get("TransformJobSummaries"))
        .extracting(n -> n.get("TransformJobName").asText())
        .containsExactly("second", "first");
    ObjectNode done = f.call("ListTransformJobs", "{\"StatusEquals\": \"Completed\"}");
    assertThat(done.get("TransformJobSummaries")).hasSize(1);
    assertThat(done.at("/TransformJobSummaries/0/TransformEndTime").isNumber()).isTrue();

    String arn = "arn:aws:sagemaker:us-east-1:123456789012:transform-job/first";
    f.call(
        "AddTags",
        "{\"ResourceArn\": \"" + arn + "\", \"Tags\": [{\"Key\": \"k\", \"Value\": \"v\"}]}");
    assertThat(f.call("ListTags", "{\"ResourceArn\": \"" + arn + "\"}").at("/Tags/0/Key").asText())
        .isEqualTo("k");
    f.call("DeleteTags", "{\"ResourceArn\": \"" + arn + "\", \"TagKeys\": [\"k\"]}");
    assertThat(f.call("ListTags", "{\"ResourceArn\": \"" + arn + "\"}").get("Tags")).isEmpty();
  }

  @Test
  void recordIoAndTfRecordInputsAreSplitByTheirFraming() {
    byte[] rio =
        TransformRecords.recordIo(
            List.of("r1".getBytes(StandardCharsets.UTF_8), "r2".getBytes(StandardCharsets.UTF_8)));
    byte[] tfr =
        TransformRecords.tfRecords(
            List.of("t1".getBytes(StandardCharsets.UTF_8), "t2".getBytes(StandardCharsets.UTF_8)));
    f.sim.s3().put("data", "rio/a.rec", rio).put("data", "tfr/a.tfrecord", tfr);
    f.call(
        "CreateTransformJob",
        job(
            "j1",
            "s3://data/rio/",
            "\"SplitType\": \"RecordIO\"|\"AssembleWith\": \"Line\"|"
                + "\"BatchStrategy\": \"SingleRecord\""));
    f.call(
        "CreateTransformJob",
        job(
            "j2",
            "s3://data/tfr/",
            "\"SplitType\": \"TFRecord\"||\"BatchStrategy\": \"MultiRecord\""));
    run(Duration.ofSeconds(2));
    assertThat(out("out/a.rec.out")).isEqualTo("r1\nr2\n");
    // MultiRecord sends the framed records as they stand.
    assertThat(f.sim.s3().object("data", "out/a.tfrecord.out")).contains(tfr);
  }
}
