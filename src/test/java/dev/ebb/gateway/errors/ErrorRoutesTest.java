package dev.ebb.gateway.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a router with the gateway's error routes answers when no operation does (GatewayFuzzIT found
 * Vert.x Web's HTML 404, empty 405s and 400s, and Quarkus' 500 with the stack trace): each in
 * SageMaker Runtime's shape.
 */
class ErrorRoutesTest {
  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .post("/endpoints/:endpoint/invocations")
        .handler(
            r -> {
              throw new IllegalStateException("a bug with a secret in its message");
            });
    ErrorRoutes.install(router);
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anotherPathOrMethodIsAnUnknownOperation() {
    assertShape(send("POST /nowhere HTTP/1.1\r\nHost: x\r\n"), 404, "UnknownOperationException");
    assertShape(
        send("GET /endpoints/e/invocations HTTP/1.1\r\nHost: x\r\n"),
        405,
        "UnknownOperationException");
    assertShape(send("OPTIONS * HTTP/1.1\r\nHost: x\r\n"), 404, "UnknownOperationException");
  }

  @Test
  void aRequestVertxRefusesIsAValidationError() {
    assertShape(send("POST /endpoints/e/invocations HTTP/1.1\r\n"), 400, "ValidationError");
  }

  @Test
  void aHandlersFailureIsAnInternalFailureWithoutItsCause() {
    RawHttp.Response answer = send("POST /endpoints/e/invocations HTTP/1.1\r\nHost: x\r\n");
    assertShape(answer, 500, "InternalFailure");
    assertThat(answer.text()).contains("error id").doesNotContain("secret", "Exception", "at ");
  }

  private static void assertShape(RawHttp.Response answer, int status, String code) {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.header("x-amzn-ErrorType")).hasValue(code);
    assertThat(answer.header("Content-Type")).hasValue("application/json");
    JsonObject body = new JsonObject(answer.text());
    assertThat(body.getString("__type")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
  }

  private static RawHttp.Response send(String head) {
    RawHttp.Outcome outcome =
        RawHttp.exchange(
            server.actualPort(),
            (head + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
            false,
            Duration.ofSeconds(10),
            Executors.newSingleThreadExecutor());
    assertThat(outcome).isInstanceOf(RawHttp.Answered.class);
    return ((RawHttp.Answered) outcome).response();
  }
}
