package dev.ebb.batch;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves the latest progress at {@code GET /progress} (JSON, as {@link Progress#json}), so the
 * operator can show a running transform's progress in its status: a worker's termination message
 * tells only its end. Read-only, and on backend local reachable only from Ebb's own pods (the
 * workers' NetworkPolicy admits nothing else).
 */
public final class ProgressServer implements ProgressSink, AutoCloseable {
  private final HttpServer server;
  private final AtomicReference<String> latest = new AtomicReference<>();

  private ProgressServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on every address of the pod on {@code port} (0: any free port). */
  public static ProgressServer start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    ProgressServer progress = new ProgressServer(server);
    server.createContext(
        "/progress",
        exchange -> {
          String body = progress.latest.get();
          byte[] bytes = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
          boolean get = "GET".equals(exchange.getRequestMethod());
          int status = !get ? 405 : body == null ? 503 : 200;
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, get && body != null ? bytes.length : -1);
          try (OutputStream out = exchange.getResponseBody()) {
            if (get && body != null) {
              out.write(bytes);
            }
          }
        });
    server.start();
    return progress;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void report(Progress progress) {
    latest.set(progress.json());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
