package dev.ebb.reconciler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.SimClients;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.LlmSampleOnSageMaker;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatedTime;
import dev.ebb.testing.SimulatorClock;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The LLM sample ({@code config/samples/llm-scale-to-zero.yaml}) on SageMaker goes from one copy to
 * zero, from zero to one and back to zero with nobody touching the copy count: only the recipe Ebb
 * compiled, executed by the simulator's CloudWatch and Application Auto Scaling (from AWS's
 * documented behaviour, not from Ebb's engine). Requests go straight to SageMaker Runtime, without
 * the gateway: at zero copies they fail, as AWS documents. The simulator's clock is moved by hand
 * (copies take 4 minutes to arrive and 15 to go), so two hours pass in seconds.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SageMakerScaleToZeroIT {
  private static final String REGION = "us-east-1";

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("scale-to-zero");

  SageMakerSimulator simulator;
  SimulatorClock clock;

  /**
   * The shared simulator with scaling executed, realistic delays (copies 4 minutes out, 15 in) and
   * its clock in the test's hands.
   */
  @BeforeEach
  void simulatedTime() {
    LlmSampleOnSageMaker.simulatedTime(clock, simulator);
  }

  @AfterEach
  void wallTime() {
    LlmSampleOnSageMaker.wallTime(clock, simulator);
  }

  @Test
  void theLlmSampleScalesToZeroAndBackWithoutAnyoneTouchingTheCopies() throws Exception {
    // Endpoint (6 min) then component (5 min) are created while the operator polls in real time.
    var names = LlmSampleOnSageMaker.applyAndAwaitPolicy(ns.client(), clock, ns.name());
    String component = names.inferenceComponentName();
    String endpoint = names.endpointName();
    assertThat(copies(component).currentCopyCount()).as("the sample starts with one").isEqualTo(1);

    // Idle: target tracking's AlarmLow (15 min below 90 % of the target) takes the copy away.
    advanceUntil(
        Duration.ofMinutes(1),
        () -> copies(component).currentCopyCount() == 0,
        Duration.ofHours(1));
    assertThat(lastActivity().path("Cause").asText())
        .contains("-AlarmLow-")
        .endsWith("triggered policy ebb-target-tracking-ConcurrentRequestsPerCopy");

    try (SageMakerRuntimeClient runtime = SimClients.runtime(simulator, Region.US_EAST_1)) {
      // At zero copies SageMaker Runtime refuses, and publishes NoCapacityInvocationFailures.
      assertThat(invoke(runtime, endpoint, component)).contains("no capacity");
      // The alarm (30 s, Maximum >= 1) fires at the end of its period; the step adds a copy.
      advanceUntil(
          Duration.ofSeconds(10),
          () -> copies(component).desiredCopyCount() == 1,
          Duration.ofMinutes(2));
      JsonNode wake = lastActivity();
      assertThat(wake.path("Cause").asText())
          .contains("-scale-from-zero in state ALARM")
          .endsWith("triggered policy ebb-scale-from-zero");
      assertThat(invoke(runtime, endpoint, component))
          .as("the copy is still being provisioned")
          .contains("no capacity");
      advanceUntil(
          Duration.ofSeconds(30),
          () -> copies(component).currentCopyCount() == 1,
          Duration.ofMinutes(10));
      assertThat(invoke(runtime, endpoint, component)).as("served").isEqualTo("ok");

      // Idle again: back to zero.
      advanceUntil(
          Duration.ofMinutes(1),
          () -> copies(component).currentCopyCount() == 0,
          Duration.ofHours(1));
    }
    // This component's calls only: the simulator is shared with the other test classes.
    assertThat(simulator.calls("UpdateInferenceComponentRuntimeConfig"))
        .filteredOn(c -> component.equals(c.request().path("InferenceComponentName").asText()))
        .as("nobody but Application Auto Scaling set the copies")
        .isEmpty();
    assertThat(simulator.calls("UpdateInferenceComponent"))
        .filteredOn(c -> component.equals(c.request().path("InferenceComponentName").asText()))
        .isEmpty();
    List<String> steps =
        simulator.scalingActivities(REGION).stream()
            .filter(a -> a.path("StatusCode").asText().equals("Successful"))
            .map(a -> a.path("Description").asText())
            .toList();
    assertThat(steps)
        .as("newest first")
        .startsWith(
            "Setting desired copy count to 0 (from 1).",
            "Setting desired copy count to 1 (from 0).",
            "Setting desired copy count to 0 (from 1).");
  }

  // --- helpers -----------------------------------------------------------------------------

  private Snapshot.Component copies(String component) {
    return simulator.region(REGION).component(component);
  }

  private JsonNode lastActivity() {
    return simulator.scalingActivities(REGION).stream()
        .filter(a -> a.path("StatusCode").asText().equals("Successful"))
        .findFirst()
        .orElseThrow();
  }

  /** "ok" when served, else SageMaker's error message. */
  private static String invoke(SageMakerRuntimeClient runtime, String endpoint, String component) {
    try {
      runtime.invokeEndpoint(
          r ->
              r.endpointName(endpoint)
                  .inferenceComponentName(component)
                  .contentType("application/json")
                  .body(SdkBytes.fromUtf8String("{\"inputs\": \"hi\"}")));
      return "ok";
    } catch (AwsServiceException e) {
      return e.awsErrorDetails().errorMessage();
    }
  }

  private void advanceUntil(Duration step, BooleanSupplier done, Duration most)
      throws InterruptedException {
    SimulatedTime.advanceUntil(clock, step, 50, done, most);
  }
}
