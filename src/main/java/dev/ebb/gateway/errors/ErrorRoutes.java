package dev.ebb.gateway.errors;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What the gateway's port answers when no operation's chain does, in SageMaker Runtime's error
 * shape like every other error: a path or method no route serves (404, 405), a path whose
 * percent-encoding does not decode (400), a request Vert.x Web refuses before routing (a 4xx), and
 * a failure on any route (a handler's exception: 500 InternalFailure, its cause logged, never
 * sent). Without these, Vert.x Web and Quarkus answer in HTML, with an empty body or, in dev and
 * test mode, with the stack trace.
 */
public final class ErrorRoutes {
  private static final Logger LOG = Logger.getLogger(ErrorRoutes.class);

  private ErrorRoutes() {}

  /** Installs the handlers on {@code router}, before Quarkus' own failure handler. */
  public static void install(Router router) {
    router.route().failureHandler(ErrorRoutes::failed);
    router.errorHandler(404, r -> RuntimeError.unknownOperation(404).send(r.response()));
    router.errorHandler(405, r -> RuntimeError.unknownOperation(405).send(r.response()));
    router.errorHandler(
        400,
        r ->
            RuntimeError.invalidRequest(400, "The request's path could not be decoded.")
                .send(r.response()));
  }

  static void failed(RoutingContext failed) {
    int status = failed.statusCode();
    HttpServerResponse response = failed.response();
    if (response.ended() || response.closed()) {
      LOG.debugf(
          failed.failure(),
          "%s %s failed after its answer",
          failed.request().method(),
          failed.request().path());
      return;
    }
    if (status == 404 || status == 405) {
      RuntimeError.unknownOperation(status).send(response);
    } else if (status >= 400 && status < 500) {
      String reason =
          failed.failure() != null && failed.failure().getMessage() != null
              ? failed.failure().getMessage()
              : HttpResponseStatus.valueOf(status).reasonPhrase();
      RuntimeError.invalidRequest(status, "The request was refused: " + reason).send(response);
    } else {
      String errorId = UUID.randomUUID().toString();
      LOG.errorf(
          failed.failure(),
          "%s %s failed (error id %s)",
          failed.request().method(),
          failed.request().path(),
          errorId);
      if (response.headWritten()) {
        response.reset(); // an answer had begun: the client must see it did not end
      } else {
        RuntimeError.internalFailure(errorId).send(response);
      }
    }
  }
}
