package dev.ebb.simulator;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.FlowAdapters;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * The smallest SdkAsyncHttpClient over java.net.http, so tests can use the SDK's async clients (Ebb
 * excludes the Netty one). The request body is collected first; the response body streams to the
 * SDK as it arrives, which is what an event-stream answer needs.
 */
public final class JavaNetAsyncHttpClient implements SdkAsyncHttpClient {
  /** Headers java.net.http sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "expect", "connection", "upgrade");

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
    SdkHttpRequest sdk = request.request();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    CompletableFuture<Void> done =
        SdkPublisher.adapt(request.requestContentPublisher())
            .subscribe(buffer -> body.write(bytes(buffer), 0, buffer.remaining()))
            .thenCompose(
                ignored -> {
                  HttpRequest.Builder b = HttpRequest.newBuilder(sdk.getUri());
                  sdk.forEachHeader(
                      (name, values) -> {
                        if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                          values.forEach(value -> b.header(name, value));
                        }
                      });
                  b.method(
                      sdk.method().name(),
                      HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
                  return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher());
                })
            .thenAccept(
                response -> {
                  request
                      .responseHandler()
                      .onHeaders(
                          SdkHttpResponse.builder()
                              .statusCode(response.statusCode())
                              .headers(response.headers().map())
                              .build());
                  request
                      .responseHandler()
                      .onStream(
                          SdkPublisher.adapt(FlowAdapters.toPublisher(response.body()))
                              .flatMapIterable(buffers -> buffers));
                });
    return done.whenComplete(
        (ok, error) -> {
          if (error != null) {
            request.responseHandler().onError(error);
          }
        });
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  @Override
  public String clientName() {
    return "JavaNet";
  }

  @Override
  public void close() {}
}
