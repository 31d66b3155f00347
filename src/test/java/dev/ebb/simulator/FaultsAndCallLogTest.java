package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Throttling, targeted faults, eventual consistency and the call log. */
class FaultsAndCallLogTest {
  private final SimFixture f = new SimFixture(Delays.none());

  private List<Boolean> throttlePattern(long seed) {
    SimFixture g = new SimFixture(Delays.none());
    g.sim.faults().throttle(0.5, seed);
    List<Boolean> pattern = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      try {
        g.call("ListEndpoints", "{}");
        pattern.add(false);
      } catch (AwsError e) {
        assertThat(e.code()).isEqualTo("ThrottlingException");
        assertThat(e.status()).isEqualTo(400);
        pattern.add(true);
      }
    }
    return pattern;
  }

  @Test
  void throttlingIsSeededAndReproducible() {
    List<Boolean> first = throttlePattern(7);
    assertThat(first).isEqualTo(throttlePattern(7));
    assertThat(first).contains(true, false);
    assertThat(first.stream().filter(t -> t).count()).isBetween(10L, 30L);
  }

  @Test
  void throttledCallsAreMarkedInTheLog() {
    f.sim.faults().throttle(1.0);
    f.error("ListModels", "{}");
    Call call = f.sim.calls("ListModels").get(0);
    assertThat(call.throttled()).isTrue();
    assertThat(call.errorCode()).isEqualTo("ThrottlingException");
    assertThat(call.succeeded()).isFalse();
  }

  @Test
  void rulesAnswerTheirErrorTheGivenNumberOfTimes() {
    f.sim.faults().inject(FaultRule.internalFailure("DescribeModel", 2));
    f.sim.faults().inject(FaultRule.serviceUnavailable("ListModels", 1));
    f.model("m");
    for (int i = 0; i < 2; i++) {
      AwsError e = f.error("DescribeModel", "{\"ModelName\":\"m\"}");
      assertThat(e.status()).isEqualTo(500);
      assertThat(e.code()).isEqualTo("InternalFailure");
    }
    f.call("DescribeModel", "{\"ModelName\":\"m\"}");
    assertThat(f.error("ListModels", "{}").status()).isEqualTo(503);
    f.call("ListModels", "{}");
  }

  @Test
  void modelledExceptionNamesAreSentAsTheirWireCodes() {
    f.sim
        .faults()
        .inject(
            FaultRule.on("CreateEndpoint")
                .answer(400, "ResourceLimitExceededException", "The account-level limit..."));
    assertThat(
            f.error("CreateEndpoint", "{\"EndpointName\":\"e\",\"EndpointConfigName\":\"c\"}")
                .code())
        .isEqualTo("ResourceLimitExceeded");
  }

  @Test
  void aCreateRightAfterItsConfigMayNotSeeItOnce() {
    f.sim.faults().eventualConsistency(Duration.ofSeconds(5));
    f.model("m");
    f.classicConfig("cfg", "m");
    AwsError stale =
        f.error("CreateEndpoint", "{\"EndpointName\":\"e\",\"EndpointConfigName\":\"cfg\"}");
    assertThat(stale.getMessage()).startsWith("Could not find endpoint configuration");
    f.endpoint("e", "cfg");

    f.advance(Duration.ofSeconds(10));
    f.classicConfig("cfg2", "m");
    f.advance(Duration.ofSeconds(6));
    f.endpoint("e2", "cfg2"); // outside the window: seen at once
  }

  @Test
  void aComponentRightAfterItsModelMayNotSeeItOnce() {
    f.componentEndpointInService();
    f.sim.faults().eventualConsistency(Duration.ofSeconds(5));
    f.model("fresh");
    String request =
        """
        {"InferenceComponentName": "ic2", "EndpointName": "ep", "VariantName": "AllTraffic",
         "Specification": {"ModelName": "fresh",
           "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
         "RuntimeConfig": {"CopyCount": 1}}
        """;
    assertThat(f.error("CreateInferenceComponent", request).getMessage())
        .startsWith("Could not find model");
    f.call("CreateInferenceComponent", request);
  }

  @Test
  void everyCallIsLoggedWithItsRegionRequestAndOutcome() {
    f.model("m");
    f.sim.call("eu-west-1", "ListModels", SimFixture.json("{\"NameContains\":\"x\"}"));
    f.error("DescribeModel", "{\"ModelName\":\"missing\"}");

    List<Call> calls = f.sim.calls();
    assertThat(calls)
        .extracting(Call::operation)
        .containsExactly("CreateModel", "ListModels", "DescribeModel");
    assertThat(calls.get(0).region()).isEqualTo("us-east-1");
    assertThat(calls.get(0).request().get("ModelName").asText()).isEqualTo("m");
    assertThat(calls.get(0).time()).isEqualTo(f.clock.instant());
    assertThat(calls.get(1).region()).isEqualTo("eu-west-1");
    assertThat(calls.get(2).errorCode()).isEqualTo("ValidationException");
    assertThat(calls.get(2).status()).isEqualTo(400);

    f.sim.clearCalls();
    assertThat(f.sim.calls()).isEmpty();
  }

  @Test
  void resetForgetsEverything() {
    f.model("m");
    f.sim.faults().throttle(1.0);
    f.sim.reset();
    assertThat(f.sim.region("us-east-1").models()).isEmpty();
    assertThat(f.sim.calls()).isEmpty();
    f.call("ListModels", "{}");
  }
}
