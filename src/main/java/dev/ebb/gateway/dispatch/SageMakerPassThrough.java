package dev.ebb.gateway.dispatch;

import dev.ebb.gateway.body.PayloadHandler;
import dev.ebb.gateway.copies.CopyRouter;
import dev.ebb.gateway.copies.Demand;
import dev.ebb.gateway.copies.HeldBytes;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.upstream.Answer;
import dev.ebb.gateway.upstream.SageMakerRuntimeClient;
import dev.ebb.local.ComponentKey;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backend sagemaker's upstream behind dispatch: requests are passed to SageMaker Runtime, signed
 * with SigV4. When SageMaker answers that a component has no capacity (it is at zero copies), the
 * gateway wakes it at once — it rings the policy's scale-from-zero alarm, so that Application Auto
 * Scaling takes the step now rather than when the alarm next evaluates — and holds the request,
 * retrying it once the component has copies again. Throttled answers are retried with backoff
 * rather than surfaced.
 *
 * <p>The request is held by a {@link CopyRouter}, the same class backend local's requests wait in,
 * over {@link SageMakerCopies}: to a client, waiting for a model to wake is one thing whichever
 * plane it is on, so the bound, the deadline, leaving, a deleted component and the meters behave
 * alike, from one implementation. What is SageMaker's own stays here: telling "no capacity" from a
 * client's ValidationError (DescribeInferenceComponent, never the error's text), the max capacity
 * in force (a component a schedule parks at max 0 is refused at once, not held), SageMaker
 * Runtime's lag behind DescribeInferenceComponent ({@link #ROUTING_LAG}), and throttling.
 */
@ApplicationScoped
public class SageMakerPassThrough {
  /**
   * After a woken component reports a copy, SageMaker Runtime may refuse it for moments more;
   * refusals are retried this long before they are taken at their word.
   */
  static final Duration ROUTING_LAG = Duration.ofSeconds(30);

  /** Throttled answers are retried for this long, backing off from 50 ms to 2 s. */
  static final Duration THROTTLE_RETRY = Duration.ofSeconds(30);

  /** Where requests go: SageMaker Runtime ({@link SageMakerRuntimeClient#send}), or a double. */
  @FunctionalInterface
  interface Upstream {
    Future<HttpClientResponse> send(
        Optional<String> region,
        String endpointName,
        RuntimeOperation operation,
        Map<String, String> headers,
        byte[] body);
  }

  private final Vertx vertx;
  private final Upstream runtime;
  private final SageMakerControl control;
  private final GatewayMeters meters;
  private final Clock clock;
  private final SageMakerCopies copies;
  private final CopyRouter router;

  @Inject
  public SageMakerPassThrough(
      Vertx vertx,
      AwsClients clients,
      SageMakerRuntimeClient runtime,
      GatewayMeters meters,
      Clock clock,
      HeldBytes heldBytes) {
    this(vertx, runtime::send, SageMakerControl.aws(clients, clock), meters, clock, heldBytes);
  }

  SageMakerPassThrough(
      Vertx vertx, Upstream runtime, SageMakerControl control, GatewayMeters meters, Clock clock) {
    this(vertx, runtime, control, meters, clock, HeldBytes.UNBOUNDED);
  }

