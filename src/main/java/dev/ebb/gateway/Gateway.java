package dev.ebb.gateway;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.config.GatewayConfig;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.LocalMetrics;
import dev.ebb.local.ModelServerWorkload;
import dev.ebb.local.PolicyRules;
import dev.ebb.sagemaker.RuntimeOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * SageMaker Runtime's InvokeEndpoint in front of backend local's copies (and, for endpoints on
 * SageMaker, {@link SageMakerPassThrough}): {@code POST /endpoints/{EndpointName}/invocations},
 * with its request and response headers. A request goes to the component's ready copy with the
 * fewest requests in flight; at zero copies it is held (bounded per component), the policy engine
 * hears the demand at once, and held requests go out as copies become ready. Too many held → 429,
 * no copy within the cold-start timeout → 504, the copy failing → 502, a body over the limit → 413;
 * the model's own errors come back as SageMaker's ModelError.
 */
@ApplicationScoped
public class Gateway {
  static final String COMPONENT_HEADER = "X-Amzn-SageMaker-Inference-Component";

  /** Routing-context key: the SageMaker Runtime operation called. */
  private static final String OPERATION = "ebb.operation";

  /**
   * Request headers passed on to SageMaker only: routing among variants, and InvokeEndpointAsync's
   * (backend local reads these itself).
   */
  private static final List<String> SAGEMAKER_ONLY =
      List.of(
          "X-Amzn-SageMaker-Target-Variant",
          "X-Amzn-SageMaker-Content-Type",
          "X-Amzn-SageMaker-Accept",
          "X-Amzn-SageMaker-InputLocation",
          "X-Amzn-SageMaker-RequestTTLSeconds",
          "X-Amzn-SageMaker-InvocationTimeoutSeconds");

  /** Request headers SageMaker passes on to the model server. */
  private static final List<String> FORWARDED =
      List.of(
          "Content-Type",
          "Accept",
          "X-Amzn-SageMaker-Custom-Attributes",
          "X-Amzn-SageMaker-Target-Model",
          "X-Amzn-SageMaker-Inference-Id");

  private final Vertx vertx;
  private final Directory directory;
  private final LocalMetrics metrics;
  private final GatewayConfig config;
  private final MeterRegistry registry;
  private final SageMakerPassThrough passThrough;
  private final Authenticator authenticator;
  private final AsyncInvocations asyncInvocations;
  private final Peers peers;
  private final ApiKeySecrets apiKeySecrets;
  private final CopyProbes probes;
  private final Map<ComponentKey, ComponentRoute<Held>> routes = new ConcurrentHashMap<>();
  private final Map<ComponentKey, Long> sampledInvocations = new ConcurrentHashMap<>();
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
  private HttpClient upstream;
  private long sampler = -1;
  private long secretSweeper = -1;

  public Gateway(
      Vertx vertx,
      Directory directory,
      LocalMetrics metrics,
      GatewayConfig config,
      MeterRegistry registry,
      SageMakerPassThrough passThrough,
      Authenticator authenticator,
      ApiKeySecrets apiKeySecrets,
      AsyncInvocations asyncInvocations,
      Peers peers,
      CopyProbes probes) {
    this.probes = probes;
    this.asyncInvocations = asyncInvocations;
    this.peers = peers;
    this.passThrough = passThrough;
    this.authenticator = authenticator;
    this.apiKeySecrets = apiKeySecrets;
    this.vertx = vertx;
    this.directory = directory;
    this.metrics = metrics;
    this.config = config;
    this.registry = registry;
  }

  /**
   * Something waiting for (or on its way to) a copy: a client's request, or a call the gateway
   * makes itself (an asynchronous invocation). Its methods run on its own Vert.x context.
   */
  private abstract static class Held {
    final Context context;
    final Directory.Local target;
    final Duration holdFor;
    final long startedNanos = System.nanoTime();
    long deadline = -1;

    Held(Context context, Directory.Local target, Duration holdFor) {
      this.context = context;
      this.target = target;
      this.holdFor = holdFor;
    }

