package dev.ebb.gateway.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.gateway.FakeExchange;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of docs/gateway.md ("Errors, as SageMaker Runtime shapes them"), row by row. */
class RuntimeErrorTest {
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "unknown endpoint", RuntimeError.endpointNotFound("ep"), 400, "ValidationError"),
        Arguments.of(
            "body too large", RuntimeError.payloadTooLarge(6_291_456), 413, "ValidationError"),
        Arguments.of(
            "too many held", RuntimeError.tooManyHeld(1000, "c"), 429, "ModelNotReadyException"),
        Arguments.of(
            "too many held bytes",
            RuntimeError.tooManyHeldBytes("c"),
            429,
            "ModelNotReadyException"),
        Arguments.of(
            "no copy in time",
            RuntimeError.noCopyInTime("c", TEN_MINUTES),
            504,
            "ModelNotReadyException"),
        Arguments.of(
            "component deleted", RuntimeError.componentDeleted("c"), 400, "ValidationError"),
        Arguments.of("model non-2xx", RuntimeError.modelError(500, "c", "boom"), 424, "ModelError"),
        Arguments.of(
            "model silent",
            RuntimeError.copyFailed(new TimeoutException(), "c", Duration.ofSeconds(60)),
            504,
            "ModelError"),
        Arguments.of(
            "copy refused the connection",
            RuntimeError.copyFailed(new ConnectException("refused"), "c", Duration.ofSeconds(60)),
            502,
            "InternalDependencyException"),
        Arguments.of(
            "SageMaker unreachable",
            RuntimeError.sageMakerUnreachable(new ConnectException("x")),
            502,
            "InternalDependencyException"),
        Arguments.of(
            "no credentials to sign with",
            RuntimeError.signingFailed(new IllegalStateException("x")),
            500,
            "InternalFailure"),
        Arguments.of(
            "access refused",
            RuntimeError.refused(403, "AccessDeniedException", "no"),
            403,
            "AccessDeniedException"));
  }

  @ParameterizedTest(name = "{0}: {2} {3}")
  @MethodSource("cases")
  void eachCaseIsAnsweredAsSageMakerRuntimeWould(
      String why, RuntimeError error, int status, String code) {
    FakeExchange exchange = new FakeExchange();

    error.send(exchange.context.response());

    assertThat(exchange.status).isEqualTo(status);
    assertThat(exchange.responseHeaders.get("x-amzn-ErrorType")).isEqualTo(code);
    assertThat(exchange.responseHeaders.get("Content-Type")).isEqualTo("application/json");
    assertThat(exchange.json().getString("__type")).isEqualTo(code);
    assertThat(exchange.json().getString("message")).isEqualTo(error.message()).isNotBlank();
  }

  @org.junit.jupiter.api.Test
  void aModelErrorCarriesTheModelsStatusAndMessage() {
    FakeExchange exchange = new FakeExchange();

    RuntimeError.modelError(503, "c", "overloaded").send(exchange.context.response());

    assertThat(exchange.json().getInteger("OriginalStatusCode")).isEqualTo(503);
    assertThat(exchange.json().getString("OriginalMessage")).isEqualTo("overloaded");
    assertThat(exchange.json().getString("message"))
        .isEqualTo(
            "Received client error (503) from the model in component c with message"
                + " \"overloaded\".");
  }

  @org.junit.jupiter.api.Test
  void headersTellTheClientWhenToRetryOrHowToAuthenticate() {
    assertThat(RuntimeError.tooManyHeld(1, "c").headers()).isEqualTo(Map.of("Retry-After", "10"));
    assertThat(RuntimeError.refused(401, "UnrecognizedClientException", "x").headers())
        .isEqualTo(Map.of("WWW-Authenticate", "Bearer realm=\"ebb\""));
    assertThat(RuntimeError.refused(503, "ServiceUnavailable", "x").headers()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aResponseAlreadyOverIsLeftAlone() {
    FakeExchange exchange = new FakeExchange();
    exchange.ended = true;

    RuntimeError.endpointNotFound("ep").send(exchange.context.response());

    assertThat(exchange.responseBody).isNull();
  }
}
