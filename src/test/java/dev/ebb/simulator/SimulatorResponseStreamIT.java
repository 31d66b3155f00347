package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.sagemakerruntime.model.PayloadPart;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * InvokeEndpointWithResponseStream: read by the SDK's own async client (its event-stream decoder,
 * over {@link JavaNetAsyncHttpClient}), and frame by frame with AWS's event-stream codec after a
 * SigV4-signed raw request.
 */
class SimulatorResponseStreamIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
  private static final String IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/echo:1";
  private static final String BODY = "{\"inputs\":\"stream me, token by token\"}";

  private final ManualClock clock = new ManualClock();
  private final SageMakerSimulator sim =
      SageMakerSimulator.builder().clock(clock).delays(Delays.none()).build().start();
  private final SageMakerClient sageMaker = SimClients.sageMaker(sim, Region.US_EAST_1);
  private final SageMakerRuntimeAsyncClient runtime =
      SimClients.runtimeAsync(sim, Region.US_EAST_1);

  @AfterEach
  void stop() {
    sageMaker.close();
    runtime.close();
    sim.close();
  }

  /** A real-time endpoint "echo" with one model variant "AllTraffic". */
  private void echoEndpoint() {
    sageMaker.createModel(
        b -> b.modelName("echo").executionRoleArn(ROLE).primaryContainer(c -> c.image(IMAGE)));
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("echo")
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName("AllTraffic")
                        .modelName("echo")
                        .instanceType(ProductionVariantInstanceType.ML_M5_XLARGE)
                        .initialInstanceCount(1)
                        .build()));
    sageMaker.createEndpoint(b -> b.endpointName("echo").endpointConfigName("echo"));
    clock.advance(Duration.ofSeconds(1));
  }

  private record Streamed(InvokeEndpointWithResponseStreamResponse response, List<String> parts) {}

  private Streamed stream(Consumer<InvokeEndpointWithResponseStreamRequest.Builder> request)
      throws Exception {
    List<String> parts = new CopyOnWriteArrayList<>();
    InvokeEndpointWithResponseStreamResponse[] response = {null};
    InvokeEndpointWithResponseStreamResponseHandler handler =
        InvokeEndpointWithResponseStreamResponseHandler.builder()
            .onResponse(r -> response[0] = r)
            .subscriber(
                InvokeEndpointWithResponseStreamResponseHandler.Visitor.builder()
                    .onPayloadPart((PayloadPart p) -> parts.add(p.bytes().asUtf8String()))
                    .build())
            .build();
    runtime.invokeEndpointWithResponseStream(request, handler).get(30, TimeUnit.SECONDS);
    return new Streamed(response[0], parts);
  }

  @Test
  void theSdkReadsTheEchoAsThreePayloadParts() throws Exception {
    echoEndpoint();
    Streamed streamed =
        stream(
            b ->
                b.endpointName("echo")
                    .contentType("application/json")
                    .customAttributes("trace=1")
                    .body(SdkBytes.fromUtf8String(BODY)));

    assertThat(streamed.parts()).hasSize(3);
    assertThat(String.join("", streamed.parts())).isEqualTo(BODY);
    assertThat(streamed.response().invokedProductionVariant()).isEqualTo("AllTraffic");
    assertThat(streamed.response().contentType()).isEqualTo("application/json");
    assertThat(streamed.response().customAttributes()).isEqualTo("trace=1");
    Call call = sim.calls("InvokeEndpointWithResponseStream").get(0);
    assertThat(call.succeeded()).isTrue();
    assertThat(call.request().path("Body").asText()).isEqualTo(BODY);
  }

  @Test
  void eachFrameIsAPayloadPartEventWithTheRawBytes() throws Exception {
    echoEndpoint();
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> answer = signedPost("/endpoints/echo/invocations-response-stream", body);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type"))
        .contains("application/vnd.amazon.eventstream");
    assertThat(answer.headers().firstValue("x-Amzn-Invoked-Production-Variant"))
        .contains("AllTraffic");
    List<Message> messages = new ArrayList<>();
    new MessageDecoder(messages::add).feed(answer.body()); // checks both CRCs of every frame
    assertThat(messages).hasSize(3);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (Message m : messages) {
      assertThat(m.getHeaders().get(":event-type").getString()).isEqualTo("PayloadPart");
      assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("event");
      assertThat(m.getHeaders().get(":content-type").getString())
          .isEqualTo("application/octet-stream");
      joined.writeBytes(m.getPayload());
    }
    assertThat(joined.toByteArray()).isEqualTo(body);
  }

  /** POSTs to the simulator signed as the SDK would (SigV4, service sagemaker, us-east-1). */
  private HttpResponse<byte[]> signedPost(String path, byte[] body) throws Exception {
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create(sim.endpoint() + path))
            .putHeader("Content-Type", "application/json")
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create("test", "test"))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
            .request();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed.forEachHeader(
        (name, values) -> {
          if (!name.toLowerCase(Locale.ROOT).equals("host")) {
            values.forEach(v -> request.header(name, v));
          }
        });
    assertThat(signed.firstMatchingHeader("Authorization"))
        .get()
        .asString()
        .contains("/sagemaker/aws4_request");
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aComponentWithNoCopiesHasNoCapacityAsForInvokeEndpoint() throws Exception {
    sageMaker.createModel(
        b -> b.modelName("llm").executionRoleArn(ROLE).primaryContainer(c -> c.image(IMAGE)));
    sageMaker.createEndpointConfig(
        b ->
            b.endpointConfigName("llm")
                .executionRoleArn(ROLE)
                .productionVariants(
                    ProductionVariant.builder()
                        .variantName("AllTraffic")
                        .instanceType(ProductionVariantInstanceType.ML_G5_2_XLARGE)
                        .initialInstanceCount(1)
                        .managedInstanceScaling(
                            m -> m.status("ENABLED").minInstanceCount(0).maxInstanceCount(2))
                        .routingConfig(r -> r.routingStrategy("LEAST_OUTSTANDING_REQUESTS"))
                        .build()));
    sageMaker.createEndpoint(b -> b.endpointName("llm").endpointConfigName("llm"));
    clock.advance(Duration.ofSeconds(1));
    sageMaker.createInferenceComponent(
        b ->
            b.inferenceComponentName("llm-ic")
                .endpointName("llm")
                .variantName("AllTraffic")
                .specification(
                    s ->
                        s.modelName("llm")
                            .computeResourceRequirements(
                                r ->
                                    r.minMemoryRequiredInMb(1024)
                                        .numberOfAcceleratorDevicesRequired(1f)))
                .runtimeConfig(r -> r.copyCount(1)));
    clock.advance(Duration.ofSeconds(1));

    Streamed ok =
        stream(
            b ->
                b.endpointName("llm")
                    .inferenceComponentName("llm-ic")
                    .body(SdkBytes.fromUtf8String("hi")));
    assertThat(String.join("", ok.parts())).isEqualTo("hi");
    assertThat(ok.parts()).hasSize(2); // a 2-byte answer makes 2 parts of 1 byte

    sageMaker.updateInferenceComponentRuntimeConfig(
        b -> b.inferenceComponentName("llm-ic").desiredRuntimeConfig(r -> r.copyCount(0)));
    clock.advance(Duration.ofSeconds(1));
    Throwable failed =
        catchThrowable(
            () ->
                stream(
                    b ->
                        b.endpointName("llm")
                            .inferenceComponentName("llm-ic")
                            .body(SdkBytes.fromUtf8String("hi"))));
    Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
    cause = cause instanceof CompletionException ? cause.getCause() : cause;
    assertThat(cause).isInstanceOf(ValidationErrorException.class);
    assertThat(cause.getMessage()).startsWith("Inference Component has no capacity");
    assertThat(sim.region("us-east-1").component("llm-ic").noCapacityFailures()).isEqualTo(1);

    // Without the component header, such an endpoint refuses the call as InvokeEndpoint does.
    Throwable noHeader =
        catchThrowable(
            () -> stream(b -> b.endpointName("llm").body(SdkBytes.fromUtf8String("hi"))));
    assertThat(noHeader).hasRootCauseInstanceOf(ValidationErrorException.class);
  }

  @Test
  void faultsApplyToTheStreamingCall() throws Exception {
    echoEndpoint();
    sim.faults().inject(FaultRule.internalFailure("InvokeEndpointWithResponseStream", 1));
    Streamed retried = stream(b -> b.endpointName("echo").body(SdkBytes.fromUtf8String(BODY)));
    assertThat(String.join("", retried.parts())).isEqualTo(BODY);
    assertThat(sim.calls("InvokeEndpointWithResponseStream"))
        .extracting(Call::status)
        .containsExactly(500, 200);
  }
}