    /** A copy is ready for it. */
    abstract void send(ComponentRoute<Held> route, ComponentRoute.Copy copy);

    /** No copy became ready within {@link #holdFor}. */
    abstract void expired();

    /** Its component was deleted while it waited. */
    abstract void componentGone();
  }

  /** A client's request. */
  private final class HeldRequest extends Held {
    final RoutingContext request;

    HeldRequest(RoutingContext request, Context context, Directory.Local target) {
      super(context, target, target.coldStartTimeout());
      this.request = request;
    }

    @Override
    void send(ComponentRoute<Held> route, ComponentRoute.Copy copy) {
      forward(request, route, copy, target, startedNanos);
    }

    @Override
    void expired() {
      RuntimeErrors.send(
          request.response(),
          504,
          "ModelNotReadyException",
          "No copy of "
              + target.component().name()
              + " became ready within "
              + holdFor.toSeconds()
              + " s.");
    }

    @Override
    void componentGone() {
      RuntimeErrors.send(
          request.response(),
          400,
          "ValidationError",
          "Inference Component " + target.component().name() + " was deleted.");
    }
  }

  /** A call the gateway makes itself; its answer completes {@code answer}. */
  private final class HeldCall extends Held {
    final Map<String, String> headers;
    final java.util.function.Supplier<Future<Buffer>> body;
    final Duration timeout;
    final Promise<Answer> answer = Promise.promise();

    HeldCall(
        Context context,
        Directory.Local target,
        Duration holdFor,
        Map<String, String> headers,
        java.util.function.Supplier<Future<Buffer>> body,
        Duration timeout) {
      super(context, target, holdFor);
      this.headers = headers;
      this.body = body;
      this.timeout = timeout;
    }

    @Override
    void send(ComponentRoute<Held> route, ComponentRoute.Copy copy) {
      body.get()
          .compose(b -> call(copy, headers, b, timeout))
          .onComplete(
              done -> {
                route.release(copy);
                requestTimer(
                        target.component(),
                        done.succeeded() ? String.valueOf(done.result().status()) : "failed")
                    .record(
                        System.nanoTime() - startedNanos,
                        java.util.concurrent.TimeUnit.NANOSECONDS);
                answer.handle(done);
              });
    }

    @Override
    void expired() {
      answer.fail(
          new NoCopyException(
              "No copy of "
                  + target.component().name()
                  + " became ready within "
                  + holdFor.toSeconds()
                  + " s."));
    }

    @Override
    void componentGone() {
      answer.fail(
          new NoCopyException(
              "Inference Component " + target.component().name() + " was deleted."));
    }
  }

  /** A call found no copy: none became ready in time, or the component went. */
  static final class NoCopyException extends RuntimeException {
    NoCopyException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Sends a request the gateway makes itself to a ready copy of {@code target}, holding it up to
   * {@code holdFor} while there is none (the demand wakes the component as a client's request
   * does). {@code body} is asked for only once a copy is ready, so waiting calls hold no payload.
   * Fails with {@link NoCopyException}, or with the copy's failure.
   */
  Future<Answer> call(
      Directory.Local target,
      Map<String, String> headers,
      java.util.function.Supplier<Future<Buffer>> body,
      Duration holdFor,
      Duration timeout) {
    ComponentRoute<Held> route = route(target.component());
    metrics.of(target.component()).requestArrived();
    HeldCall held =
        new HeldCall(vertx.getOrCreateContext(), target, holdFor, headers, body, timeout);
    var admission = route.admit(held, Integer.MAX_VALUE);
    if (admission instanceof ComponentRoute.ToCopy toCopy) {
      held.send(route, toCopy.copy());
    } else {
      held(held, route);
    }
    return held.answer.future();
  }

  void start(@Observes StartupEvent startup) {
    upstream =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(config.connectionsPerCopy()));
    probes.start(this::holding, this::copiesChanged);
    directory.start(this::copiesChanged, this::componentGone);
    sampler = vertx.setPeriodic(1_000, id -> sample());
    // Secrets no endpoint names any more stop being watched.
    secretSweeper =
        vertx.setPeriodic(60_000, id -> apiKeySecrets.retainOnly(directory.apiKeySecrets()));
  }

