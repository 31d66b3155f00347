package dev.ebb.gateway.upstream;

import dev.ebb.config.GatewayConfig;
import dev.ebb.local.ModelServerWorkload;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;

/**
 * The model server's side of the contract: {@code POST http://<copy>:8080/invocations}, over a pool
 * of kept-alive connections per copy ({@code ebb.gateway.connections-per-copy}).
 */
@ApplicationScoped
public class ModelServerClient {
  private final Vertx vertx;
  private final GatewayConfig config;
  private HttpClient http;

  public ModelServerClient(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  public void start() {
    http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(config.connectionsPerCopy()));
  }

  /**
   * POST /invocations to the copy at {@code address}: the model server's answer as it starts to
   * arrive (its body not read yet). No bytes for {@code timeout} fail it with a timeout.
   */
  public Future<HttpClientResponse> post(
      String address, Map<String, String> headers, Buffer body, Duration timeout) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(address)
            .setPort(ModelServerWorkload.PORT)
            .setURI("/invocations")
            .setIdleTimeout(timeout.toMillis());
    headers.forEach(options::putHeader);
    return http.request(options).compose(call -> call.send(body == null ? Buffer.buffer() : body));
  }

  /** {@link #post}, with the whole answer read. */
  public Future<Answer> call(
      String address, Map<String, String> headers, Buffer body, Duration timeout) {
    return post(address, headers, body, timeout).compose(Answer::read);
  }

  @PreDestroy
  void stop() {
    if (http != null) {
      http.close();
    }
  }
}
