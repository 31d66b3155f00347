package dev.ebb.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * InvokeEndpoint. The simulated container echoes the request body with its content type, so a test
 * sees exactly what reached the model.
 */
final class RuntimeHandler {
  /** Real-time inference accepts payloads up to 6 MB. */
  static final int MAX_PAYLOAD = 6 * 1024 * 1024;

  private final Random routing;

  RuntimeHandler(long seed) {
    this.routing = new Random(seed);
  }

  Invocation.Reply invoke(Ctx ctx, Invocation in) {
    if (in.body().length > MAX_PAYLOAD) {
      throw AwsError.validationError(
          "Request payload of %d bytes exceeds the 6 MB limit for real-time inference.",
          in.body().length);
    }
    StoredEndpoint e = serving(ctx, in.endpointName());
    if (in.inferenceComponent() != null) {
      return viaComponent(ctx, e, in);
    }
    if (e.variants.values().stream().anyMatch(StoredVariant::forComponents)) {
      throw AwsError.validationError(
          "Inference Component Name header is required for endpoints to which you plan to deploy"
              + " inference components. Please include Inference Component Name header or"
              + " consider using SageMaker models.");
    }
    StoredVariant variant = in.targetVariant() == null ? weighted(e) : target(ctx, e, in);
    return echo(in, variant.name);
  }

  /** The endpoint an invocation names, if it can serve one now. */
  static StoredEndpoint serving(Ctx ctx, String endpointName) {
    StoredEndpoint e = ctx.region().endpoints.get(Arns.key(endpointName));
    if (e == null) {
      throw AwsError.validationError(
          "Endpoint %s of account %s not found.", endpointName, ctx.account());
    }
    // An endpoint serves while it is InService and during an update (the old fleet serves).
    if (e.variants.isEmpty() || e.status == StoredEndpoint.Status.DELETING) {
      throw AwsError.validationError(
          "Endpoint %s of account %s is not in service (status %s).",
          e.name, ctx.account(), e.status.wire);
    }
    return e;
  }

  private Invocation.Reply viaComponent(Ctx ctx, StoredEndpoint e, Invocation in) {
    StoredComponent c = ctx.region().components.get(Arns.key(in.inferenceComponent()));
    if (c == null || !Arns.key(c.endpointName).equals(Arns.key(e.name))) {
      throw AwsError.validationError(
          "Inference Component %s of account %s not found on endpoint %s.",
          in.inferenceComponent(), ctx.account(), e.name);
    }
    if (c.currentCopyCount == 0 || c.status == StoredComponent.Status.DELETING) {
      c.noCapacityFailures++;
      throw AwsError.validationError(
          "Inference Component has no capacity to process this request. ApplicationAutoScaling"
              + " may be in-progress (if configured) or try to increase the capacity by invoking"
              + " UpdateInferenceComponentRuntimeConfig API.");
    }
    c.invocations++;
    return echo(in, c.variantName);
  }

  private static StoredVariant target(Ctx ctx, StoredEndpoint e, Invocation in) {
    StoredVariant variant = e.variant(in.targetVariant());
    if (variant == null) {
      throw AwsError.validationError(
          "Endpoint %s of account %s does not have variant %s.",
          e.name, ctx.account(), in.targetVariant());
    }
    return variant;
  }

  /** Without a target variant, requests split across variants by their current weights. */
  private StoredVariant weighted(StoredEndpoint e) {
    List<StoredVariant> variants = new ArrayList<>(e.variants.values());
    double total = variants.stream().mapToDouble(v -> v.currentWeight).sum();
    if (total <= 0) {
      return variants.get(0);
    }
    double pick = routing.nextDouble() * total;
    for (StoredVariant v : variants) {
      pick -= v.currentWeight;
      if (pick < 0) {
        return v;
      }
    }
    return variants.get(variants.size() - 1);
  }

  private static Invocation.Reply echo(Invocation in, String variant) {
    String type = in.contentType() == null ? "application/octet-stream" : in.contentType();
    return new Invocation.Reply(in.body(), type, variant, in.customAttributes());
  }
}
