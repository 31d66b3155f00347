package dev.ebb.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.FakeExchange;
import dev.ebb.gateway.body.PayloadHandler;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.local.ComponentKey;
import dev.ebb.sagemaker.RuntimeOperation;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pass-through alone, with a hand-written SageMaker (runtime and control plane), on an
 * in-process Vert.x: a request refused for want of capacity is held in the copy router's queue and
 * answered as a held request on backend local is (bound, deadline, leaving, deletion), or sent
 * again once the component it woke has a copy.
 */
class SageMakerPassThroughTest {
  private static final ComponentKey C = new ComponentKey("ns", "llama");
  private static final String NAME = "ns-llama-1234";
  private static final Resolution.Wake STEP =
      new Resolution.Wake("ebb-ns-llama-scale-from-zero", 2, Duration.ofSeconds(60), "llama");

  private final Vertx vertx = Vertx.vertx();
  private final SageMakerCopiesTest.FakeSageMaker control = new SageMakerCopiesTest.FakeSageMaker();
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final SageMakerPassThrough.Upstream runtime =
      (region, endpointName, operation, headers, body) ->
          sageMakerAnswers(new String(body, StandardCharsets.UTF_8));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SageMakerPassThrough passThrough =
      new SageMakerPassThrough(
          vertx, runtime, control, new GatewayMeters(registry), Clock.systemUTC());

  @BeforeEach
  void start() {
    passThrough.start();
  }

  @AfterEach
  void stop() {
    passThrough.stop();
    vertx.close();
  }

  @Test
  void aRequestRefusedForWantOfCapacityIsHeldWhileTheComponentWakesThenSentAgain() {
    FakeExchange exchange = invoke(target(10, Duration.ofMinutes(10)), "hello");

    await().until(() -> held() == 1);
    await().until(() -> !control.woken.isEmpty());
    assertThat(control.woken).as("the policy's alarm").containsExactly(STEP.alarm());
    assertThat(exchange.ended).isFalse();

    control.copies.set(1);

    await().until(() -> exchange.ended);
    assertThat(exchange.status).isEqualTo(200);
    assertThat(exchange.responseBody.toString()).isEqualTo("hello");
    assertThat(sent).containsExactly("hello", "hello");
    assertThat(held()).isZero();
    assertThat(control.woken).as("woken once").hasSize(1);
  }

  @Test
  void overTheBoundARequestIsAnsweredAsOnBackendLocal() {
    Resolution.SageMaker target = target(1, Duration.ofMinutes(10));
    invoke(target, "first");
    await().until(() -> held() == 1);

    FakeExchange second = invoke(target, "second");

    await().until(() -> second.ended);
    RuntimeError expected = RuntimeError.tooManyHeld(1, NAME);
    assertThat(second.status).isEqualTo(expected.status());
    assertThat(second.json().getString("message")).isEqualTo(expected.message());
    assertThat(second.responseHeaders.get("Retry-After")).isEqualTo("10");
  }

  @Test
  void aRequestHeldPastTheColdStartTimeoutIsAnsweredAsOnBackendLocal() {
    Duration timeout = Duration.ofMillis(300);
    FakeExchange exchange = invoke(target(10, timeout), "hello");

    await().until(() -> exchange.ended);
    RuntimeError expected = RuntimeError.noCopyInTime(NAME, timeout);
    assertThat(exchange.status).isEqualTo(504);
    assertThat(exchange.json().getString("message")).isEqualTo(expected.message());
    assertThat(held()).isZero();
  }

  @Test
  void aClientThatLeavesIsNotSentAgain() throws InterruptedException {
    FakeExchange exchange = invoke(target(10, Duration.ofMinutes(10)), "hello");
    await().until(() -> held() == 1);

    vertx.runOnContext(v -> exchange.close());
    await().until(() -> held() == 0);
    control.copies.set(1);
    Thread.sleep(SageMakerCopies.WAKE_POLL.toMillis() * 2);

    assertThat(sent).as("sent once, refused, never again").hasSize(1);
  }

  @Test
  void aDeletedComponentAnswersItsHeldRequestsAtOnce() {
    FakeExchange exchange = invoke(target(10, Duration.ofMinutes(10)), "hello");
    await().until(() -> held() == 1);

    passThrough.componentGone(C);

    await().until(() -> exchange.ended);
    assertThat(exchange.status).isEqualTo(400);
    assertThat(exchange.json().getString("message"))
        .isEqualTo(RuntimeError.componentDeleted(NAME).message());
  }

