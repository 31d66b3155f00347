package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.ReadyPods;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * The gateway end to end: SageMaker Runtime clients, with only the endpoint URL changed, invoke
 * local components through Ebb; the fake node agent runs the copies; the autoscaling loop wakes
 * components from zero.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class GatewayIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("gateway", TIMEOUT);

  @Inject MeterRegistry registry;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private FakeNodeAgent agent;
  private SageMakerRuntimeClient runtime;

  @BeforeEach
  void setUp() {
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
  void concurrentRequestsAtZeroCopiesAllSucceedOnceTheComponentWakes() throws Exception {
    ns.apply(LocalManifests.cpuComponent(0) + LocalManifests.wakePolicy(2));
    LocalManifests.awaitPolicyTracked(ns);

    // The SDK's first call in a JVM loads and initialises much; that is the client's time, not
    // Ebb's.
    assertThatThrownBy(
            () ->
                runtime.invokeEndpoint(
                    r -> r.endpointName("warm-up").body(SdkBytes.fromUtf8String("x"))))
        .isInstanceOf(ValidationErrorException.class);

    int n = 20;
    Instant first = Instant.now();
    List<String> accessLog = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = accessLogCapture(accessLog);
    java.util.logging.Logger.getLogger("dev.ebb.gateway.access").addHandler(capture);
    List<InvokeEndpointResponse> answers;
    try {
      answers =
          GatewayClients.concurrently(
              n,
              id ->
                  runtime.invokeEndpoint(
                      r ->
                          r.endpointName(endpointName())
                              .inferenceComponentName("tiny")
                              .contentType("application/json")
                              .body(SdkBytes.fromUtf8String("{\"request\": " + id + "}"))));
    } finally {
      java.util.logging.Logger.getLogger("dev.ebb.gateway.access").removeHandler(capture);
    }
    for (int i = 0; i < n; i++) {
      InvokeEndpointResponse response = answers.get(i);
      assertThat(response.body().asUtf8String()).isEqualTo("{\"request\": " + i + "}");
      assertThat(response.contentType()).isEqualTo("application/json");
      assertThat(response.invokedProductionVariant()).isEqualTo("AllTraffic");
    }
    var activity = ns.get(ScalingPolicy.class, "tiny").getStatus().lastScalingActivity();
    assertThat(activity.trigger()).isEqualTo("Demand");
    long toScaleCommand = Duration.between(first, Instant.parse(activity.time())).toMillis();
    var ebbsOwn = registry.find("ebb.local.wake.command").tag("namespace", ns.name()).timer();
    assertThat(ebbsOwn.count()).as("one wake").isEqualTo(1);
    // The access log says when each arrived and how long it waited, and what-if replays it.
    await().atMost(TIMEOUT).until(() -> accessLog.size() >= n);
    assertThat(accessLog)
        .hasSize(n)
        .allSatisfy(
            line ->
                assertThat(line).contains("namespace=" + ns.name() + " component=tiny outcome=200"))
        .anySatisfy(line -> assertThat(line).containsPattern("waited_ms=[1-9]"));
    var trace =
        dev.ebb.whatif.Trace.read(
            "access log",
            new java.io.StringReader(String.join("\n", accessLog)),
            Duration.ofSeconds(1),
            ns.name() + "/tiny");
    assertThat(trace.requests()).hasSize(n);
    assertThat(trace.start()).isBetween(first.minusSeconds(1), Instant.parse(activity.time()));
    System.out.printf(
        "[ebb-tests] %d requests at zero copies: all succeeded; scale command accepted %d ms after"
            + " the first request was sent, %.1f ms after the gateway held it%n",
        n, toScaleCommand, ebbsOwn.totalTime(TimeUnit.MICROSECONDS) / 1000.0);
  }

  /** Collects the gateway's access-log lines as they are logged. */
  private static java.util.logging.Handler accessLogCapture(List<String> lines) {
    return new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        lines.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Test
  void theSdkSeesSageMakersHeadersAndErrors() {
    ns.apply(LocalManifests.cpuComponent(1));
    LocalManifests.awaitReadyCopies(ns, 1);

    InvokeEndpointResponse echoed =
        runtime.invokeEndpoint(
            r ->
                r.endpointName(endpointName())
                    .contentType("text/csv")
                    .accept("text/csv")
                    .customAttributes("trace=1")
                    .body(SdkBytes.fromUtf8String("1,2,3")));
    assertThat(echoed.body().asUtf8String()).isEqualTo("1,2,3");
    assertThat(echoed.contentType()).isEqualTo("text/csv");
    assertThat(echoed.customAttributes()).isEqualTo("trace=1");
    assertThat(echoed.invokedProductionVariant()).isEqualTo("AllTraffic");

    assertThatThrownBy(
            () ->
                runtime.invokeEndpoint(
                    r ->
                        r.endpointName(endpointName())
                            .customAttributes("fail")
                            .body(SdkBytes.fromUtf8String("x"))))
        .isInstanceOf(ModelErrorException.class)
        .satisfies(e -> assertThat(((ModelErrorException) e).originalStatusCode()).isEqualTo(500))
        .satisfies(
            e ->
                assertThat(((ModelErrorException) e).originalMessage())
                    .isEqualTo("the model failed on purpose"));
    assertThatThrownBy(
            () ->
                runtime.invokeEndpoint(
                    r -> r.endpointName("no-such-endpoint").body(SdkBytes.fromUtf8String("x"))))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageContaining("Endpoint no-such-endpoint not found");
    assertThatThrownBy(
            () ->
                runtime.invokeEndpoint(
                    r ->
                        r.endpointName(endpointName())
                            .inferenceComponentName("other")
                            .body(SdkBytes.fromUtf8String("x"))))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageContaining("Inference Component other not found");
  }

  @Test
  void boto3WorksUnchangedButForTheEndpointUrlIncludingResponseStreams() throws Exception {
    ns.apply(LocalManifests.cpuComponent(1));
    LocalManifests.awaitReadyCopies(ns, 1);

    Process python =
        new ProcessBuilder(
                "python3",
                "src/test/python/invoke_endpoint.py",
                "http://localhost:" + httpPort,
                endpointName(),
                "tiny",
                "{\"inputs\": \"hello\"}")
            .redirectErrorStream(true)
            .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor()).as(output).isZero();

    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    String[] lines = output.strip().split("\n");
    var answer = json.readTree(lines[lines.length - 3]);
    assertThat(answer.get("body").asText()).isEqualTo("{\"inputs\": \"hello\"}");
    assertThat(answer.get("contentType").asText()).isEqualTo("application/json");
    assertThat(answer.get("variant").asText()).isEqualTo("AllTraffic");
    assertThat(answer.get("customAttributes").asText()).isEqualTo("client=boto3");
    var failed = json.readTree(lines[lines.length - 2]);
    assertThat(failed.get("error").asText()).isEqualTo("ModelError");
    assertThat(failed.get("originalStatusCode").asInt()).isEqualTo(500);
    var streamed = json.readTree(lines[lines.length - 1]);
    assertThat(streamed.get("streamed").asText()).isEqualTo("{\"inputs\": \"hello\"}");
    assertThat(streamed.get("parts").asInt()).as("chunks relayed as they came").isGreaterThan(1);
    assertThat(streamed.get("contentType").asText()).isEqualTo("text/plain");
    assertThat(streamed.get("variant").asText()).isEqualTo("AllTraffic");
  }

  @Test
  void overflowIsAnsweredWith429AndADeadlineWith504() throws Exception {
    // No policy: nothing wakes the component, so held requests wait out their deadline.
    ns.apply(
        LocalManifests.cpuComponent(
            0, "gateway: {maxQueuedRequests: 2, coldStartTimeoutSeconds: 2}"));
    await().atMost(TIMEOUT).until(() -> ns.get(Deployment.class, "tiny") != null);

    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(
          http.sendAsync(
              invocation("x".getBytes(StandardCharsets.UTF_8)),
              HttpResponse.BodyHandlers.ofString()));
    }
    // The third finds both places taken (wait until the first two are held).
    HttpResponse<String> overflow =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    http.send(
                        invocation("x".getBytes(StandardCharsets.UTF_8)),
                        HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() == 429);
    assertThat(overflow.headers().firstValue("Retry-After")).isPresent();
    assertThat(overflow.headers().firstValue("x-amzn-ErrorType"))
        .contains("ModelNotReadyException");

    for (var request : held) {
      HttpResponse<String> timedOut = request.get();
      assertThat(timedOut.statusCode()).isEqualTo(504);
      assertThat(timedOut.body()).contains("became ready within 2 s");
    }
  }

  @Test
  void requestsHeldForAComponentThatIsDeletedAreAnsweredAtOnce() throws Exception {
    ns.apply(LocalManifests.cpuComponent(0, "gateway: {coldStartTimeoutSeconds: 600}"));
    await().atMost(TIMEOUT).until(() -> ns.get(Deployment.class, "tiny") != null);
    var held =
        HttpClient.newHttpClient()
            .sendAsync(
                invocation("x".getBytes(StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                registry.find("ebb.gateway.held.requests").tag("namespace", ns.name()).gauge()
                        != null
                    && registry
                            .find("ebb.gateway.held.requests")
                            .tag("namespace", ns.name())
                            .gauge()
                            .value()
                        == 1);

    ns.resources(dev.ebb.api.v1alpha1.InferenceComponent.class).withName("tiny").delete();

    HttpResponse<String> answer = held.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("tiny was deleted");
  }

  /**
   * One wake rule on both planes: a component whose ScalingPolicy has no scaleFromZero is not woken
   * by a request at zero copies (as on SageMaker); the request is answered at once, with
   * SageMaker's no-capacity error and Ebb's reason, instead of waiting out its hold time.
   */
  @Test
  void aComponentWhosePolicyCannotWakeItIsAnsweredAtOnce() throws Exception {
    ns.apply(
        LocalManifests.cpuComponent(0, "gateway: {coldStartTimeoutSeconds: 600}")
            + """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: tiny}
            spec:
              targetRef: {kind: InferenceComponent, name: tiny}
              minCapacity: 0
              maxCapacity: 2
              targetTracking: [{metric: ConcurrentRequestsPerCopy, targetValue: 4}]
            """);
    LocalManifests.awaitPolicyTracked(ns);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> ns.get(dev.ebb.api.v1alpha1.InferenceComponent.class, "tiny"),
            c ->
                c.getStatus() != null
                    && c.getStatus().copies() != null
                    && Integer.valueOf(0).equals(c.getStatus().copies().desired()));

    long sent = System.nanoTime();
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                invocation("x".getBytes(StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("ValidationError")
        .contains("has no capacity to process this request")
        .contains("has no scaleFromZero");
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .as("answered, not held for the 600 s hold time")
        .isLessThan(Duration.ofSeconds(30));
    assertThat(ns.get(Deployment.class, "tiny").getSpec().getReplicas()).as("not woken").isZero();
  }

  @Test
  void aBodyOverSixMegabytesIsRefusedBeforeItReachesAModel() throws Exception {
    ns.apply(LocalManifests.cpuComponent(1));
    HttpResponse<String> tooLarge =
        HttpClient.newHttpClient()
            .send(invocation(new byte[6 * 1024 * 1024 + 1]), HttpResponse.BodyHandlers.ofString());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("ValidationError");
  }

  @Test
  void variantWeightsSplitTrafficAndAWeightChangeAppliesToTheNextRequest() throws Exception {
    String variants =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: cpu}
        spec:
          backend: local
          access: {public: true}
          variants: [{name: A, weight: %s}, {name: B, weight: 1}]
        ---
        """;
    String components =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: model-a}
        spec:
          endpointRef: {name: cpu}
          variant: A
          model: {image: 'ghcr.io/example/tiny-model-server:1'}
          resources: {memoryMb: 512}
        ---
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: model-b}
        spec:
          endpointRef: {name: cpu}
          variant: B
          model: {image: 'ghcr.io/example/tiny-model-server:1'}
          resources: {memoryMb: 512}
        """;
    ns.apply(variants.formatted("3") + components);
    ReadyPods.await(ns, 2);

    HttpClient http = HttpClient.newHttpClient();
    int n = 400;
    int toA = 0;
    for (int i = 0; i < n; i++) {
      if ("A"
          .equals(
              variantOf(
                  http.send(invocation(new byte[] {1}), HttpResponse.BodyHandlers.discarding())))) {
        toA++;
      }
    }
    // 3:1 → 300 of 400 expected; ±50 is more than five standard deviations.
    assertThat(toA).isBetween(250, 350);

    ns.apply(variants.formatted("0"));
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              for (int i = 0; i < 20; i++) {
                if (!"B"
                    .equals(
                        variantOf(
                            http.send(
                                invocation(new byte[] {1}),
                                HttpResponse.BodyHandlers.discarding())))) {
                  return false;
                }
              }
              return true;
            });
    // A target variant is served even at weight 0, as SageMaker does.
    var targeted =
        http.send(
            HttpRequest.newBuilder(invocation(new byte[] {1}), (name, value) -> true)
                .header("X-Amzn-SageMaker-Target-Variant", "A")
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(variantOf(targeted)).isEqualTo("A");
  }

  private static String variantOf(HttpResponse<?> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return response.headers().firstValue("x-Amzn-Invoked-Production-Variant").orElse("");
  }

  // --- helpers -----------------------------------------------------------------------------

  private String endpointName() {
    return SageMakerNames.forObject(ns.name(), "cpu");
  }

  private HttpRequest invocation(byte[] body) {
    return HttpRequest.newBuilder(
            URI.create(
                "http://localhost:" + httpPort + "/endpoints/" + endpointName() + "/invocations"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}
