package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SageMaker side of a scalable target, as Application Auto Scaling reaches it: the capacity it
 * reads (the desired copy or instance count) and the SageMaker call it makes to change it
 * (UpdateInferenceComponentRuntimeConfig, or UpdateEndpointWeightsAndCapacities for a variant),
 * through the simulator's own handlers, so SageMaker's rules and provisioning delays apply.
 */
final class ScalableResources {
  private static final Pattern COMPONENT = Pattern.compile("^inference-component/([^/]+)$");
  private static final Pattern VARIANT = Pattern.compile("^endpoint/([^/]+)/variant/([^/]+)$");

  private ScalableResources() {}

  /** The capacity the resource is asked to have now, or empty when it is gone. */
  static OptionalInt capacity(RegionStore region, String resourceId) {
    Matcher component = COMPONENT.matcher(resourceId);
    if (component.matches()) {
      StoredComponent c = region.components.get(Arns.key(component.group(1)));
      return c == null ? OptionalInt.empty() : OptionalInt.of(c.desiredCopyCount);
    }
    Matcher variant = VARIANT.matcher(resourceId);
    if (variant.matches()) {
      StoredEndpoint e = region.endpoints.get(Arns.key(variant.group(1)));
      StoredVariant v = e == null ? null : e.variant(variant.group(2));
      return v == null ? OptionalInt.empty() : OptionalInt.of(v.desiredInstanceCount);
    }
    return OptionalInt.empty();
  }

  /** Asks SageMaker for {@code capacity}; throws SageMaker's {@link AwsError} if it refuses. */
  static void set(Ctx ctx, String resourceId, int capacity) {
    Matcher component = COMPONENT.matcher(resourceId);
    if (component.matches()) {
      ObjectNode in = Json.object().put("InferenceComponentName", component.group(1));
      in.putObject("DesiredRuntimeConfig").put("CopyCount", capacity);
      ComponentHandler.updateRuntimeConfig(ctx, in);
      return;
    }
    Matcher variant = VARIANT.matcher(resourceId);
    if (variant.matches()) {
      ObjectNode in = Json.object().put("EndpointName", variant.group(1));
      in.putArray("DesiredWeightsAndCapacities")
          .addObject()
          .put("VariantName", variant.group(2))
          .put("DesiredInstanceCount", capacity);
      EndpointHandler.updateWeightsAndCapacities(ctx, in);
      return;
    }
    throw AwsError.validation("Unsupported resource ID %s.", resourceId);
  }

  /** What the activity's description calls the capacity. */
  static String noun(String resourceId) {
    return COMPONENT.matcher(resourceId).matches()
        ? "desired copy count"
        : "desired instance count";
  }
}