  SageMakerPassThrough(
      Vertx vertx,
      Upstream runtime,
      SageMakerControl control,
      GatewayMeters meters,
      Clock clock,
      HeldBytes heldBytes) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.control = control;
    this.meters = meters;
    this.clock = clock;
    this.copies = new SageMakerCopies(vertx, control, meters, clock);
    // Nobody hears the demand: SageMaker counts its own invocations, and the wake is the copies'.
    this.router = new CopyRouter(vertx, copies, Demand.NONE, meters, heldBytes);
  }

  /** Starts the router requests are held in. */
  public void start() {
    router.start();
  }

  /** A component was deleted: the requests held for it are answered now. */
  public void componentGone(ComponentKey component) {
    router.componentGone(component);
  }

  @PreDestroy
  void stop() {
    router.stop();
  }

  /**
   * Passes {@code request} to SageMaker Runtime's {@code operation}: InvokeEndpoint, its response
   * stream (relayed as SageMaker frames it, chunk by chunk), or InvokeEndpointAsync (SageMaker
   * queues it and answers 202).
   */
  void invoke(
      RoutingContext request,
      Resolution.SageMaker target,
      RuntimeOperation operation,
      Map<String, String> headers) {
    Buffer body = PayloadHandler.of(request);
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    attempt(new Call(request, target, operation, headers, bytes, clock.instant(), null), 0);
  }

  /** One client request on its way through SageMaker Runtime. */
  private record Call(
      RoutingContext request,
      Resolution.SageMaker target,
      RuntimeOperation operation,
      Map<String, String> headers,
      byte[] body,
      Instant arrived,
      Instant released) {
    /** Sent again now that the component has a copy. */
    Call releasedAt(Instant now) {
      return new Call(request, target, operation, headers, body, arrived, now);
    }

    /** Just released from holding: SageMaker Runtime may not route to the new copy yet. */
    boolean settling(Clock clock) {
      return released != null && clock.instant().isBefore(released.plus(ROUTING_LAG));
    }
  }

  private void attempt(Call call, int throttled) {
    runtime
        .send(
            call.target().region(),
            call.target().endpointName(),
            call.operation(),
            call.headers(),
            call.body())
        .compose(
            r -> {
              if (r.statusCode() / 100 == 2
                  && call.operation() == RuntimeOperation.INVOKE_ENDPOINT_WITH_RESPONSE_STREAM) {
                return relayStream(call, r).map((Answer) null);
              }
              return Answer.read(r);
            })
        .onComplete(
            done -> {
              var response = call.request().response();
              if (done.failed() && done.cause() instanceof SageMakerRuntimeClient.SigningFailed) {
                RuntimeError.signingFailed(done.cause()).send(response);
              } else if (done.failed() && response.headWritten()) {
                response.reset(); // a stream broke midway: the client must see it did not end
              } else if (done.failed()) {
                RuntimeError.sageMakerUnreachable(done.cause()).send(response);
              } else if (done.result() != null) {
                answered(call, done.result(), throttled);
              }
            });
  }

  /**
   * A response stream from SageMaker: already in AWS's event-stream framing, so its bytes are
   * passed on as they arrive, never buffered whole.
   */
  private static Future<Void> relayStream(Call call, HttpClientResponse answer) {
    var response = call.request().response();
    if (response.ended() || response.closed()) {
      return answer.end();
    }
    response.setStatusCode(answer.statusCode()).setChunked(true);
    copyHeaders(answer.headers(), response);
    return answer.pipeTo(response);
  }

  /** SageMaker's error code: from {@code x-amzn-ErrorType}, else the body's {@code __type}. */
  static String errorCode(Answer answer) {
    String header = answer.headers().get("x-amzn-ErrorType");
    if (header != null) {
      return header.split(":")[0];
    }
    try {
      JsonObject json = answer.body().toJsonObject();
      String type = json.getString("__type", json.getString("code", ""));
      return type.contains("#") ? type.substring(type.indexOf('#') + 1) : type;
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  static String errorMessage(Answer answer) {
    try {
      JsonObject json = answer.body().toJsonObject();
      return json.getString("message", json.getString("Message", ""));
    } catch (RuntimeException notJson) {
      return answer.body().toString();
    }
  }

  private void answered(Call call, Answer answer, int throttled) {
    if (answer.status() / 100 == 2) {
      relay(call, answer);
      return;
    }
    String code = errorCode(answer);
    boolean throttling =
        "ThrottlingException".equals(code)
            || (answer.status() == 400 && code.isEmpty() && errorMessage(answer).isEmpty());
    if (throttling && clock.instant().isBefore(call.arrived().plus(THROTTLE_RETRY))) {
      long backoff = Math.min(2_000, 50L << Math.min(throttled, 6));
      vertx.setTimer(backoff, id -> attempt(call, throttled + 1));
      return;
    }
    if ("ValidationError".equals(code) && call.target().component().isPresent()) {
      if (call.settling(clock)) {
        // Woken, but SageMaker Runtime does not route to the new copy yet (it lags
        // DescribeInferenceComponent by moments): try again shortly.
        vertx.setTimer(SageMakerCopies.WAKE_POLL.toMillis(), id -> attempt(call, 0));
      } else {
        checkCapacity(call, answer);
      }
      return;
    }
    relay(call, answer);
  }

  /**
   * A ValidationError for a component: if SageMaker reports the component at zero copies, this was
   * "no capacity" — wake it and hold the request; otherwise the error is the client's.
   */
  private void checkCapacity(Call call, Answer answer) {
    String component = call.target().component().get();
    vertx
        .<Optional<Integer>>executeBlocking(() -> control.copies(call.target()))
        .onComplete(
            described -> {
              boolean atZero =
                  described.succeeded()
                      && described.result().isPresent()
                      && Integer.valueOf(0).equals(described.result().get());
              if (atZero && call.target().parked().isPresent()) {
                // Ebb's policy cannot wake it: SageMaker's answer stands, with Ebb's reason.
                RuntimeError.parked(call.target().parked().get()).send(call.request().response());
              } else if (atZero && call.target().wake().isPresent()) {
                wakeOrRefuse(call);
              } else if (atZero) {
                hold(call); // no policy of Ebb's: someone else's scaling may add a copy
              } else {
                relay(call, answer);
              }
            });
  }

  /**
   * Holds the request and wakes the component, unless the max capacity in force is 0 (a schedule
   * parked it): then nothing may start a copy, and the request is answered at once.
   */
  private void wakeOrRefuse(Call call) {
    String component = call.target().component().get();
    vertx
        .<Optional<Integer>>executeBlocking(() -> control.maxCapacity(call.target()))
        .onComplete(
            max -> {
              int inForce =
                  max.succeeded() && max.result().isPresent()
                      ? max.result().get()
                      : call.target().wake().get().maxCapacity();
              if (inForce == 0) {
                meters.sageMakerParked(component);
                RuntimeError.parked(
                        "Its ScalingPolicy "
                            + call.target().wake().get().policy()
                            + " holds it at max capacity 0 (a scheduled action) until a schedule"
                            + " raises it.")
                    .send(call.request().response());
              } else {
                hold(call);
              }
            });
  }

  /**
   * Holds the request until the component has a copy (then it is sent again), up to the cold-start
   * timeout from its arrival; the router's first hold wakes the component.
   */
  private void hold(Call call) {
    Resolution.SageMaker target = call.target();
    ComponentKey component = heldAs(target);
    copies.noCopy(component, target);
    Duration left =
        Duration.between(clock.instant(), call.arrived().plus(target.coldStartTimeout()));
    var outcome =
        router.route(
            component,
            target.maxQueuedRequests(),
            left.toMillis() < 1 ? Duration.ofMillis(1) : left,
            new HeldCall(call));
    if (outcome instanceof CopyRouter.Full full) {
      (full.bound() == CopyRouter.Bound.BYTES
              ? RuntimeError.tooManyHeldBytes(target.component().get())
              : RuntimeError.tooManyHeld(target.maxQueuedRequests(), target.component().get()))
          .send(call.request().response());
    } else if (outcome instanceof CopyRouter.Held held) {
      // The client left before a copy came: the request is not sent again.
      call.request().response().closeHandler(closed -> held.cancel());
    }
  }

  /**
   * What requests for {@code target}'s component are held under: its object, when Ebb manages it
   * (so that its deletion answers them); else its name in its region, as SageMaker knows it, in no
   * namespace (so no object's).
   */
  static ComponentKey heldAs(Resolution.SageMaker target) {
    return target
        .object()
        .orElseGet(
            () ->
                new ComponentKey("", target.region().orElse("") + "/" + target.component().get()));
  }

  /** A request held for its component's copy. */
  private final class HeldCall implements CopyRouter.Waiter {
    private final Call call;

    HeldCall(Call call) {
      this.call = call;
    }

    /** The component has a copy: the request goes to SageMaker Runtime again. */
    @Override
    public void send(CopyRouter.Lease lease) {
      lease.release(); // SageMaker spreads requests over its copies: the count is nobody's
      attempt(call.releasedAt(clock.instant()), 0);
    }

    @Override
    public void expired(Duration heldFor) {
      RuntimeError.noCopyInTime(call.target().component().get(), call.target().coldStartTimeout())
          .send(call.request().response());
    }

    @Override
    public void componentGone() {
      RuntimeError.componentDeleted(call.target().component().get())
          .send(call.request().response());
    }

    @Override
    public long bytes() {
      return call.body().length;
    }
  }

  private static void relay(Call call, Answer answer) {
    var response = call.request().response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(answer.status());
    copyHeaders(answer.headers(), response);
    response.end(answer.body());
  }

  /** SageMaker Runtime's response headers a client reads. */
  private static final List<String> RELAYED =
      List.of(
          "Content-Type",
          "x-Amzn-Invoked-Production-Variant",
          "X-Amzn-SageMaker-Custom-Attributes",
          "X-Amzn-SageMaker-Content-Type",
          "X-Amzn-SageMaker-OutputLocation",
          "X-Amzn-SageMaker-FailureLocation",
          "X-Amzn-SageMaker-Closed-Session-Id",
          "X-Amzn-SageMaker-New-Session-Id",
          "x-amzn-RequestId",
          "x-amzn-ErrorType");

  private static void copyHeaders(MultiMap from, HttpServerResponse to) {
    for (String header : RELAYED) {
      String value = from.get(header);
      if (value != null) {
        to.putHeader(header, value);
      }
    }
  }
}
