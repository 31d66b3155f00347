package dev.ebb.testing;

import dev.ebb.simulator.JavaNetAsyncHttpClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/** Clients of Ebb's gateway as its users have them: the AWS SDK with only the URL changed. */
public final class GatewayClients {
  private GatewayClients() {}

  /** SageMaker Runtime's client pointed at the gateway on {@code port} of this machine. */
  public static SageMakerRuntimeClient runtime(int port) {
    return builder(port).build();
  }

  /**
   * The same, sending an API key as a user does: an extra header, since the SDK's own {@code
   * Authorization} is its SigV4 signature.
   */
  public static SageMakerRuntimeClient runtime(int port, String apiKey) {
    return builder(port).overrideConfiguration(o -> o.putHeader("X-Api-Key", apiKey)).build();
  }

  /** The same, with {@code override} applied to the client's configuration (timeouts, retries). */
  public static SageMakerRuntimeClient runtime(
      int port,
      java.util.function.Consumer<
              software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder>
          override) {
    return builder(port).overrideConfiguration(override).build();
  }

  private static software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClientBuilder
      builder(int port) {
    return SageMakerRuntimeClient.builder()
        .endpointOverride(URI.create("http://localhost:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder());
  }

  /**
   * The async client, for InvokeEndpointWithResponseStream (the SDK offers it only there), on
   * java.net.http since Ebb excludes the SDK's Netty client.
   */
  public static SageMakerRuntimeAsyncClient runtimeAsync(int port) {
    return SageMakerRuntimeAsyncClient.builder()
        .endpointOverride(URI.create("http://localhost:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(new JavaNetAsyncHttpClient())
        .build();
  }

  /** The payload parts of a response stream, in order, as the SDK decodes them. */
  public static List<String> streamedParts(
      SageMakerRuntimeAsyncClient runtime,
      java.util.function.Consumer<
              software.amazon.awssdk.services.sagemakerruntime.model
                  .InvokeEndpointWithResponseStreamRequest.Builder>
          request)
      throws Exception {
    List<String> parts = new java.util.concurrent.CopyOnWriteArrayList<>();
    var handler =
        software.amazon.awssdk.services.sagemakerruntime.model
            .InvokeEndpointWithResponseStreamResponseHandler.builder()
            .subscriber(
                software.amazon.awssdk.services.sagemakerruntime.model
                    .InvokeEndpointWithResponseStreamResponseHandler.Visitor.builder()
                    .onPayloadPart(p -> parts.add(p.bytes().asUtf8String()))
                    .build())
            .build();
    runtime
        .invokeEndpointWithResponseStream(request, handler)
        .get(120, java.util.concurrent.TimeUnit.SECONDS);
    return parts;
  }

  /** Runs {@code call} for 0..n-1 at once, one thread each; the answers in order. */
  public static <T> List<T> concurrently(int n, IntFunction<T> call)
      throws InterruptedException, ExecutionException {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      List<CompletableFuture<T>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        calls.add(CompletableFuture.supplyAsync(() -> call.apply(id), threads));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
      List<T> answers = new ArrayList<>();
      for (CompletableFuture<T> c : calls) {
        answers.add(c.get());
      }
      return answers;
    } finally {
      threads.shutdownNow();
    }
  }
}