  @Test
  void aComponentAScheduleParksAtMaxZeroIsRefusedAtOnceNotWokenNorHeld() {
    control.maxInForce = Optional.of(0);

    FakeExchange exchange = invoke(target(10, Duration.ofMinutes(10)), "hello");

    await().until(() -> exchange.ended);
    assertThat(exchange.status).isEqualTo(400);
    assertThat(exchange.json().getString("message"))
        .startsWith("Inference Component has no capacity to process this request.")
        .contains("max capacity 0");
    assertThat(control.woken).isEmpty();
    assertThat(held()).isZero();
  }

  @Test
  void aValidationErrorWhileTheComponentHasCopiesIsTheClientsAndRelayed() {
    control.copies.set(1);

    FakeExchange exchange = invoke(target(10, Duration.ofMinutes(10)), "bad");

    await().until(() -> exchange.ended);
    assertThat(exchange.status).isEqualTo(400);
    assertThat(exchange.json().getString("message")).isEqualTo("bad input");
    assertThat(held()).isZero();
  }

  @Test
  void aComponentEbbDoesNotManageIsHeldUnderItsNameInItsRegion() {
    var unmanaged =
        new Resolution.SageMaker(
            Optional.of("us-east-1"),
            "llm",
            Optional.of("outside"),
            Optional.empty(),
            10,
            Duration.ofMinutes(10));
    assertThat(SageMakerPassThrough.heldAs(unmanaged))
        .isEqualTo(new ComponentKey("", "us-east-1/outside"));
    assertThat(SageMakerPassThrough.heldAs(target(10, Duration.ofMinutes(10)))).isEqualTo(C);
  }

  private FakeExchange invoke(Resolution.SageMaker target, String body) {
    FakeExchange exchange = FakeExchange.forEndpoint("llm");
    PayloadHandler.attach(exchange.context, Buffer.buffer(body));
    vertx.runOnContext(
        v ->
            passThrough.invoke(
                exchange.context, target, RuntimeOperation.INVOKE_ENDPOINT, Map.of()));
    return exchange;
  }

  /** Requests held for the component now, by the gateway's meter. */
  private double held() {
    Gauge gauge = registry.find("ebb.gateway.held.requests").tag("component", C.name()).gauge();
    return gauge == null ? 0 : gauge.value();
  }

  private static Resolution.SageMaker target(int maxHeld, Duration coldStartTimeout) {
    return new Resolution.SageMaker(
        Optional.of("us-east-1"),
        "llm",
        Optional.of(NAME),
        Optional.of(STEP),
        maxHeld,
        coldStartTimeout,
        Optional.empty(),
        Optional.of(C));
  }

  /**
   * SageMaker Runtime as the control plane's double has the component: no capacity at zero copies
   * (SageMaker's ValidationError), else the body echoed; a body starting "bad" is the client's
   * error.
   */
  private Future<HttpClientResponse> sageMakerAnswers(String body) {
    sent.add(body);
    if (body.startsWith("bad")) {
      return Future.succeededFuture(answer(400, "ValidationError", "{\"message\":\"bad input\"}"));
    }
    if (control.copies.get() == 0) {
      return Future.succeededFuture(
          answer(
              400,
              "ValidationError",
              "{\"message\":\"Inference Component has no capacity to process this request.\"}"));
    }
    return Future.succeededFuture(answer(200, null, body));
  }

  private static HttpClientResponse answer(int status, String errorType, String body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.add("Content-Type", errorType == null ? "text/plain" : "application/json");
    if (errorType != null) {
      headers.add("x-amzn-ErrorType", errorType);
    }
    return (HttpClientResponse)
        Proxy.newProxyInstance(
            HttpClientResponse.class.getClassLoader(),
            new Class<?>[] {HttpClientResponse.class},
            (self, method, args) -> {
              switch (method.getName()) {
                case "statusCode":
                  return status;
                case "headers":
                  return headers;
                case "body":
                  return Future.succeededFuture(Buffer.buffer(body));
                default:
                  throw new UnsupportedOperationException("HttpClientResponse." + method.getName());
              }
            });
  }
}
