package dev.ebb.gateway.dispatch;

import dev.ebb.gateway.resolve.ResolveHandler;
import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which of a client's request headers travel upstream: to a model server, or to SageMaker. */
final class ForwardedHeaders {
  private ForwardedHeaders() {}

  /** Request headers SageMaker passes on to the model server. */
  private static final List<String> TO_MODEL =
      List.of(
          "Content-Type",
          "Accept",
          "X-Amzn-SageMaker-Custom-Attributes",
          "X-Amzn-SageMaker-Target-Model",
          "X-Amzn-SageMaker-Inference-Id");

  /**
   * Request headers passed on to SageMaker only: routing among variants, and InvokeEndpointAsync's
   * (backend local reads these itself).
   */
  private static final List<String> SAGEMAKER_ONLY =
      List.of(
          ResolveHandler.VARIANT_HEADER,
          "X-Amzn-SageMaker-Content-Type",
          "X-Amzn-SageMaker-Accept",
          "X-Amzn-SageMaker-InputLocation",
          "X-Amzn-SageMaker-RequestTTLSeconds",
          "X-Amzn-SageMaker-InvocationTimeoutSeconds");

  /** The headers a model server gets: the ones SageMaker passes on, that the client sent. */
  static Map<String, String> toModel(MultiMap in) {
    return pick(in, TO_MODEL, new LinkedHashMap<>());
  }

  /**
   * The headers SageMaker Runtime gets: the model's, SageMaker's own, and the component header
   * naming {@code component} by its SageMaker name (the client may have named the object).
   */
  static Map<String, String> toSageMaker(MultiMap in, Optional<String> component) {
    Map<String, String> headers = pick(in, SAGEMAKER_ONLY, toModel(in));
    component.ifPresent(c -> headers.put(ResolveHandler.COMPONENT_HEADER, c));
    return headers;
  }

  private static Map<String, String> pick(
      MultiMap in, List<String> names, Map<String, String> into) {
    for (String header : names) {
      String value = in.get(header);
      if (value != null) {
        into.put(header, value);
      }
    }
    return into;
  }
}
