package dev.ebb.gateway.dispatch;

import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.upstream.Answer;
import dev.ebb.gateway.upstream.SageMakerRuntimeClient;
import dev.ebb.sagemaker.AwsCallException;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.RuntimeOperation;
import dev.ebb.sagemaker.SageMakerComponents;
import dev.ebb.sagemaker.ScalableTargets;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Backend sagemaker's upstream behind dispatch: requests are passed to SageMaker Runtime, signed
 * with SigV4. When SageMaker answers that a component has no capacity (it is at zero copies), the
 * gateway wakes it at once — the scale-from-zero step its policy's alarm would take a minute later,
 * within max capacity and the cooldown — and holds the request, retrying it once the component has
 * copies again. Throttled answers are retried with backoff rather than surfaced.
 */
@ApplicationScoped
public class SageMakerPassThrough {
  private static final Logger LOG = Logger.getLogger(SageMakerPassThrough.class);

  /** How often a waking component's copies are looked at (one DescribeInferenceComponent). */
  static final Duration WAKE_POLL = Duration.ofSeconds(1);

  /**
   * After a woken component reports a copy, SageMaker Runtime may refuse it for moments more;
   * refusals are retried this long before they are taken at their word.
   */
  static final Duration ROUTING_LAG = Duration.ofSeconds(30);

  /** Throttled answers are retried for this long, backing off from 50 ms to 2 s. */
  static final Duration THROTTLE_RETRY = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final AwsClients clients;
  private final SageMakerRuntimeClient runtime;
  private final GatewayMeters meters;
  private final Clock clock;
  private final Map<String, Waking> waking = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastWake = new ConcurrentHashMap<>();

  public SageMakerPassThrough(
      Vertx vertx,
      AwsClients clients,
      SageMakerRuntimeClient runtime,
      GatewayMeters meters,
      Clock clock) {
    this.vertx = vertx;
    this.clients = clients;
    this.runtime = runtime;
    this.meters = meters;
    this.clock = clock;
  }

  /** Requests held for one SageMaker component while it has no copy. */
  private final class Waking {
    final Resolution.SageMaker target;
    final List<Runnable> waiting = new ArrayList<>();
    long poller = -1;

    Waking(Resolution.SageMaker target) {
      this.target = target;
    }
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
    Buffer body = request.body().buffer();
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
        vertx.setTimer(WAKE_POLL.toMillis(), id -> attempt(call, 0));
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
        .<Optional<Integer>>executeBlocking(
            () -> components(call.target()).describe(component).map(d -> d.currentCopies()))
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
        .<Optional<Integer>>executeBlocking(
            () -> targets(call.target()).componentMaxCapacity(component))
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
                hold(call, inForce);
              }
            });
  }

  private void hold(Call call) {
    hold(call, Integer.MAX_VALUE);
  }

  private void hold(Call call, int maxInForce) {
    String key = key(call.target());
    Waking w = waking.computeIfAbsent(key, k -> new Waking(call.target()));
    synchronized (w) {
      if (w.waiting.size() >= call.target().maxQueuedRequests()) {
        RuntimeError.tooManyWaking(
                call.target().maxQueuedRequests(), call.target().component().get())
            .send(call.request().response());
        return;
      }
      long deadline =
          Duration.between(clock.instant(), call.arrived().plus(call.target().coldStartTimeout()))
              .toMillis();
      Runnable[] self = new Runnable[1];
      long timer =
          vertx.setTimer(
              Math.max(1, deadline),
              id -> {
                boolean expired;
                synchronized (w) {
                  expired = w.waiting.remove(self[0]);
                  if (w.waiting.isEmpty()) {
                    stopPolling(w); // nobody waits: no more DescribeInferenceComponent calls
                  }
                }
                if (expired) {
                  RuntimeError.noSageMakerCopyInTime(
                          call.target().component().get(), call.target().coldStartTimeout())
                      .send(call.request().response());
                }
              });
      self[0] =
          () -> {
            vertx.cancelTimer(timer);
            attempt(call.releasedAt(clock.instant()), 0);
          };
      w.waiting.add(self[0]);
      if (w.poller < 0) {
        wake(w, maxInForce);
        w.poller = vertx.setPeriodic(WAKE_POLL.toMillis(), id -> poll(w));
      }
    }
  }

  /**
   * Sets the component's copies to its policy's scale-from-zero adjustment (within max), unless a
   * wake happened within the cooldown. Without a policy step, nothing wakes it but SageMaker's own
   * scaling; the requests are still held and retried.
   */
  private void wake(Waking w, int maxInForce) {
    Resolution.SageMaker target = w.target;
    if (target.wake().isEmpty()) {
      return;
    }
    Resolution.Wake step = target.wake().get();
    String key = key(target);
    Instant now = clock.instant();
    Instant last = lastWake.get(key);
    if (last != null && now.isBefore(last.plus(step.cooldown()))) {
      return;
    }
    lastWake.put(key, now);
    int copies = Math.max(1, Math.min(Math.min(step.maxCapacity(), maxInForce), step.adjustment()));
    vertx
        .executeBlocking(
            () -> {
              components(target).setCopies(target.component().get(), copies);
              return null;
            })
        .onComplete(
            done -> {
              if (done.failed()) {
                LOG.warnf(
                    "could not wake inference component %s: %s",
                    target.component().get(),
                    done.cause() instanceof AwsCallException a
                        ? a.failure().message()
                        : done.cause().getMessage());
              } else {
                meters.sageMakerWoke(target.component().get());
              }
            });
  }

  /** Once the component has a copy again, every held request is retried. */
  private void poll(Waking w) {
    vertx
        .<Optional<Integer>>executeBlocking(
            () ->
                components(w.target)
                    .describe(w.target.component().get())
                    .map(d -> d.currentCopies()))
        .onComplete(
            described -> {
              if (described.failed()
                  || described.result().isEmpty()
                  || described.result().get() == null
                  || described.result().get() == 0) {
                return;
              }
              List<Runnable> ready;
              synchronized (w) {
                ready = new ArrayList<>(w.waiting);
                w.waiting.clear();
                stopPolling(w);
              }
              ready.forEach(Runnable::run);
            });
  }

  /** Called holding {@code w}'s lock: the component is no longer watched for a copy. */
  private void stopPolling(Waking w) {
    if (w.poller >= 0) {
      vertx.cancelTimer(w.poller);
      w.poller = -1;
    }
    waking.remove(key(w.target), w);
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

  private ScalableTargets targets(Resolution.SageMaker target) {
    return new ScalableTargets(() -> clients.applicationAutoScaling(target.region()));
  }

  private SageMakerComponents components(Resolution.SageMaker target) {
    return new SageMakerComponents(() -> clients.sageMaker(target.region()));
  }

  private static String key(Resolution.SageMaker target) {
    return target.region().orElse("") + "/" + target.component().orElse("");
  }
}
