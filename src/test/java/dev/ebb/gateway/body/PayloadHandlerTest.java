package dev.ebb.gateway.body;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The payload stage on a real Vert.x server: bodies reach the next stage byte for byte whatever
 * their content type (GatewayFuzzIT found Vert.x Web's BodyHandler decoding forms: a multipart body
 * reached the model empty, a form with a bad escape or a long field was refused with Quarkus' error
 * and a multipart type without a boundary failed with a 500 and its stack trace), and too large a
 * payload is refused in SageMaker's shape.
 */
class PayloadHandlerTest {
  private static final int LIMIT = 64 * 1024;
  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .post("/echo")
        .handler(new PayloadHandler(LIMIT))
        .handler(r -> r.response().end(PayloadHandler.of(r)));
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
  void aMultipartBodyReachesTheModelUntouched() {
    String body =
        "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n"
            + "Content-Type: image/jpeg\r\n\r\nJPEG\u00ff\u00d8 bytes\r\n--b--\r\n";
    assertEchoed("multipart/form-data; boundary=b", body.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aMultipartTypeWithoutABoundaryIsJustAContentType() {
    byte[] binary = new byte[5000];
    new Random(1).nextBytes(binary);
    assertEchoed("multipart/form-data; boundary=", binary);
    assertEchoed("multipart/form-data", binary);
  }

  @Test
  void aFormIsNotDecoded() {
    assertEchoed(
        "application/x-www-form-urlencoded",
        ("a=b&c=%zz&%=%%&prompt=" + "y".repeat(20_000)).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aPayloadOverTheLimitIsRefusedInSageMakersShape() {
    byte[] body = new byte[LIMIT + 1];
    for (boolean chunked : new boolean[] {false, true}) {
      RawHttp.Response answer = send(request("application/octet-stream", body, chunked, false));
      assertThat(answer.status()).as("chunked %s", chunked).isEqualTo(413);
      assertThat(answer.header("x-amzn-ErrorType")).hasValue("ValidationError");
      assertThat(answer.text()).contains("exceeds the " + LIMIT + "-byte limit");
    }
    assertEchoed("application/octet-stream", new byte[LIMIT]);
  }

  @Test
  void aConnectionServesItsNextRequestAfterAPayloadWasRefused() throws Exception {
    byte[] next = "next".getBytes(StandardCharsets.US_ASCII);
    for (boolean chunked : new boolean[] {false, true}) {
      try (var socket = RawHttp.connect(server.actualPort(), Duration.ofSeconds(10))) {
        socket.getOutputStream().write(request("text/plain", new byte[LIMIT + 1], chunked, false));
        socket.getOutputStream().write(request("text/plain", next, false, false));
        RawHttp.Outcome refused = RawHttp.read(socket.getInputStream(), false);
        RawHttp.Outcome served = RawHttp.read(socket.getInputStream(), false);
        assertThat(((RawHttp.Answered) refused).response().status()).isEqualTo(413);
        assertThat(((RawHttp.Answered) served).response().body()).isEqualTo(next);
      }
    }
  }

  @Test
  void aClientThatExpects100ContinueIsToldToSend() {
    byte[] body = "after the continue".getBytes(StandardCharsets.US_ASCII);
    RawHttp.Response answer = send(request("text/plain", body, false, true));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(body);
  }

  private static void assertEchoed(String contentType, byte[] body) {
    for (boolean chunked : new boolean[] {false, true}) {
      RawHttp.Response answer = send(request(contentType, body, chunked, false));
      assertThat(answer.status()).as("%s, chunked %s", contentType, chunked).isEqualTo(200);
      assertThat(answer.body()).as("%s, chunked %s", contentType, chunked).isEqualTo(body);
    }
  }

  private static RawHttp.Response send(byte[] request) {
    RawHttp.Outcome outcome =
        RawHttp.exchange(
            server.actualPort(),
            request,
            false,
            Duration.ofSeconds(10),
            Executors.newSingleThreadExecutor());
    assertThat(outcome).isInstanceOf(RawHttp.Answered.class);
    return ((RawHttp.Answered) outcome).response();
  }

  private static byte[] request(String type, byte[] body, boolean chunked, boolean expect) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
            + type
            + "\r\n"
            + (expect ? "Expect: 100-continue\r\n" : "")
            + (chunked
                ? "Transfer-Encoding: chunked\r\n\r\n"
                : "Content-Length: " + body.length + "\r\n\r\n");
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    if (chunked) {
      out.writeBytes(
          (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
      out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
