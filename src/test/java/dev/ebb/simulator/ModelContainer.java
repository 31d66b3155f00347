package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The model container a batch transform job sends its mini-batches to, under SageMaker's container
 * contract for batch transform ("Use your own inference code with batch transform"): {@code GET
 * /ping}, optionally {@code GET /execution-parameters}, and {@code POST /invocations}.
 *
 * <p>The simulator's default is {@link #echo()}, which answers every request with its own body and
 * content type, as the simulated endpoints do. A test plugs in {@link #of} (a function) or {@link
 * #http} (the base URL of a real model server, such as one started on a node), through {@link
 * SageMakerSimulator#modelContainer(ModelContainer)} or {@link
 * SageMakerSimulator#modelContainer(String, ModelContainer)}, so the same transform can run on the
 * simulator and on a real container and their outputs be compared byte for byte.
 */
public interface ModelContainer {
  /**
   * One {@code POST /invocations}: a mini-batch with the job's input ContentType and output Accept.
   * {@code environment} is what SageMaker would set in the container (the model's and the job's
   * Environment, and the {@code SAGEMAKER_*} batch variables); an HTTP server already runs with its
   * own environment and does not receive it.
   */
  record Request(byte[] body, String contentType, String accept, Map<String, String> environment) {}

  /** The container's answer: an HTTP status, a body and its content type. */
  record Response(int status, byte[] body, String contentType) {
    public static Response ok(byte[] body, String contentType) {
      return new Response(200, body, contentType);
    }
  }

  /**
   * What {@code GET /execution-parameters} answers; any member may be null. {@code batchStrategy}
   * is {@code MULTI_RECORD} or {@code SINGLE_RECORD}, as the container contract spells it.
   */
  record ExecutionParameters(
      Integer maxConcurrentTransforms, String batchStrategy, Integer maxPayloadInMB) {}

  /** {@code POST /invocations}. An I/O failure is thrown as {@link UncheckedIOException}. */
  Response invoke(Request request, Duration timeout);

  /** {@code GET /ping}: whether the container answered 200. */
  default boolean ping() {
    return true;
  }

  /** {@code GET /execution-parameters}, or empty if the container does not implement it. */
  default Optional<ExecutionParameters> executionParameters() {
    return Optional.empty();
  }

  /** Answers each request with its body and content type (the default). */
  static ModelContainer echo() {
    return (request, timeout) ->
        Response.ok(
            request.body(),
            request.contentType() == null ? "application/octet-stream" : request.contentType());
  }

  /** A container that is a function: ping succeeds, no execution-parameters. */
  static ModelContainer of(Function<Request, Response> invocations) {
    return (request, timeout) -> invocations.apply(request);
  }

  /** A function container that also answers {@code GET /execution-parameters}. */
  static ModelContainer of(
      Function<Request, Response> invocations, ExecutionParameters executionParameters) {
    return new ModelContainer() {
      @Override
      public Response invoke(Request request, Duration timeout) {
        return invocations.apply(request);
      }

      @Override
      public Optional<ExecutionParameters> executionParameters() {
        return Optional.ofNullable(executionParameters);
      }
    };
  }

  /**
   * A real model server at {@code baseUrl} (say {@code http://10.0.0.7:8080}): the simulator calls
   * {@code baseUrl/ping}, {@code baseUrl/execution-parameters} and {@code baseUrl/invocations} with
   * the JDK's HTTP client. Ping has SageMaker's 2 s timeout; an invocation the job's
   * ModelClientConfig.InvocationsTimeoutInSeconds (default 600).
   */
  static ModelContainer http(URI baseUrl) {
    return new HttpModelContainer(baseUrl);
  }

  /** {@link ModelContainer#http}. */
  final class HttpModelContainer implements ModelContainer {
    private final URI base;
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpModelContainer(URI base) {
      String text = base.toString();
      this.base = URI.create(text.endsWith("/") ? text : text + "/");
    }

    @Override
    public Response invoke(Request request, Duration timeout) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve("invocations"))
              .timeout(timeout)
              .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
      if (request.contentType() != null) {
        b.header("Content-Type", request.contentType());
      }
      if (request.accept() != null) {
        b.header("Accept", request.accept());
      }
      HttpResponse<byte[]> r = send(b.build());
      return new Response(
          r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null));
    }

    @Override
    public boolean ping() {
      try {
        HttpRequest get =
            HttpRequest.newBuilder(base.resolve("ping")).timeout(Duration.ofSeconds(2)).build();
        return send(get).statusCode() == 200;
      } catch (UncheckedIOException e) {
        return false;
      }
    }

    @Override
    public Optional<ExecutionParameters> executionParameters() {
      HttpResponse<byte[]> r;
      try {
        r =
            send(
                HttpRequest.newBuilder(base.resolve("execution-parameters"))
                    .timeout(Duration.ofSeconds(10))
                    .build());
      } catch (UncheckedIOException e) {
        return Optional.empty();
      }
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      try {
        JsonNode n = Json.MAPPER.readTree(r.body());
        return Optional.of(
            new ExecutionParameters(
                n.hasNonNull("MaxConcurrentTransforms")
                    ? n.get("MaxConcurrentTransforms").asInt()
                    : null,
                n.hasNonNull("BatchStrategy") ? n.get("BatchStrategy").asText() : null,
                n.hasNonNull("MaxPayloadInMB") ? n.get("MaxPayloadInMB").asInt() : null));
      } catch (IOException e) {
        return Optional.empty(); // not the documented JSON object: as if not implemented
      }
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UncheckedIOException(new IOException("interrupted", e));
      }
    }

    @Override
    public String toString() {
      return "ModelContainer.http(" + base + ")";
    }
  }
}
