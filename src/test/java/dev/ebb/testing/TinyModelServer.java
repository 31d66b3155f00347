package dev.ebb.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A model server under SageMaker's container contract, small enough to run as one process per copy:
 * {@code GET /ping} answers 503 while the "model" loads and 200 after, {@code POST /invocations}
 * echoes the request body ({@code GET /invocation-count} tells how many arrived). JDK only, started
 * by {@link FakeNodeAgent}.
 *
 * <p>Arguments: {@code host port loadMillis [gateFile] [serve]} (loading also waits until gateFile
 * exists; {@code serve}, SageMaker's argument to hosting containers, is accepted anywhere). It
 * prints {@code listening PORT} once bound.
 */
public final class TinyModelServer {
  private TinyModelServer() {}

  public static void main(String[] arguments) throws IOException {
    // SageMaker (and Ebb) append "serve" to the image's ENTRYPOINT: nothing to choose here.
    String[] args =
        java.util.Arrays.stream(arguments).filter(a -> !a.equals("serve")).toArray(String[]::new);
    long loadedAt = System.currentTimeMillis() + Long.parseLong(args[2]);
    Path gate = args.length > 3 ? Path.of(args[3]) : null;
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])), 0);
    server.createContext(
        "/ping",
        exchange -> {
          boolean loaded =
              System.currentTimeMillis() >= loadedAt && (gate == null || Files.exists(gate));
          respond(exchange, loaded ? 200 : 503, loaded ? "ok" : "loading");
        });
    // Not part of the contract: how many invocations arrived, for tests that prove none did.
    AtomicInteger invocations = new AtomicInteger();
    server.createContext(
        "/invocation-count", exchange -> respond(exchange, 200, String.valueOf(invocations.get())));
    // Not part of the contract: Prometheus metrics, as model servers such as vLLM expose them, with
    // a queue depth a test sets (POST /queue-depth with the value as the body).
    AtomicReference<String> queueDepth = new AtomicReference<>("0");
    server.createContext(
        "/queue-depth",
        exchange -> {
          queueDepth.set(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim());
          respond(exchange, 200, queueDepth.get());
        });
    server.createContext(
        "/metrics",
        exchange ->
            respond(
                exchange,
                200,
                "# HELP tiny_queue_depth Requests waiting in the model's queue.\n"
                    + "# TYPE tiny_queue_depth gauge\n"
                    + "tiny_queue_depth{model=\"tiny\"} "
                    + queueDepth.get()
                    + "\n"
                    + "# TYPE tiny_requests counter\n"
                    + "tiny_requests_total{model=\"tiny\"} "
                    + invocations.get()
                    + "\n"));
    server.createContext(
        "/invocations",
        exchange -> {
          invocations.incrementAndGet();
          byte[] body = exchange.getRequestBody().readAllBytes();
          String attributes =
              exchange.getRequestHeaders().getFirst("X-Amzn-SageMaker-Custom-Attributes");
          if (attributes != null && attributes.startsWith("sleep=")) {
            // A slow model: the request stays in flight this many milliseconds.
            try {
              Thread.sleep(Long.parseLong(attributes.substring("sleep=".length())));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if ("fail".equals(attributes)) {
            respond(exchange, 500, "the model failed on purpose");
            return;
          }
          if (attributes != null) {
            exchange.getResponseHeaders().add("X-Amzn-SageMaker-Custom-Attributes", attributes);
          }
          if ("stream".equals(attributes)) {
            streamInThreeChunks(exchange, body);
            return;
          }
          exchange
              .getResponseHeaders()
              .add(
                  "Content-Type",
                  String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
    System.out.println("listening " + server.getAddress().getPort());
    System.out.flush();
  }

  /** Answers the body in three flushed chunks, as a model server streaming tokens would. */
  private static void streamInThreeChunks(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/plain");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      int third = Math.max(1, body.length / 3);
      for (int from = 0; from < body.length; from += third) {
        out.write(body, from, Math.min(third, body.length - from));
        out.flush();
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
