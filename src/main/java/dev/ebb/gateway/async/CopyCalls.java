package dev.ebb.gateway.async;

import dev.ebb.gateway.copies.CopyRouter;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.upstream.Answer;
import dev.ebb.gateway.upstream.ModelServerClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Calls the gateway makes itself (asynchronous invocations) to a copy of a local component, through
 * the same {@link CopyRouter} as clients' requests: held while there is no copy (the demand wakes
 * the component), counted in the same meters.
 */
@ApplicationScoped
public class CopyCalls {
  private final CopyRouter router;
  private final ModelServerClient models;
  private final GatewayMeters meters;

  public CopyCalls(CopyRouter router, ModelServerClient models, GatewayMeters meters) {
    this.router = router;
    this.models = models;
    this.meters = meters;
  }

  /** A call found no copy: none became ready in time, or the component went. */
  static final class NoCopyException extends RuntimeException {
    NoCopyException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Sends a call to a ready copy of {@code target}, holding it up to {@code holdFor} while there is
   * none. {@code body} is asked for only once a copy is ready, so waiting calls hold no payload.
   * Fails with {@link NoCopyException}, or with the copy's failure.
   */
  Future<Answer> call(
      Resolution.Local target,
      Map<String, String> headers,
      Supplier<Future<Buffer>> body,
      Duration holdFor,
      Duration timeout) {
    long startedNanos = System.nanoTime();
    Promise<Answer> answer = Promise.promise();
    String component = target.component().name();
    router.route(
        target.component(),
        Integer.MAX_VALUE,
        holdFor,
        new CopyRouter.Waiter() {
          @Override
          public void send(CopyRouter.Lease lease) {
            body.get()
                .compose(b -> models.call(lease.address(), headers, b, timeout))
                .onComplete(
                    done -> {
                      lease.release();
                      meters.answered(
                          target.component(),
                          done.succeeded() ? String.valueOf(done.result().status()) : "failed",
                          startedNanos);
                      answer.handle(done);
                    });
          }

          @Override
          public void expired(Duration heldFor) {
            answer.fail(
                new NoCopyException(RuntimeError.noCopyInTime(component, heldFor).message()));
          }

          @Override
          public void componentGone() {
            answer.fail(new NoCopyException(RuntimeError.componentDeleted(component).message()));
          }
        });
    return answer.future();
  }
}
