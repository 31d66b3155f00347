package dev.ebb.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.gateway.Endpoints;
import dev.ebb.gateway.FakeExchange;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.resolve.Resolved;
import dev.ebb.local.ComponentKey;
import dev.ebb.sagemaker.RuntimeOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dispatch stage alone, with upstream doubles: which upstream each request goes to. */
class DispatchHandlerTest {
  private static final Resolution LOCAL =
      new Resolution.Local(new ComponentKey("ns", "c"), "A", 10, Duration.ofSeconds(60));
  private static final Resolution SAGEMAKER =
      new Resolution.SageMaker(
          Optional.of("us-east-1"),
          "ep",
          Optional.of("ic"),
          Optional.empty(),
          10,
          Duration.ofSeconds(60));
  private static final Resolution INVALID =
      new Resolution.Invalid("Inference Component x not found.");

  private final List<String> went = new ArrayList<>();
  private final DispatchHandler dispatch =
      new DispatchHandler(
          (request, target, operation) -> went.add("local copies " + operation),
          (request, resolved, target) -> went.add("local async"),
          (request, target, operation) -> went.add("sagemaker " + operation));

  @ParameterizedTest(name = "{0} on {1} → {2}")
  @CsvSource({
    "INVOKE_ENDPOINT, local, local copies INVOKE_ENDPOINT",
    "INVOKE_ENDPOINT_WITH_RESPONSE_STREAM, local, local copies INVOKE_ENDPOINT_WITH_RESPONSE_STREAM",
    "INVOKE_ENDPOINT_ASYNC, local, local async",
    "INVOKE_ENDPOINT, sagemaker, sagemaker INVOKE_ENDPOINT",
    "INVOKE_ENDPOINT_WITH_RESPONSE_STREAM, sagemaker, sagemaker INVOKE_ENDPOINT_WITH_RESPONSE_STREAM",
    "INVOKE_ENDPOINT_ASYNC, sagemaker, sagemaker INVOKE_ENDPOINT_ASYNC",
  })
  void eachRequestGoesToItsUpstream(RuntimeOperation operation, String plane, String upstream) {
    FakeExchange exchange = request(operation, plane.equals("local") ? LOCAL : SAGEMAKER);

    dispatch.handle(exchange.context);

    assertThat(went).containsExactly(upstream);
    assertThat(exchange.ended).as("answered by the upstream, not here").isFalse();
  }

  @ParameterizedTest
  @CsvSource({"INVOKE_ENDPOINT", "INVOKE_ENDPOINT_WITH_RESPONSE_STREAM", "INVOKE_ENDPOINT_ASYNC"})
  void aComponentThatDidNotResolveIsAValidationErrorAndGoesNowhere(RuntimeOperation operation) {
    FakeExchange exchange = request(operation, INVALID);

    dispatch.handle(exchange.context);

    assertThat(went).isEmpty();
    assertThat(exchange.status).isEqualTo(400);
    assertThat(exchange.json().getString("__type")).isEqualTo("ValidationError");
    assertThat(exchange.json().getString("message")).isEqualTo("Inference Component x not found.");
  }

  /**
   * A local component at zero that nothing will wake is answered at once, as SageMaker answers a
   * component without capacity; an asynchronous request is still queued, as SageMaker queues it.
   */
  @ParameterizedTest
  @CsvSource({"INVOKE_ENDPOINT", "INVOKE_ENDPOINT_WITH_RESPONSE_STREAM"})
  void aParkedComponentIsAnsweredAtOnceInsteadOfHeld(RuntimeOperation operation) {
    Resolution parked =
        new Resolution.Local(
            new ComponentKey("ns", "c"),
            "A",
            10,
            Duration.ofSeconds(60),
            Optional.of("Its ScalingPolicy p has no scaleFromZero."));
    FakeExchange exchange = request(operation, parked);

    dispatch.handle(exchange.context);

    assertThat(went).isEmpty();
    assertThat(exchange.status).isEqualTo(400);
    assertThat(exchange.json().getString("__type")).isEqualTo("ValidationError");
    assertThat(exchange.json().getString("message"))
        .startsWith("Inference Component has no capacity to process this request.")
        .endsWith("has no scaleFromZero.");
  }

  @org.junit.jupiter.api.Test
  void aParkedComponentStillQueuesAsynchronousRequests() {
    Resolution parked =
        new Resolution.Local(
            new ComponentKey("ns", "c"), "A", 10, Duration.ofSeconds(60), Optional.of("parked"));
    FakeExchange exchange = request(RuntimeOperation.INVOKE_ENDPOINT_ASYNC, parked);

    dispatch.handle(exchange.context);

    assertThat(went).containsExactly("local async");
  }

  private static FakeExchange request(RuntimeOperation operation, Resolution target) {
    FakeExchange exchange = FakeExchange.forEndpoint("ep");
    new Resolved(operation, "ep", Endpoints.endpoint("ep", "backend: local"), target)
        .attachTo(exchange.context);
    return exchange;
  }
}