  void routes(@Observes Router router) {
    for (RuntimeOperation operation : RuntimeOperation.values()) {
      router
          .post("/endpoints/:endpoint" + operation.path())
          .handler(BodyHandler.create(false).setBodyLimit(config.maxPayloadBytes()))
          .handler(
              request -> {
                request.put(OPERATION, operation);
                invoke(request);
              })
          .failureHandler(this::tooLarge);
    }
  }

  private void tooLarge(RoutingContext failed) {
    if (failed.statusCode() == 413) {
      RuntimeErrors.send(
          failed.response(),
          413,
          "ValidationError",
          "Request payload exceeds the "
              + config.maxPayloadBytes()
              + "-byte limit for real-time inference.");
    } else {
      failed.next();
    }
  }

  /**
   * Authenticates by the endpoint's access rules first (an unknown endpoint has none: it is
   * answered as SageMaker does), then routes.
   */
  private void invoke(RoutingContext request) {
    String name = request.pathParam("endpoint");
    Directory.Lookup lookup =
        directory.lookup(
            name,
            request.request().getHeader(COMPONENT_HEADER),
            request.request().getHeader("X-Amzn-SageMaker-Target-Variant"));
    if (lookup.endpoint().isEmpty()) {
      RuntimeErrors.send(
          request.response(), 400, "ValidationError", "Endpoint " + name + " not found.");
      return;
    }
    InferenceEndpoint endpoint = lookup.endpoint().get();
    if (endpoint.getSpec().access() == null) {
      route(request, endpoint, name, lookup.route());
      return;
    }
    Context context = vertx.getOrCreateContext();
    authenticator
        .check(endpoint, name, request.request().headers())
        .onSuccess(
            verdict -> {
              // Verdicts may be shared by requests of other event loops: go back to this one.
              Runnable next =
                  verdict instanceof Authenticator.Refused refused
                      ? () -> refuse(request, refused)
                      : () -> route(request, endpoint, name, lookup.route());
              if (Vertx.currentContext() == context) {
                next.run();
              } else {
                context.runOnContext(v -> next.run());
              }
            });
  }

  private static void refuse(RoutingContext request, Authenticator.Refused refused) {
    if (refused.status() == 401) {
      request.response().putHeader("WWW-Authenticate", "Bearer realm=\"ebb\"");
    }
    RuntimeErrors.send(request.response(), refused.status(), refused.code(), refused.message());
  }

  private void route(
      RoutingContext request,
      InferenceEndpoint endpoint,
      String name,
      Directory.Resolution resolution) {
    if (resolution instanceof Directory.Invalid invalid) {
      RuntimeErrors.send(request.response(), 400, "ValidationError", invalid.message());
      return;
    }
    RuntimeOperation operation = request.get(OPERATION);
    if (resolution instanceof Directory.SageMaker sagemaker) {
      Map<String, String> headers = forwarded(request);
      for (String header : SAGEMAKER_ONLY) {
        Optional.ofNullable(request.request().getHeader(header))
            .ifPresent(v -> headers.put(header, v));
      }
      sagemaker.component().ifPresent(c -> headers.put(COMPONENT_HEADER, c));
      passThrough.invoke(request, sagemaker, operation, headers);
      return;
    }
    Directory.Local target = (Directory.Local) resolution;
    if (operation == RuntimeOperation.INVOKE_ENDPOINT_ASYNC) {
      asyncInvocations.accept(request, endpoint, name, target);
      return;
    }
    ComponentRoute<Held> route = route(target.component());
    metrics.of(target.component()).requestArrived();
    HeldRequest held = new HeldRequest(request, vertx.getOrCreateContext(), target);
    var admission = route.admit(held, target.maxQueuedRequests());
    if (admission instanceof ComponentRoute.ToCopy toCopy) {
      forward(request, route, toCopy.copy(), target, held.startedNanos);
    } else if (admission instanceof ComponentRoute.Full) {
      tooManyHeld(request, target);
    } else {
      // The client left before a copy was ready: the request is not sent anywhere.
      request
          .response()
          .closeHandler(
              closed -> {
                if (route.unhold(held)) {
                  vertx.cancelTimer(held.deadline);
                  demandChanged(target.component(), route);
                }
              });
      held(held, route);
    }
  }

