package dev.ebb.reconciler.policy;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Variant;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetRef;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/** The one place a ScalingPolicy's status is built: a pure function of what was observed. */
public final class PolicyStatus {
  private PolicyStatus() {}

  /**
   * @param component the target when targetRef.kind is InferenceComponent and it exists
   * @param endpoint the target when targetRef.kind is InferenceEndpoint and it exists
   */
  public static ScalingPolicyStatus desired(
      ScalingPolicy policy,
      Optional<InferenceComponent> component,
      Optional<InferenceEndpoint> endpoint,
      Instant now) {
    Long generation = policy.getMetadata().getGeneration();
    var conditions = Conditions.of(policy, now);
    TargetRef target = policy.getSpec().targetRef();
    String namespace = policy.getMetadata().getNamespace();
    boolean found =
        target.kind() == TargetKind.InferenceComponent
            ? component.isPresent()
            : endpoint.isPresent();
    if (!found) {
      conditions.set(
          Condition.READY,
          false,
          Reasons.TARGET_NOT_FOUND,
          target.kind()
              + " "
              + target.name()
              + " does not exist in namespace "
              + namespace
              + "; the policy waits for it.");
    } else if (target.kind() == TargetKind.InferenceEndpoint
        && endpoint.get().getSpec().variants().stream()
            .noneMatch(v -> v.name().equals(target.variant()))) {
      String message =
          "InferenceEndpoint "
              + target.name()
              + " has no variant "
              + target.variant()
              + " (its variants: "
              + endpoint.get().getSpec().variants().stream()
                  .map(Variant::name)
                  .collect(Collectors.joining(", "))
              + "); set spec.targetRef.variant.";
      conditions
          .set(Condition.READY, false, Reasons.VARIANT_NOT_FOUND, message)
          .set(Condition.STALLED, true, Reasons.VARIANT_NOT_FOUND, message);
    } else {
      String message =
          "The spec is valid and its target exists, but this version of Ebb does not apply"
              + " scaling policies yet: no scaling objects were created and capacity is not"
              + " managed.";
      conditions
          .set(Condition.READY, false, Reasons.NOT_PROVISIONED, message)
          .set(Condition.STALLED, true, Reasons.BACKEND_NOT_IMPLEMENTED, message);
    }
    return new ScalingPolicyStatus(generation, conditions.list(), null, null, null, null);
  }
}
