package dev.ebb.reconciler.component;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceComponentStatus;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Variant;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/** The one place an InferenceComponent's status is built: a pure function of what was observed. */
public final class ComponentStatus {
  private ComponentStatus() {}

  /** Label carried by a component's copies; the scale subresource's selector matches it. */
  public static final String COMPONENT_LABEL = "ebb.dev/inference-component";

  public static final String STATE_PENDING = "Pending";
  public static final String STATE_INVALID = "Invalid";
  public static final String STATE_NOT_PROVISIONED = "NotProvisioned";

  public static InferenceComponentStatus desired(
      InferenceComponent component, Optional<InferenceEndpoint> endpoint, Instant now) {
    Long generation = component.getMetadata().getGeneration();
    var conditions = Conditions.of(component, now);
    String state = placement(component, endpoint, conditions);
    return new InferenceComponentStatus(
        generation,
        conditions.list(),
        state,
        null,
        null,
        null,
        null,
        new InferenceComponentStatus.Copies(0, null),
        null,
        COMPONENT_LABEL + "=" + component.getMetadata().getName());
  }

  /** Sets the conditions that describe where the component stands; returns the state word. */
  private static String placement(
      InferenceComponent component, Optional<InferenceEndpoint> endpoint, Conditions conditions) {
    String endpointName = component.getSpec().endpointRef().name();
    String variantName = component.getSpec().variant();
    if (endpoint.isEmpty()) {
      conditions.set(
          Condition.READY,
          false,
          Reasons.ENDPOINT_NOT_FOUND,
          "InferenceEndpoint "
              + endpointName
              + " does not exist in namespace "
              + component.getMetadata().getNamespace()
              + "; the component waits for it.");
      return STATE_PENDING;
    }
    Optional<Variant> variant =
        endpoint.get().getSpec().variants().stream()
            .filter(v -> v.name().equals(variantName))
            .findFirst();
    if (variant.isEmpty()) {
      String known =
          endpoint.get().getSpec().variants().stream()
              .map(Variant::name)
              .collect(Collectors.joining(", "));
      return invalid(
          conditions,
          Reasons.VARIANT_NOT_FOUND,
          "InferenceEndpoint "
              + endpointName
              + " has no variant "
              + variantName
              + " (its variants: "
              + known
              + "); set spec.variant.");
    }
    if (variant.get().serverless() != null) {
      return invalid(
          conditions,
          Reasons.INCOMPATIBLE_VARIANT,
          "Variant "
              + variantName
              + " of InferenceEndpoint "
              + endpointName
              + " is serverless; inference components need an instance-backed variant.");
    }
    String why =
        "The spec is valid and endpoint "
            + endpointName
            + " exists, but this version of Ebb does not provision components on backend "
            + endpoint.get().getSpec().backend().name().toLowerCase(java.util.Locale.ROOT)
            + " yet: no copies run.";
    conditions
        .set(Condition.READY, false, Reasons.NOT_PROVISIONED, why)
        .set(Condition.STALLED, true, Reasons.BACKEND_NOT_IMPLEMENTED, why);
    return STATE_NOT_PROVISIONED;
  }

  private static String invalid(Conditions conditions, String reason, String message) {
    conditions
        .set(Condition.READY, false, reason, message)
        .set(Condition.STALLED, true, reason, message);
    return STATE_INVALID;
  }
}