  /** The request headers SageMaker passes on ({@link #FORWARDED}) that the client sent. */
  private static Map<String, String> forwarded(RoutingContext request) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    MultiMap in = request.request().headers();
    for (String header : FORWARDED) {
      String value = in.get(header);
      if (value != null) {
        headers.put(header, value);
      }
    }
    return headers;
  }

  private static void tooManyHeld(RoutingContext request, Directory.Local target) {
    request.response().putHeader("Retry-After", "10");
    RuntimeErrors.send(
        request.response(),
        429,
        "ModelNotReadyException",
        target.maxQueuedRequests()
            + " requests are already waiting for a copy of "
            + target.component().name()
            + " to start; retry later.");
  }

  /** Something is held: it expires after its hold time (a client's request also if it leaves). */
  private void held(Held held, ComponentRoute<Held> route) {
    Directory.Local target = held.target;
    held.deadline =
        vertx.setTimer(
            held.holdFor.toMillis(),
            id -> {
              if (route.unhold(held)) {
                demandChanged(target.component(), route);
                held.expired();
              }
            });
    if (route.held() == 1) {
      Counter.builder("ebb.gateway.wakes")
          .description("Requests that found a component at zero copies and woke it")
          .tags(tags(target.component()))
          .register(registry)
          .increment();
    }
    demandChanged(target.component(), route);
    probes.probeWhileHolding(target.component());
  }

  /** Whether requests are held for {@code component} now. */
  private boolean holding(ComponentKey component) {
    ComponentRoute<Held> route = routes.get(component);
    return route != null && route.held() > 0;
  }

  /** The policy engine hears every change of held demand; a positive count is a wake signal. */
  private void demandChanged(ComponentKey component, ComponentRoute<Held> route) {
    int held = route.held();
    metrics.holding(component, held);
    peers.demandChanged(component, held);
  }

  /**
   * A component was deleted: its held requests are answered now rather than at their deadline, and
   * its routing state and meters go.
   */
  private void componentGone(ComponentKey component) {
    ComponentRoute<Held> route = routes.remove(component);
    probes.forget(component);
    metrics.forget(component);
    sampledInvocations.remove(component);
    registry
        .find("ebb.gateway.held.requests")
        .tags(tags(component))
        .meters()
        .forEach(registry::remove);
    if (route == null) {
      return;
    }
    for (Held held : route.releaseAll()) {
      vertx.cancelTimer(held.deadline);
      held.context.runOnContext(v -> held.componentGone());
    }
  }

  /**
   * From the pod watch, or a probe that found a starting copy answering: hands every held request
   * to the copies that are now routable.
   */
  private void copiesChanged(ComponentKey component) {
    ComponentRoute<Held> route = route(component);
    List<ComponentRoute.Dispatch<Held>> dispatches;
    // Both callers may run at once: reading the copies and applying them is one step, so an older
    // reading never overwrites a newer one.
    synchronized (route) {
      dispatches = route.copiesAre(probes.routable(component));
    }
    if (dispatches.isEmpty()) {
      return;
    }
    demandChanged(component, route);
    for (var dispatch : dispatches) {
      Held held = dispatch.request();
      vertx.cancelTimer(held.deadline);
      held.context.runOnContext(v -> held.send(route, dispatch.copy()));
    }
  }

  /** POST /invocations to {@code copy}: the model server's answer as it starts to arrive. */
  private Future<io.vertx.core.http.HttpClientResponse> post(
      ComponentRoute.Copy copy, Map<String, String> headers, Buffer body, Duration timeout) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(copy.address)
            .setPort(ModelServerWorkload.PORT)
            .setURI("/invocations")
            .setIdleTimeout(timeout.toMillis());
    headers.forEach(options::putHeader);
    return upstream
        .request(options)
        .compose(call -> call.send(body == null ? Buffer.buffer() : body));
  }

  /** {@link #post}, with the whole answer read. */
  private Future<Answer> call(
      ComponentRoute.Copy copy, Map<String, String> headers, Buffer body, Duration timeout) {
    return post(copy, headers, body, timeout)
        .compose(
            answer -> answer.body().map(b -> new Answer(answer.statusCode(), answer.headers(), b)));
  }

  private void forward(
      RoutingContext request,
      ComponentRoute<Held> route,
      ComponentRoute.Copy copy,
      Directory.Local target,
      long startedNanos) {
    Map<String, String> headers = forwarded(request);
    Buffer body = request.body().buffer();
    if (request.get(OPERATION) == RuntimeOperation.INVOKE_ENDPOINT_WITH_RESPONSE_STREAM) {
      post(copy, headers, body, config.requestTimeout())
          .onComplete(done -> stream(request, route, copy, target, startedNanos, done));
      return;
    }
    call(copy, headers, body, config.requestTimeout())
        .onComplete(
            done -> {
              route.release(copy);
              if (done.succeeded()) {
                respond(request, done.result(), target);
              } else {
                upstreamFailed(request, done.cause(), target);
              }
              requestTimer(
                      target.component(),
                      done.succeeded() ? String.valueOf(done.result().status()) : "failed")
                  .record(
                      System.nanoTime() - startedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            });
  }

  /** A model server's whole answer. */
  record Answer(int status, MultiMap headers, Buffer body) {}

  /**
   * InvokeEndpointWithResponseStream: the model's answer is relayed chunk by chunk as it arrives,
   * each chunk one PayloadPart event of AWS's event-stream framing.
   */
  private void stream(
      RoutingContext request,
      ComponentRoute<Held> route,
      ComponentRoute.Copy copy,
      Directory.Local target,
      long startedNanos,
      io.vertx.core.AsyncResult<io.vertx.core.http.HttpClientResponse> done) {
    java.util.concurrent.atomic.AtomicBoolean finished =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.function.Consumer<String> finish =
        outcome -> {
          if (finished.compareAndSet(false, true)) {
            route.release(copy);
            requestTimer(target.component(), outcome)
                .record(
                    System.nanoTime() - startedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
          }
        };
    if (done.failed()) {
      finish.accept("failed");
      upstreamFailed(request, done.cause(), target);
      return;
    }
    var answer = done.result();
    if (answer.statusCode() / 100 != 2) {
      answer
          .body()
          .onComplete(
              b -> {
                finish.accept(String.valueOf(answer.statusCode()));
                respond(
                    request,
                    new Answer(
                        answer.statusCode(),
                        answer.headers(),
                        b.succeeded() ? b.result() : Buffer.buffer()),
                    target);
              });
      return;
    }
    var response = request.response();
    String type = answer.headers().get("Content-Type");
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", EventStream.CONTENT_TYPE)
        .putHeader(
            "X-Amzn-SageMaker-Content-Type", type == null ? "application/octet-stream" : type)
        .putHeader("x-Amzn-Invoked-Production-Variant", target.variant());
    String attributes = answer.headers().get("X-Amzn-SageMaker-Custom-Attributes");
    if (attributes != null) {
      response.putHeader("X-Amzn-SageMaker-Custom-Attributes", attributes);
    }
    answer.handler(chunk -> response.write(EventStream.payloadPart(chunk)));
    answer.exceptionHandler(
        failure -> {
          finish.accept("failed");
          if (!response.ended()) {
            response.end(
                EventStream.modelStreamError("The model's stream failed: " + failure.getMessage()));
          }
        });
    answer.endHandler(
        end -> {
          finish.accept("200");
          if (!response.ended()) {
            response.end();
          }
        });
  }

  private record TimerKey(ComponentKey component, String outcome) {}

  /** The request timer of a component and outcome, looked up once (this runs per request). */
  private Timer requestTimer(ComponentKey component, String outcome) {
    return timers.computeIfAbsent(
        new TimerKey(component, outcome),
        key ->
            Timer.builder("ebb.gateway.requests")
                .description("Requests answered by the gateway, from arrival (held time included)")
                .tags(tags(component))
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry));
  }

  private static void respond(RoutingContext request, Answer answer, Directory.Local target) {
    var response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (answer.status() / 100 != 2) {
      String message = answer.body().toString();
      RuntimeErrors.send(
          response,
          424,
          "ModelError",
          "Received client error ("
              + answer.status()
              + ") from the model in component "
              + target.component().name()
              + " with message \""
              + message
              + "\".",
          Map.of("OriginalStatusCode", answer.status(), "OriginalMessage", message));
      return;
    }
    String type = answer.headers().get("Content-Type");
    response
        .setStatusCode(200)
        .putHeader("Content-Type", type == null ? "application/octet-stream" : type)
        .putHeader("x-Amzn-Invoked-Production-Variant", target.variant())
        // Random but not SecureRandom: a request id needs no secrecy, and SecureRandom contends.
        .putHeader(
            "x-amzn-RequestId",
            new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong())
                .toString());
    String attributes = answer.headers().get("X-Amzn-SageMaker-Custom-Attributes");
    if (attributes != null) {
      response.putHeader("X-Amzn-SageMaker-Custom-Attributes", attributes);
    }
    response.end(answer.body());
  }

  private void upstreamFailed(RoutingContext request, Throwable cause, Directory.Local target) {
    if (cause instanceof TimeoutException
        || cause instanceof io.netty.handler.timeout.TimeoutException) {
      RuntimeErrors.send(
          request.response(),
          504,
          "ModelError",
          "The model in component "
              + target.component().name()
              + " did not answer within "
              + config.requestTimeout().toSeconds()
              + " s.");
      return;
    }
    RuntimeErrors.send(
        request.response(),
        502,
        "InternalDependencyException",
        "The copy of "
            + target.component().name()
            + " the request was sent to failed: "
            + cause.getMessage());
  }

  private ComponentRoute<Held> route(ComponentKey component) {
    return routes.computeIfAbsent(
        component,
        key -> {
          ComponentRoute<Held> route = new ComponentRoute<>();
          route.copiesAre(probes.routable(key));
          io.micrometer.core.instrument.Gauge.builder(
                  "ebb.gateway.held.requests", route, ComponentRoute::held)
              .description("Requests held waiting for a copy")
              .tags(tags(key))
              .register(registry);
          return route;
        });
  }

  /**
   * Once a second, what the policy engine tracks per component: concurrent requests per copy and
   * invocations per copy (per minute, as SageMaker counts them).
   */
  private void sample() {
    routes.forEach(
        (component, route) -> {
          long invocations = route.invocations();
          long previous = sampledInvocations.getOrDefault(component, invocations);
          sampledInvocations.put(component, invocations);
          // Per copy as the policy engine counts copies: by their pods' Ready condition. A copy
          // routable only by the gateway's probe adds its requests, not a copy (nor, while no
          // copy is Ready, a sample: as before a wake completes).
          int ready = directory.readyCopies(component).size();
          if (ready == 0) {
            return;
          }
          var recorded = metrics.of(component);
          recorded.record(
              PolicyRules.CONCURRENT_REQUESTS_PER_COPY, (double) route.outstanding() / ready);
          recorded.record(
              PolicyRules.INVOCATIONS_PER_COPY, (invocations - previous) * 60.0 / ready);
        });
  }

  private static List<io.micrometer.core.instrument.Tag> tags(ComponentKey component) {
    return List.of(
        io.micrometer.core.instrument.Tag.of("namespace", component.namespace()),
        io.micrometer.core.instrument.Tag.of("component", component.name()));
  }

  @PreDestroy
  void stop() {
    if (sampler >= 0) {
      vertx.cancelTimer(sampler);
      vertx.cancelTimer(secretSweeper);
    }
    if (upstream != null) {
      upstream.close();
    }
  }
}
