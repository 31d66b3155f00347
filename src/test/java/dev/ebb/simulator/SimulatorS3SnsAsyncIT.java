package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointAsyncResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * S3, SNS and InvokeEndpointAsync on the simulator, driven only through the real SDK clients: the
 * pieces an asynchronous-inference gateway test needs.
 */
class SimulatorS3SnsAsyncIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
  private static final String IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/echo:1";

  private final ManualClock clock = new ManualClock();
  private final SageMakerSimulator sim =
      SageMakerSimulator.builder().clock(clock).delays(Delays.none()).build().start();
  private final S3Client s3 = SimClients.s3(sim, Region.US_EAST_1);
  private final SnsClient sns = SimClients.sns(sim, Region.US_EAST_1);
  private final SageMakerClient sageMaker = SimClients.sageMaker(sim, Region.US_EAST_1);
  private final SageMakerRuntimeClient runtime = SimClients.runtime(sim, Region.US_EAST_1);

  @AfterEach
  void stop() {
    s3.close();
    sns.close();
    sageMaker.close();
    runtime.close();
    sim.close();
  }

  // --- S3 ---

  @Test
  void objectsRoundTripThroughS3ClientWithItsDefaultChecksums() {
    s3.createBucket(b -> b.bucket("data"));
    String key = "in/a b+c/ü.json";
    s3.putObject(
        b -> b.bucket("data").key(key).contentType("application/json").metadata(Map.of("run", "7")),
        RequestBody.fromString("{\"inputs\":\"hi\"}"));

    // The SDK's default (WHEN_SUPPORTED) sent the body aws-chunked with a CRC32 trailer.
    Call put = sim.calls("s3:PutObject").get(0);
    assertThat(put.request().path("ContentEncoding").asText()).contains("aws-chunked");
    assertThat(sim.s3().text("s3://data/" + key)).contains("{\"inputs\":\"hi\"}");

    var got =
        s3.getObjectAsBytes(b -> b.bucket("data").key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(got.asUtf8String()).isEqualTo("{\"inputs\":\"hi\"}");
    GetObjectResponse meta = got.response();
    assertThat(meta.contentType()).isEqualTo("application/json");
    assertThat(meta.metadata()).containsEntry("run", "7");
    assertThat(meta.checksumCRC32()).isNotNull(); // and the SDK verified it

    HeadObjectResponse head = s3.headObject(b -> b.bucket("data").key(key));
    assertThat(head.contentLength()).isEqualTo(15L);
    assertThat(head.eTag()).isEqualTo(meta.eTag());

    s3.deleteObject(b -> b.bucket("data").key(key));
    assertThat(sim.s3().object("data", key)).isEmpty();
    assertThat(sim.calls())
        .extracting(Call::operation)
        .containsExactly(
            "s3:CreateBucket", "s3:PutObject", "s3:GetObject", "s3:HeadObject", "s3:DeleteObject");
  }

  @Test
  void plainUploadsWhenChecksumsAreOnlyWhenRequired() {
    try (S3Client plain =
        SimClients.s3(sim, Region.US_EAST_1, RequestChecksumCalculation.WHEN_REQUIRED)) {
      sim.s3().createBucket("data");
      byte[] bytes = new byte[70_000];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (i * 31);
      }
      plain.putObject(b -> b.bucket("data").key("blob"), RequestBody.fromBytes(bytes));
      assertThat(sim.s3().object("data", "blob"))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes));
      assertThat(plain.getObjectAsBytes(b -> b.bucket("data").key("blob")).asByteArray())
          .isEqualTo(bytes);
      // A large body through the default client too: several aws-chunked chunks.
      s3.putObject(b -> b.bucket("data").key("blob2"), RequestBody.fromBytes(bytes));
      assertThat(sim.s3().object("data", "blob2"))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes));
    }
  }

  @Test
  void missingBucketsAndKeysAnswerAsS3Does() {
    NoSuchBucketException noBucket =
        catchThrowableOfType(
            () -> s3.putObject(b -> b.bucket("nope").key("k"), RequestBody.fromString("x")),
            NoSuchBucketException.class);
    assertThat(noBucket.statusCode()).isEqualTo(404);
    assertThat(noBucket.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket");

    sim.s3().createBucket("data");
    NoSuchKeyException noKey =
        catchThrowableOfType(
            () -> s3.getObjectAsBytes(b -> b.bucket("data").key("missing")),
            NoSuchKeyException.class);
    assertThat(noKey.statusCode()).isEqualTo(404);
    assertThat(noKey.awsErrorDetails().errorMessage())
        .isEqualTo("The specified key does not exist.");

    // HEAD answers carry no body; the SDK still maps the 404.
    S3Exception headMissing =
        catchThrowableOfType(
            () -> s3.headObject(b -> b.bucket("data").key("missing")), S3Exception.class);
    assertThat(headMissing.statusCode()).isEqualTo(404);

    S3Exception twice =
        catchThrowableOfType(() -> s3.createBucket(b -> b.bucket("data")), S3Exception.class);
    assertThat(twice.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou");
    assertThat(sim.calls("s3:GetObject").get(0).errorCode()).isEqualTo("NoSuchKey");
  }

  @Test
  void listObjectsV2ByPrefixDelimiterAndPages() {
    sim.s3().createBucket("data");
    for (String key : List.of("a/1", "a/2", "a/3", "b/1", "b/sub/1", "c")) {
      sim.s3().put("data", key, key);
    }
    assertThat(s3.listObjectsV2(b -> b.bucket("data").prefix("a/")).contents())
        .extracting(S3Object::key)
        .containsExactly("a/1", "a/2", "a/3");

    var rolled = s3.listObjectsV2(b -> b.bucket("data").delimiter("/"));
    assertThat(rolled.contents()).extracting(S3Object::key).containsExactly("c");
    assertThat(rolled.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("a/", "b/");

    List<String> paged =
        s3.listObjectsV2Paginator(b -> b.bucket("data").maxKeys(2)).contents().stream()
            .map(S3Object::key)
            .toList();
    assertThat(paged).containsExactly("a/1", "a/2", "a/3", "b/1", "b/sub/1", "c");
    assertThat(sim.calls("s3:ListObjectsV2")).hasSize(5); // 2 lists, then 3 pages of 2
    assertThat(s3.listObjectsV2(b -> b.bucket("data").prefix("a/")).contents().get(0).size())
        .isEqualTo(3L);
  }

  @Test
  void presignedUrlsReachS3ByTheirQueryCredentialScope() throws Exception {
    sim.s3().createBucket("data").put("data", "out/k.txt", "presigned");
    try (S3Presigner presigner = SimClients.s3Presigner(sim, Region.US_EAST_1)) {
      URI url =
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("data").key("out/k.txt")))
              .url()
              .toURI();
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("presigned");
    }
    assertThat(sim.calls("s3:GetObject")).hasSize(1);
  }

  @Test
  void faultsApplyToS3CallsByName() {
    sim.s3().createBucket("data");
    sim.faults().inject(FaultRule.internalFailure("s3:GetObject", 1));
    sim.s3().put("data", "k", "v");
    // The SDK retries the 500 by itself; the log shows both attempts.
    assertThat(s3.getObjectAsBytes(b -> b.bucket("data").key("k")).asUtf8String()).isEqualTo("v");
    assertThat(sim.calls("s3:GetObject")).extracting(Call::status).containsExactly(500, 200);
  }

  // --- SNS ---

  @Test
  void topicsAndPublishedMessages() {
    String arn = sns.createTopic(b -> b.name("results")).topicArn();
    assertThat(arn).isEqualTo("arn:aws:sns:us-east-1:123456789012:results");
    assertThat(sns.createTopic(b -> b.name("results")).topicArn()).isEqualTo(arn);

    String id =
        sns.publish(
                b ->
                    b.topicArn(arn)
                        .subject("done")
                        .message("{\"ok\":true}")
                        .messageAttributes(
                            Map.of(
                                "kind",
                                MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue("inference")
                                    .build())))
            .messageId();
    sns.publish(b -> b.topicArn(arn).message("second"));

    List<Published> published = sim.sns().published(arn);
    assertThat(published).extracting(Published::message).containsExactly("{\"ok\":true}", "second");
    assertThat(published.get(0).messageId()).isEqualTo(id);
    assertThat(published.get(0).subject()).isEqualTo("done");
    assertThat(published.get(0).attributes()).containsEntry("kind", "inference");
    assertThat(published.get(0).time()).isEqualTo(clock.instant());
    assertThat(sim.calls("sns:Publish")).hasSize(2);

    NotFoundException missing =
        catchThrowableOfType(
            () ->
                sns.publish(
                    b -> b.topicArn("arn:aws:sns:us-east-1:123456789012:nope").message("x")),
            NotFoundException.class);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("NotFound");
    assertThat(sim.sns().createTopic("other"))
        .isEqualTo("arn:aws:sns:us-east-1:123456789012:other");
  }

  // --- InvokeEndpointAsync ---

  /** An async endpoint "echo" with output, failure path and both topics; returns the topics. */
  private String[] asyncEndpoint(boolean withFailurePath) {
    sim.s3().createBucket("async-out");
    String success = sim.sns().createTopic("async-success");
    String error = sim.sns().createTopic("async-error");
    sageMaker.createModel(
        b -> b.modelName("echo").executionRoleArn(ROLE).primaryContainer(c -> c.image(IMAGE)));
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("echo-async")
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName("AllTraffic")
                        .modelName("echo")
                        .instanceType(ProductionVariantInstanceType.ML_M5_XLARGE)
                        .initialInstanceCount(1)
                        .build())
                .asyncInferenceConfig(
                    a ->
                        a.outputConfig(
                            o -> {
                              o.s3OutputPath("s3://async-out/results/")
                                  .notificationConfig(
                                      n -> n.successTopic(success).errorTopic(error));
                              if (withFailurePath) {
                                o.s3FailurePath("s3://async-out/failures");
                              }
                            })));
    sageMaker.createEndpoint(b -> b.endpointName("echo").endpointConfigName("echo-async"));
    clock.advance(Duration.ofSeconds(1));
    return new String[] {success, error};
  }

  private static JsonNode json(String text) {
    return SimFixture.json(text);
  }

  @Test
  void asyncInvocationWritesTheEchoToS3AndNotifiesTheSuccessTopic() {
    String[] topics = asyncEndpoint(true);
    s3.createBucket(b -> b.bucket("async-in"));
    s3.putObject(
        b -> b.bucket("async-in").key("req/1.json"), RequestBody.fromString("{\"prompt\":\"hi\"}"));

    InvokeEndpointAsyncResponse accepted =
        runtime.invokeEndpointAsync(
            b ->
                b.endpointName("echo")
                    .inputLocation("s3://async-in/req/1.json")
                    .contentType("application/json")
                    .customAttributes("trace=1")
                    .requestTTLSeconds(600));
    String id = accepted.inferenceId();
    assertThat(accepted.outputLocation()).isEqualTo("s3://async-out/results/" + id + ".out");
    assertThat(accepted.failureLocation())
        .isEqualTo("s3://async-out/failures/" + id + "-error.out");
    assertThat(sim.calls("InvokeEndpointAsync").get(0).status()).isEqualTo(200);

    // The work runs on the next observation: here, the test's S3 read.
    var output = s3.getObjectAsBytes(b -> b.bucket("async-out").key("results/" + id + ".out"));
    assertThat(output.asUtf8String()).isEqualTo("{\"prompt\":\"hi\"}");
    assertThat(output.response().contentType()).isEqualTo("application/json");
    assertThat(sim.drainAsync()).isZero();

    List<Published> notes = sim.sns().published(topics[0]);
    assertThat(notes).hasSize(1);
    JsonNode note = json(notes.get(0).message());
    assertThat(note.path("invocationStatus").asText()).isEqualTo("Completed");
    assertThat(note.path("inferenceId").asText()).isEqualTo(id);
    assertThat(note.path("requestParameters").path("endpointName").asText()).isEqualTo("echo");
    assertThat(note.path("requestParameters").path("inputLocation").asText())
        .isEqualTo("s3://async-in/req/1.json");
    assertThat(note.path("responseParameters").path("outputLocation").asText())
        .isEqualTo(accepted.outputLocation());
    assertThat(note.path("responseParameters").path("contentType").asText())
        .isEqualTo("application/json");
    assertThat(sim.sns().published(topics[1])).isEmpty();
  }

  @Test
  void aMissingInputFailsToTheFailurePathAndTheErrorTopic() {
    String[] topics = asyncEndpoint(true);
    InvokeEndpointAsyncResponse accepted =
        runtime.invokeEndpointAsync(
            b ->
                b.endpointName("echo")
                    .inputLocation("s3://async-out/absent.json")
                    .inferenceId("my-id-1"));
    assertThat(accepted.inferenceId()).isEqualTo("my-id-1");

    assertThat(sim.drainAsync()).isZero();
    assertThat(sim.s3().object(accepted.outputLocation())).isEmpty();
    assertThat(sim.s3().text("s3://async-out/failures/my-id-1-error.out"))
        .hasValueSatisfying(reason -> assertThat(reason).contains("does not exist"));
    JsonNode note = json(sim.sns().published(topics[1]).get(0).message());
    assertThat(note.path("invocationStatus").asText()).isEqualTo("Failed");
    assertThat(note.path("failureReason").asText()).contains("s3://async-out/absent.json");
    assertThat(note.path("inferenceId").asText()).isEqualTo("my-id-1");
    assertThat(sim.sns().published(topics[0])).isEmpty();
  }

  @Test
  void anEndpointScaledToZeroHoldsTheWorkAsBacklogUntilAnInstanceArrives() {
    asyncEndpoint(false);
    sim.s3().createBucket("async-in").put("async-in", "x", "payload");
    scale(0);
    InvokeEndpointAsyncResponse accepted =
        runtime.invokeEndpointAsync(b -> b.endpointName("echo").inputLocation("s3://async-in/x"));
    assertThat(accepted.failureLocation()).isNull();

    assertThat(sim.drainAsync()).isEqualTo(1);
    Snapshot.Endpoint held = sim.region("us-east-1").endpoint("echo");
    assertThat(held.asyncBacklog()).isEqualTo(1);
    assertThat(held.hasBacklogWithoutCapacity()).isTrue();
    assertThat(sim.s3().object(accepted.outputLocation())).isEmpty();

    scale(1);
    assertThat(sim.drainAsync()).isZero();
    assertThat(sim.s3().text(accepted.outputLocation())).contains("payload");
    assertThat(sim.region("us-east-1").endpoint("echo").hasBacklogWithoutCapacity()).isFalse();
  }

  @Test
  void heldWorkFailsOnceItsRequestTtlRunsOut() {
    String[] topics = asyncEndpoint(false);
    sim.s3().createBucket("async-in").put("async-in", "x", "payload");
    scale(0);
    runtime.invokeEndpointAsync(
        b -> b.endpointName("echo").inputLocation("s3://async-in/x").requestTTLSeconds(60));
    clock.advance(Duration.ofSeconds(61));
    assertThat(sim.drainAsync()).isZero();
    JsonNode note = json(sim.sns().published(topics[1]).get(0).message());
    assertThat(note.path("failureReason").asText()).contains("RequestTTLSeconds");
  }

  private void scale(int instances) {
    sageMaker.updateEndpointWeightsAndCapacities(
        b ->
            b.endpointName("echo")
                .desiredWeightsAndCapacities(
                    DesiredWeightAndCapacity.builder()
                        .variantName("AllTraffic")
                        .desiredInstanceCount(instances)
                        .build()));
    clock.advance(Duration.ofSeconds(1));
  }

  @Test
  void asyncInvocationIsRefusedForRealTimeEndpointsAndBadRequests() {
    asyncEndpoint(false);
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("rt")
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName("AllTraffic")
                        .modelName("echo")
                        .instanceType(ProductionVariantInstanceType.ML_M5_XLARGE)
                        .initialInstanceCount(1)
                        .build()));
    sageMaker.createEndpoint(b -> b.endpointName("rt").endpointConfigName("rt"));
    clock.advance(Duration.ofSeconds(1));

    ValidationErrorException realTime =
        catchThrowableOfType(
            () -> runtime.invokeEndpointAsync(b -> b.endpointName("rt").inputLocation("s3://a/b")),
            ValidationErrorException.class);
    assertThat(realTime.awsErrorDetails().errorMessage()).contains("AsyncInferenceConfig");

    ValidationErrorException noInput =
        catchThrowableOfType(
            () -> runtime.invokeEndpointAsync(b -> b.endpointName("echo")),
            ValidationErrorException.class);
    assertThat(noInput.awsErrorDetails().errorMessage())
        .contains("Value null at 'inputLocation' failed to satisfy constraint");

    ValidationErrorException ttl =
        catchThrowableOfType(
            () ->
                runtime.invokeEndpointAsync(
                    b -> b.endpointName("echo").inputLocation("s3://a/b").requestTTLSeconds(5)),
            ValidationErrorException.class);
    assertThat(ttl.awsErrorDetails().errorMessage()).contains("requestTTLSeconds");
    // The model refused both on purpose; the test takes them so that close() does not fail.
    assertThat(sim.modelViolations().drain()).hasSize(2);

    // Faults apply to the runtime call by its name (the SDK retries, so every attempt fails).
    sim.faults()
        .inject(
            FaultRule.on("InvokeEndpointAsync")
                .always()
                .answer(503, "ServiceUnavailable", "Try later"));
    SageMakerRuntimeException unavailable =
        catchThrowableOfType(
            () ->
                runtime.invokeEndpointAsync(b -> b.endpointName("echo").inputLocation("s3://a/b")),
            SageMakerRuntimeException.class);
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(sim.calls("InvokeEndpointAsync"))
        .extracting(Call::errorCode)
        .contains("ValidationError", "ServiceUnavailable");
  }

  @Test
  void stateSeededDirectlyIsWhatClientsSee() {
    sim.s3()
        .createBucket("seed")
        .put("s3://seed/dir/file.bin", "abc".getBytes(StandardCharsets.UTF_8));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("seed").key("dir/file.bin")).asUtf8String())
        .isEqualTo("abc");
    assertThat(sim.s3().keys("seed", "dir/")).containsExactly("dir/file.bin");
    sim.reset();
    assertThat(sim.s3().bucketExists("seed")).isFalse();
  }
}
