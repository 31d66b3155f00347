package dev.ebb.gateway.resolve;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.ext.web.RoutingContext;

/**
 * What {@link ResolveHandler} found for a request, carried on its routing context to the next
 * handlers.
 *
 * @param endpointName the endpoint's name as the client called it
 */
public record Resolved(
    RuntimeOperation operation,
    String endpointName,
    InferenceEndpoint endpoint,
    Resolution target) {
  private static final String KEY = "ebb.resolved";

  /** The resolution of a request that went through {@link ResolveHandler}. */
  public static Resolved of(RoutingContext request) {
    return request.get(KEY);
  }

  public void attachTo(RoutingContext request) {
    request.put(KEY, this);
  }
}
