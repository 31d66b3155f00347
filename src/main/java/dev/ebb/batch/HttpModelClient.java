package dev.ebb.batch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link ModelClient} over HTTP/1.1 (JDK client). {@code GET /ping} times out after 2 s, as
 * SageMaker's ("The request timeout on /ping attempts is 2 seconds"); {@code POST /invocations}
 * after InvocationsTimeoutInSeconds.
 */
public final class HttpModelClient implements ModelClient {
  static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

  private final URI base;
  private final Duration invocationTimeout;
  private final HttpClient http;

  public HttpModelClient(String baseUrl, Duration invocationTimeout) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.invocationTimeout = invocationTimeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @Override
  public int ping() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(base.resolve("ping")).timeout(PING_TIMEOUT).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public Optional<String> executionParameters() throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("execution-parameters"))
            .timeout(PING_TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (java.net.http.HttpTimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public Response invoke(byte[] body, String contentType, String accept) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("invocations"))
            .timeout(invocationTimeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null && !contentType.isBlank()) {
      request.header("Content-Type", contentType);
    }
    if (accept != null && !accept.isBlank()) {
      request.header("Accept", accept);
    }
    try {
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.body());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new IOException(
          "timed out after " + invocationTimeout.toSeconds() + " s (InvocationsTimeoutInSeconds)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
