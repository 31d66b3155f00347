package dev.ebb.gateway.access;

import dev.ebb.api.v1alpha1.GatewayAccess;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.resolve.Resolved;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The chain's access stage: a request goes on only with a credential the endpoint accepts ({@link
 * Authenticator}); otherwise it is answered here, before anything is sent to a model or to
 * SageMaker. Only an endpoint with {@code spec.access.public: true} is open; one without {@code
 * spec.access} accepts ServiceAccount tokens of its own namespace.
 */
@ApplicationScoped
public class AccessHandler implements Handler<RoutingContext> {
  /** Judges a request's credential; {@link Authenticator} in the operator. */
  @FunctionalInterface
  interface Check {
    Future<Authenticator.Verdict> check(InferenceEndpoint endpoint, String name, MultiMap headers);
  }

  private final Check authenticator;

  @Inject
  public AccessHandler(Authenticator authenticator) {
    this((Check) authenticator::check);
  }

  AccessHandler(Check authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext request) {
    Resolved resolved = Resolved.of(request);
    if (GatewayAccess.isPublic(resolved.endpoint().getSpec().access())) {
      request.next();
      return;
    }
    Context context = Vertx.currentContext();
    authenticator
        .check(resolved.endpoint(), resolved.endpointName(), request.request().headers())
        .onSuccess(
            verdict -> {
              // Verdicts may be shared by requests of other event loops: go back to this one.
              Runnable next =
                  verdict instanceof Authenticator.Refused refused
                      ? () ->
                          RuntimeError.refused(refused.status(), refused.code(), refused.message())
                              .send(request.response())
                      : request::next;
              if (context == null || Vertx.currentContext() == context) {
                next.run();
              } else {
                context.runOnContext(v -> next.run());
              }
            });
  }
}
