package dev.ebb.gateway.dispatch;

import dev.ebb.gateway.async.AsyncInvocations;
import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.gateway.resolve.Resolved;
import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The chain's last stage: a resolved, admitted request goes to its upstream. A local component's
 * copies (through the copy router), backend local's asynchronous invocations, or SageMaker Runtime
 * (the pass-through); a request that named no component it could go to is answered here.
 */
@ApplicationScoped
public class DispatchHandler implements Handler<RoutingContext> {
  /** Where backend local's InvokeEndpoint and InvokeEndpointWithResponseStream go. */
  @FunctionalInterface
  interface ToLocal {
    void invoke(RoutingContext request, Resolution.Local target, RuntimeOperation operation);
  }

  /** Where backend local's InvokeEndpointAsync goes. */
  @FunctionalInterface
  interface ToLocalAsync {
    void accept(RoutingContext request, Resolved resolved, Resolution.Local target);
  }

  /** Where every operation on backend sagemaker goes. */
  @FunctionalInterface
  interface ToSageMaker {
    void invoke(RoutingContext request, Resolution.SageMaker target, RuntimeOperation operation);
  }

  private final ToLocal local;
  private final ToLocalAsync async;
  private final ToSageMaker sagemaker;

  @Inject
  public DispatchHandler(
      LocalCopies local, AsyncInvocations async, SageMakerPassThrough sagemaker) {
    this(
        local::invoke,
        (request, resolved, target) ->
            async.accept(request, resolved.endpoint(), resolved.endpointName(), target),
        (request, target, operation) ->
            sagemaker.invoke(
                request,
                target,
                operation,
                ForwardedHeaders.toSageMaker(request.request().headers(), target.component())));
  }

  DispatchHandler(ToLocal local, ToLocalAsync async, ToSageMaker sagemaker) {
    this.local = local;
    this.async = async;
    this.sagemaker = sagemaker;
  }

  @Override
  public void handle(RoutingContext request) {
    Resolved resolved = Resolved.of(request);
    RuntimeOperation operation = resolved.operation();
    Resolution target = resolved.target();
    if (target instanceof Resolution.Invalid invalid) {
      RuntimeError.validation(invalid.message()).send(request.response());
    } else if (target instanceof Resolution.SageMaker onSageMaker) {
      sagemaker.invoke(request, onSageMaker, operation);
    } else if (operation == RuntimeOperation.INVOKE_ENDPOINT_ASYNC) {
      async.accept(request, resolved, (Resolution.Local) target);
    } else if (((Resolution.Local) target).parked().isPresent()) {
      // Nothing would start a copy: holding the request would only make it time out.
      RuntimeError.parked(((Resolution.Local) target).parked().get()).send(request.response());
    } else {
      local.invoke(request, (Resolution.Local) target, operation);
    }
  }
}
