package dev.ebb.gateway.dispatch;

import dev.ebb.config.GatewayConfig;
import dev.ebb.gateway.body.PayloadHandler;
import dev.ebb.gateway.copies.CopyRouter;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.meters.AccessLog;
import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.upstream.Answer;
import dev.ebb.gateway.upstream.ModelServerClient;
import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Backend local's upstream: a client's InvokeEndpoint (or its response stream) sent to a copy the
 * {@link CopyRouter} takes, held while there is none, and the model server's answer relayed as
 * SageMaker Runtime shapes it.
 */
@ApplicationScoped
public class LocalCopies {
  private final CopyRouter router;
  private final ModelServerClient models;
  private final GatewayMeters meters;
  private final AccessLog accessLog;
  private final Clock clock;
  private final Duration requestTimeout;

  public LocalCopies(
      CopyRouter router,
      ModelServerClient models,
      GatewayMeters meters,
      AccessLog accessLog,
      Clock clock,
      GatewayConfig config) {
    this.router = router;
    this.models = models;
    this.meters = meters;
    this.accessLog = accessLog;
    this.clock = clock;
    this.requestTimeout = config.requestTimeout();
  }

  void invoke(RoutingContext request, Resolution.Local target, RuntimeOperation operation) {
    var waiter = new ClientRequest(request, target, operation);
    var outcome =
        router.route(
            target.component(), target.maxQueuedRequests(), target.coldStartTimeout(), waiter);
    if (outcome instanceof CopyRouter.Full full) {
      waiter.logged("429");
      (full.bound() == CopyRouter.Bound.BYTES
              ? RuntimeError.tooManyHeldBytes(target.component().name())
              : RuntimeError.tooManyHeld(target.maxQueuedRequests(), target.component().name()))
          .send(request.response());
    } else if (outcome instanceof CopyRouter.Held held) {
      // The client left before a copy was ready: the request is not sent anywhere.
      request.response().closeHandler(closed -> held.cancel());
    }
  }

  /** A client's request, waiting for a copy or on its way to one. */
  private final class ClientRequest implements CopyRouter.Waiter {
    final RoutingContext request;
    final Resolution.Local target;
    final RuntimeOperation operation;
    final long startedNanos = System.nanoTime();
    // Read only for the access log: the clock is not free at the gateway's rates. The operator's
    // clock, the one its scaling decisions are stamped with, so what-if --check can lay the two
    // side by side (they are the wall clock, except under a test's clock).
    final Instant arrived = accessLog.enabled() ? clock.instant() : null;
    long sentNanos;

    ClientRequest(RoutingContext request, Resolution.Local target, RuntimeOperation operation) {
      this.request = request;
      this.target = target;
      this.operation = operation;
    }

    @Override
    public void send(CopyRouter.Lease lease) {
      sentNanos = System.nanoTime();
      Map<String, String> headers = ForwardedHeaders.toModel(request.request().headers());
      Buffer body = PayloadHandler.of(request);
      if (operation == RuntimeOperation.INVOKE_ENDPOINT_WITH_RESPONSE_STREAM) {
        models
            .post(lease.address(), headers, body, requestTimeout)
            .onComplete(done -> stream(lease, done));
        return;
      }
      models
          .call(lease.address(), headers, body, requestTimeout)
          .onComplete(
              done -> {
                lease.release();
                if (done.succeeded()) {
                  respond(done.result());
                } else {
                  failed(done.cause());
                }
                answered(done.succeeded() ? String.valueOf(done.result().status()) : "failed");
              });
    }

    @Override
    public void expired(Duration heldFor) {
      logged("504");
      RuntimeError.noCopyInTime(target.component().name(), heldFor).send(request.response());
    }

    @Override
    public long bytes() {
      return PayloadHandler.of(request).length();
    }

    @Override
    public void componentGone() {
      RuntimeError.componentDeleted(target.component().name()).send(request.response());
    }

    private void answered(String outcome) {
      meters.answered(target.component(), outcome, startedNanos);
      logged(outcome);
    }

    /** The access log's line for this request: sent or not, it is demand that arrived. */
    void logged(String outcome) {
      if (arrived == null) {
        return;
      }
      long now = System.nanoTime();
      boolean sent = sentNanos != 0;
      accessLog.answered(
          target.component(),
          arrived,
          outcome,
          (sent ? sentNanos : now) - startedNanos,
          sent ? now - sentNanos : 0,
          PayloadHandler.of(request).length());
    }

    private void failed(Throwable cause) {
      RuntimeError.copyFailed(cause, target.component().name(), requestTimeout)
          .send(request.response());
    }

    /** A model server's whole answer: relayed, or its non-2xx as SageMaker's ModelError. */
    private void respond(Answer answer) {
      var response = request.response();
      if (response.ended() || response.closed()) {
        return;
      }
      if (!answer.succeeded()) {
        RuntimeError.modelError(
                answer.status(), target.component().name(), answer.body().toString())
            .send(response);
        return;
      }
      response
          .setStatusCode(200)
          .putHeader("Content-Type", answer.contentType())
          .putHeader("x-Amzn-Invoked-Production-Variant", target.variant())
          // Random but not SecureRandom: a request id needs no secrecy, and SecureRandom contends.
          .putHeader(
              "x-amzn-RequestId",
              new UUID(
                      ThreadLocalRandom.current().nextLong(),
                      ThreadLocalRandom.current().nextLong())
                  .toString());
      String attributes = answer.headers().get("X-Amzn-SageMaker-Custom-Attributes");
      if (attributes != null) {
        response.putHeader("X-Amzn-SageMaker-Custom-Attributes", attributes);
      }
      response.end(answer.body());
    }

    /**
     * InvokeEndpointWithResponseStream: the model's answer is relayed chunk by chunk as it arrives,
     * each chunk one PayloadPart event of AWS's event-stream framing.
     */
    private void stream(CopyRouter.Lease lease, AsyncResult<HttpClientResponse> done) {
      AtomicBoolean finished = new AtomicBoolean();
      Consumer<String> finish =
          outcome -> {
            if (finished.compareAndSet(false, true)) {
              lease.release();
              answered(outcome);
            }
          };
      if (done.failed()) {
        finish.accept("failed");
        failed(done.cause());
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
                      new Answer(
                          answer.statusCode(),
                          answer.headers(),
                          b.succeeded() ? b.result() : Buffer.buffer()));
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
                  EventStream.modelStreamError(
                      "The model's stream failed: " + failure.getMessage()));
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
  }
}
