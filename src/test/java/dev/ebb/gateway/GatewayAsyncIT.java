package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointAsyncResponse;

/**
 * InvokeEndpointAsync through the gateway, with the SDK: on backend local the gateway does what
 * SageMaker does (S3 in, S3 out, SNS told), waking the component from zero; on backend sagemaker it
 * passes the request to SageMaker (the simulator), which does it.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class GatewayAsyncIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("async", TIMEOUT);

  private static final ObjectMapper JSON = new ObjectMapper();

  SageMakerSimulator simulator;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private String bucket;
  private String done;
  private String failed;
  private FakeNodeAgent agent;
  private SageMakerRuntimeClient runtime;

  @BeforeEach
  void setUp() {
    bucket = "ebb-" + ns.name();
    simulator.s3().createBucket(bucket);
    done = simulator.sns().createTopic("done-" + ns.name());
    failed = simulator.sns().createTopic("failed-" + ns.name());
    agent =
        new FakeNodeAgent(
            ns.client(), ns.name(), Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(700));
    runtime = GatewayClients.runtime(httpPort);
  }

  @AfterEach
  void tearDown() {
    ns.resources(ScalingPolicy.class).delete();
    agent.close();
    runtime.close();
  }

  @Test
  void onBackendLocalRequestsAreAcceptedAtOnceAndAnsweredInS3OnceTheComponentWakes()
      throws Exception {
    ns.apply(
        LocalManifests.cpuComponent(
                0,
                "",
                "  async: {outputPath: 's3://%s/out/', failurePath: 's3://%s/failed', notification:"
                        .formatted(bucket, bucket)
                    + " {successTopicArn: '%s', errorTopicArn: '%s'},".formatted(done, failed)
                    + " maxConcurrentInvocationsPerInstance: 2}\n"
                    + LocalManifests.PUBLIC)
            + LocalManifests.wakePolicy(1));
    LocalManifests.awaitPolicyTracked(ns);
    int n = 5;
    for (int i = 0; i < n; i++) {
      simulator.s3().put(bucket, "in/" + i + ".json", "{\"audio\": " + i + "}");
    }

    List<InvokeEndpointAsyncResponse> accepted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String input = "s3://" + bucket + "/in/" + i + ".json";
      accepted.add(
          runtime.invokeEndpointAsync(
              r ->
                  r.endpointName(SageMakerNames.forObject(ns.name(), "cpu"))
                      .inputLocation(input)
                      .contentType("application/json")));
    }
    InvokeEndpointAsyncResponse missing =
        runtime.invokeEndpointAsync(
            r ->
                r.endpointName(SageMakerNames.forObject(ns.name(), "cpu"))
                    .inputLocation("s3://" + bucket + "/in/missing.json")
                    .inferenceId("the-missing-one"));

    for (int i = 0; i < n; i++) {
      InvokeEndpointAsyncResponse a = accepted.get(i);
      assertThat(a.outputLocation())
          .isEqualTo("s3://" + bucket + "/out/" + a.inferenceId() + ".out");
      String expected = "{\"audio\": " + i + "}";
      await()
          .atMost(TIMEOUT)
          .until(() -> simulator.s3().text(a.outputLocation()).orElse(""), expected::equals);
    }
    assertThat(missing.inferenceId()).isEqualTo("the-missing-one");
    await()
        .atMost(TIMEOUT)
        .until(
            () -> simulator.s3().text("s3://" + bucket + "/failed/the-missing-one-error.out"),
            t -> t.isPresent() && t.get().contains("Reading the input failed"));

    await().atMost(TIMEOUT).until(() -> simulator.sns().published(done).size() == n);
    for (dev.ebb.simulator.Published p : simulator.sns().published(done)) {
      JsonNode event = JSON.readTree(p.message());
      assertThat(event.path("invocationStatus").asText()).isEqualTo("Completed");
      assertThat(event.at("/responseParameters/outputLocation").asText())
          .startsWith("s3://" + bucket + "/out/");
      assertThat(event.at("/requestParameters/contentType").asText()).isEqualTo("application/json");
    }
    await().atMost(TIMEOUT).until(() -> simulator.sns().published(failed).size() == 1);
    JsonNode failure = JSON.readTree(simulator.sns().published(failed).get(0).message());
    assertThat(failure.path("invocationStatus").asText()).isEqualTo("Failed");
    assertThat(failure.path("inferenceId").asText()).isEqualTo("the-missing-one");

    var activity = ns.get(ScalingPolicy.class, "tiny").getStatus().lastScalingActivity();
    assertThat(activity.trigger()).as("the queued work woke the component").isEqualTo("Demand");
  }

  @Test
  void boto3CallsInvokeEndpointAsyncWithAnApiKey() throws Exception {
    ns.resources(Secret.class)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("keys")
                .endMetadata()
                .withStringData(java.util.Map.of("boto3", "key-for-boto3"))
                .build())
        .create();
    ns.apply(
        LocalManifests.cpuComponent(
            1,
            "",
            "  async: {outputPath: 's3://%s/out/'}\n".formatted(bucket)
                + "  access: {apiKeys: {secretRef: {name: keys}}}\n"));
    simulator.s3().put(bucket, "in/boto3.json", "{\"from\": \"boto3\"}");

    Process python =
        new ProcessBuilder(
                "python3",
                "src/test/python/invoke_endpoint_async.py",
                "http://localhost:" + httpPort,
                SageMakerNames.forObject(ns.name(), "cpu"),
                "s3://" + bucket + "/in/boto3.json",
                "key-for-boto3")
            .redirectErrorStream(true)
            .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor()).as(output).isZero();
    String[] lines = output.strip().split("\n");
    JsonNode accepted = JSON.readTree(lines[lines.length - 2]);
    String outputLocation = accepted.path("outputLocation").asText();
    assertThat(outputLocation)
        .isEqualTo("s3://" + bucket + "/out/" + accepted.path("inferenceId").asText() + ".out");
    JsonNode refused = JSON.readTree(lines[lines.length - 1]);
    assertThat(refused.path("error").asText()).isEqualTo("MissingAuthenticationTokenException");
    assertThat(refused.path("status").asInt()).isEqualTo(401);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> simulator.s3().text(outputLocation).orElse(""), "{\"from\": \"boto3\"}"::equals);
  }

  @Test
  void onBackendLocalAnEndpointWithoutAsyncRefusesAsyncRequests() {
    ns.apply(LocalManifests.cpuComponent(0));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                            runtime.invokeEndpointAsync(
                                r ->
                                    r.endpointName(SageMakerNames.forObject(ns.name(), "cpu"))
                                        .inputLocation("s3://" + bucket + "/in/0.json")))
                    .hasMessageContaining("is not an asynchronous endpoint"));
  }

  @Test
  void onBackendSageMakerRequestsArePassedToSageMaker() {
    ns.apply(
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: whisper}
        spec:
          backend: sagemaker
          access: {public: true}  # this test is about async, not access
          variants:
          - name: AllTraffic
            instanceType: ml.g5.xlarge
            initialInstanceCount: 1
            model: {image: 'whisper-async:1'}
          async:
            outputPath: 's3://%s/sm-out/'
            notification: {successTopicArn: '%s'}
        """
            .formatted(bucket, done));
    InferenceEndpoint endpoint = ns.awaitReady(InferenceEndpoint.class, "whisper");
    simulator.s3().put(bucket, "in/speech.wav", "pretend audio");

    InvokeEndpointAsyncResponse accepted =
        runtime.invokeEndpointAsync(
            r ->
                r.endpointName(endpoint.getStatus().endpointName())
                    .inputLocation("s3://" + bucket + "/in/speech.wav")
                    .contentType("audio/wav"));

    assertThat(accepted.outputLocation()).startsWith("s3://" + bucket + "/sm-out/");
    assertThat(simulator.calls("InvokeEndpointAsync")).anyMatch(c -> c.succeeded());
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              simulator.drainAsync();
              return simulator.s3().text(accepted.outputLocation()).orElse("");
            },
            "pretend audio"::equals);
    assertThat(simulator.sns().published(done)).hasSize(1);
  }
}
