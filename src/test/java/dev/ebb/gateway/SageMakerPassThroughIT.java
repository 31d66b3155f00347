package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.FaultRule;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * The gateway in front of SageMaker (the simulator, its CloudWatch and Application Auto Scaling
 * running in wall time): requests for a component at zero copies are held while the gateway wakes
 * it at once by ringing its policy's scale-from-zero alarm, then all succeed; throttled runtime
 * answers are retried.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SageMakerPassThroughIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("passthrough", TIMEOUT);

  SageMakerSimulator simulator;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private SageMakerRuntimeClient runtime;
  private InferenceComponent component;

  @BeforeEach
  void aComponentAtZeroCopiesWithAWakeStep() {
    simulator.autoscaling(true);
    ns.apply(
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: llm}
        spec:
          backend: sagemaker
          access: {public: true}  # these tests are about passing calls through, not access
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
          copies: 0
        ---
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: llama}
        spec:
          targetRef: {kind: InferenceComponent, name: llama}
          minCapacity: 0
          maxCapacity: 2
          scaleFromZero: {adjustment: 1, cooldownSeconds: 60}
        """);
    component = ns.awaitReady(InferenceComponent.class, "llama");
    // Scaled in to zero, as Application Auto Scaling's scale-in would leave it.
    String name = component.getStatus().inferenceComponentName();
    simulator.call(
        SimulatorResource.REGION,
        "UpdateInferenceComponentRuntimeConfig",
        new ObjectMapper()
            .createObjectNode()
            .put("InferenceComponentName", name)
            .set(
                "DesiredRuntimeConfig", new ObjectMapper().createObjectNode().put("CopyCount", 0)));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                simulator.region(SimulatorResource.REGION).component(name).currentCopyCount() == 0);
    runtime = GatewayClients.runtime(httpPort);
  }

  @AfterEach
  void tearDown() {
    simulator.autoscaling(false);
    simulator.faults().reset();
    runtime.close();
  }

  @Test
  void everyRequestSentWhileTheComponentHasNoCapacitySucceedsAfterTheWake() throws Exception {
    simulator.clearCalls();
    int n = 10;
    List<InvokeEndpointResponse> answers =
        GatewayClients.concurrently(
            n,
            id ->
                runtime.invokeEndpoint(
                    r ->
                        r.endpointName(endpointName())
                            .inferenceComponentName("llama")
                            .contentType("text/plain")
                            .body(SdkBytes.fromUtf8String("request " + id))));
    for (int i = 0; i < n; i++) {
      assertThat(answers.get(i).body().asUtf8String()).isEqualTo("request " + i);
    }

    String sageMakerName = component.getStatus().inferenceComponentName();
    assertThat(simulator.calls("InvokeEndpoint"))
        .as("SageMaker refused requests while the component had no copy")
        .anyMatch(c -> "ValidationError".equals(c.errorCode()));
    assertThat(simulator.calls("SetAlarmState"))
        .as("one wake: the policy's scale-from-zero alarm rung, without waiting for it")
        .filteredOn(Call::succeeded)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.request().path("AlarmName").asText()).endsWith("-scale-from-zero");
              assertThat(c.request().path("StateValue").asText()).isEqualTo("ALARM");
            });
    assertThat(simulator.calls("UpdateInferenceComponentRuntimeConfig"))
        .as("the gateway sets no copy count: Application Auto Scaling does")
        .isEmpty();

    // The alarm then evaluates on its own: ALARM on the refused requests, then no data once none
    // is refused. Its step falls in the cooldown: one copy, not two.
    String alarm = simulator.calls("SetAlarmState").get(0).request().path("AlarmName").asText();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                simulator.scaling(SimulatorResource.REGION).alarms().stream()
                    .filter(a -> alarm.equals(a.path("AlarmName").asText()))
                    .noneMatch(a -> "ALARM".equals(a.path("StateValue").asText())));
    assertThat(
            simulator.region(SimulatorResource.REGION).component(sageMakerName).desiredCopyCount())
        .isEqualTo(1);
    assertThat(simulator.scalingActivities(SimulatorResource.REGION))
        .filteredOn(
            a -> a.path("ResourceId").asText().equals("inference-component/" + sageMakerName))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.path("Description").asText())
                    .isEqualTo("Setting desired copy count to 1 (from 0)."));
  }

  /**
   * One wake rule on both planes: a scheduled action that holds the component at max capacity 0
   * (here its effect, RegisterScalableTarget with MaxCapacity 0, as Application Auto Scaling makes
   * it) is not undone by a request. The request is answered at once; no copy is started.
   */
  /**
   * A component header that names no component of the endpoint and is too long for a SageMaker name
   * (a Kubernetes name may be 253 characters) is refused as SageMaker would refuse it, and nothing
   * is sent to SageMaker (found by GatewayFuzzIT).
   */
  @Test
  void aComponentHeaderNoSageMakerNameCouldBeIsRefusedWithoutACall() {
    simulator.clearCalls();
    String longName = "a".repeat(64);

    assertThatThrownBy(
            () ->
                runtime.invokeEndpoint(
                    r ->
                        r.endpointName(endpointName())
                            .inferenceComponentName(longName)
                            .body(SdkBytes.fromUtf8String("x"))))
        .isInstanceOfSatisfying(
            ValidationErrorException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("inferenceComponentName", "less than or equal to 63"));
    assertThat(simulator.calls())
        .as("nothing naming it reached SageMaker")
        .noneMatch(c -> c.request().toString().contains(longName));
  }

  @Test
  void aComponentAScheduleParksAtMaxZeroIsNotWoken() {
    String name = component.getStatus().inferenceComponentName();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                !simulator.calls("RegisterScalableTarget").isEmpty()
                    && simulator.calls("PutScalingPolicy").stream().anyMatch(Call::succeeded));
    var json = new ObjectMapper();
    simulator.call(
        SimulatorResource.REGION,
        "RegisterScalableTarget",
        json.createObjectNode()
            .put("ServiceNamespace", "sagemaker")
            .put("ResourceId", "inference-component/" + name)
            .put("ScalableDimension", "sagemaker:inference-component:DesiredCopyCount")
            .put("MinCapacity", 0)
            .put("MaxCapacity", 0));
    simulator.clearCalls();

    var refused =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () ->
                runtime.invokeEndpoint(
                    r ->
                        r.endpointName(endpointName())
                            .inferenceComponentName("llama")
                            .contentType("text/plain")
                            .body(SdkBytes.fromUtf8String("parked?"))),
            software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException.class);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.awsErrorDetails().errorMessage())
        .contains("has no capacity to process this request")
        .contains("max capacity 0");
    assertThat(simulator.calls("SetAlarmState")).as("not woken").isEmpty();
    assertThat(simulator.region(SimulatorResource.REGION).component(name).desiredCopyCount())
        .isZero();
  }

  @Test
  void aResponseStreamForAComponentAtZeroCopiesIsRelayedOnceItWakes() throws Exception {
    simulator.clearCalls();
    String body = "a response streamed through the gateway from SageMaker";
    List<String> parts;
    try (var async = GatewayClients.runtimeAsync(httpPort)) {
      parts =
          GatewayClients.streamedParts(
              async,
              r ->
                  r.endpointName(endpointName())
                      .inferenceComponentName("llama")
                      .contentType("text/plain")
                      .body(SdkBytes.fromUtf8String(body)));
    }
    assertThat(String.join("", parts)).isEqualTo(body);
    assertThat(parts).as("SageMaker's frames passed on as they came").hasSizeGreaterThan(1);
    assertThat(simulator.calls("InvokeEndpointWithResponseStream"))
        .as("refused while the component had no copy, then answered")
        .anyMatch(c -> "ValidationError".equals(c.errorCode()))
        .anyMatch(Call::succeeded);
    assertThat(simulator.calls("SetAlarmState")).filteredOn(Call::succeeded).hasSize(1);
  }

  @Test
  void throttledRuntimeAnswersAreRetriedNotSurfaced() {
    // Wake it first, so the request can succeed once throttling stops.
    runtime.invokeEndpoint(
        r ->
            r.endpointName(endpointName())
                .inferenceComponentName("llama")
                .body(SdkBytes.fromUtf8String("wake")));
    simulator.clearCalls();
    simulator.faults().inject(FaultRule.on("InvokeEndpoint").times(3).answer(400, "", ""));

    InvokeEndpointResponse answer =
        runtime.invokeEndpoint(
            r ->
                r.endpointName(endpointName())
                    .inferenceComponentName("llama")
                    .body(SdkBytes.fromUtf8String("after throttling")));

    assertThat(answer.body().asUtf8String()).isEqualTo("after throttling");
    assertThat(simulator.calls("InvokeEndpoint")).hasSize(4);
  }

  private String endpointName() {
    return ns.get(InferenceEndpoint.class, "llm").getStatus().endpointName();
  }
}
