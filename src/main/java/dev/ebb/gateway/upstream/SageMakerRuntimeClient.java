package dev.ebb.gateway.upstream;

import dev.ebb.config.GatewayConfig;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.RuntimeOperation;
import dev.ebb.sagemaker.SignedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * SageMaker Runtime, called over Vert.x's HTTP client (so a response stream is relayed as it
 * arrives) with requests signed by the AWS SDK's SigV4 signer, with the operator's credentials.
 */
@ApplicationScoped
public class SageMakerRuntimeClient {
  private final Vertx vertx;
  private final AwsClients clients;
  private final GatewayConfig config;
  private HttpClient http;

  public SageMakerRuntimeClient(Vertx vertx, AwsClients clients, GatewayConfig config) {
    this.vertx = vertx;
    this.clients = clients;
    this.config = config;
  }

  /** The request could not be signed (no credentials, no region). */
  public static final class SigningFailed extends RuntimeException {
    SigningFailed(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true));
    }
    return http;
  }

  /**
   * Sends {@code operation} on the endpoint {@code endpointName} in {@code region}: SageMaker's
   * answer as it starts to arrive. Fails with {@link SigningFailed} before anything is sent, or
   * with the connection's failure.
   */
  public Future<HttpClientResponse> send(
      Optional<String> region,
      String endpointName,
      RuntimeOperation operation,
      Map<String, String> headers,
      byte[] body) {
    SignedRequest signed;
    try {
      signed = clients.signInvocation(region, endpointName, operation, headers, body);
    } catch (RuntimeException e) {
      return Future.failedFuture(new SigningFailed(e));
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(signed.url())
            .setIdleTimeout(config.requestTimeout().toMillis());
    signed.headers().forEach((name, values) -> values.forEach(v -> options.addHeader(name, v)));
    return http().request(options).compose(r -> r.send(Buffer.buffer(body)));
  }

  @PreDestroy
  void stop() {
    if (http != null) {
      http.close();
    }
  }
}
