package dev.ebb.gateway.resolve;

import dev.ebb.gateway.errors.RuntimeError;
import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The chain's first stage after the body: which endpoint, variant and component a request names
 * ({@code /endpoints/{EndpointName}/...}, {@code X-Amzn-SageMaker-Inference-Component}, {@code
 * X-Amzn-SageMaker-Target-Variant}). A request that breaks SageMaker's constraints on its name and
 * headers ({@link RequestConstraints}) and an unknown endpoint are answered here, as SageMaker
 * does; a component or variant that does not resolve travels on as {@link Resolution.Invalid} and
 * is answered after access, so a caller without a credential learns nothing of an endpoint's
 * components.
 */
public final class ResolveHandler implements Handler<RoutingContext> {
  public static final String COMPONENT_HEADER = "X-Amzn-SageMaker-Inference-Component";
  public static final String VARIANT_HEADER = "X-Amzn-SageMaker-Target-Variant";

  /** Finds what a request names; {@link Directory} in the operator. */
  @FunctionalInterface
  public interface Lookups {
    Directory.Lookup lookup(String endpointName, String componentHeader, String targetVariant);
  }

  private final Lookups directory;
  private final RuntimeOperation operation;

  public ResolveHandler(Lookups directory, RuntimeOperation operation) {
    this.directory = directory;
    this.operation = operation;
  }

  @Override
  public void handle(RoutingContext request) {
    String name = request.pathParam("endpoint");
    var invalid = RequestConstraints.violation(operation, name, request.request().headers());
    if (invalid.isPresent()) {
      RuntimeError.validation(invalid.get()).send(request.response());
      return;
    }
    Directory.Lookup lookup =
        directory.lookup(
            name,
            request.request().getHeader(COMPONENT_HEADER),
            request.request().getHeader(VARIANT_HEADER));
    if (lookup.endpoint().isEmpty()) {
      RuntimeError.endpointNotFound(name).send(request.response());
      return;
    }
    new Resolved(operation, name, lookup.endpoint().get(), lookup.route()).attachTo(request);
    request.next();
  }
}
