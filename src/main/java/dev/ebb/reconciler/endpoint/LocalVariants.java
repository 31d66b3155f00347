package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.reconciler.Reasons;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Whether a local endpoint serves: each of its variants must have a component with a ready copy, or
 * whose copies a ScalingPolicy took to zero (a request then gets the policy's answer: a wake, or
 * its documented refusal). A variant with no component, or only components that are starting,
 * failing or set to zero copies with nothing to wake them, does not serve, and the endpoint says
 * which. Read from the components' own statuses (their state and condition reasons), never from
 * their messages.
 */
final class LocalVariants {
  private LocalVariants() {}

  /** Every variant serves or sleeps; {@code asleep} when every variant sleeps. */
  record Verdict(boolean serving, boolean asleep, String message) {}

  static Verdict of(InferenceEndpoint endpoint, List<InferenceComponent> components) {
    List<String> problems = new ArrayList<>();
    boolean allAsleep = true;
    for (InferenceEndpointSpec.Variant variant : endpoint.getSpec().variants()) {
      List<InferenceComponent> placed =
          components.stream()
              .filter(c -> variant.name().equals(variantOf(c)))
              .filter(c -> c.getMetadata().getDeletionTimestamp() == null)
              .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
              .toList();
      if (placed.isEmpty()) {
        problems.add("variant " + variant.name() + " has no InferenceComponent");
        continue;
      }
      boolean serving = placed.stream().anyMatch(LocalVariants::serving);
      boolean asleep = !serving && placed.stream().anyMatch(LocalVariants::asleepByPolicy);
      if (!serving && !asleep) {
        problems.add(
            "variant "
                + variant.name()
                + " has no component with a ready copy ("
                + String.join(", ", placed.stream().map(LocalVariants::describe).toList())
                + ")");
      }
      allAsleep &= asleep;
    }
    if (!problems.isEmpty()) {
      return new Verdict(false, false, String.join("; ", problems) + ".");
    }
    return new Verdict(true, allAsleep, "");
  }

  private static String variantOf(InferenceComponent c) {
    return Objects.requireNonNullElse(c.getSpec().variant(), "AllTraffic");
  }

  private static boolean serving(InferenceComponent c) {
    var status = c.getStatus();
    return status != null
        && "Serving".equals(status.state())
        && status.condition(Condition.READY) != null
        && "True".equals(status.condition(Condition.READY).status());
  }

  /** At zero copies by a ScalingPolicy's doing, not by spec.copies: 0 with no policy. */
  private static boolean asleepByPolicy(InferenceComponent c) {
    var status = c.getStatus();
    if (status == null || !"ScaledToZero".equals(status.state())) {
      return false;
    }
    var scaled = status.condition(Condition.SCALED_TO_ZERO);
    return scaled != null
        && "True".equals(scaled.status())
        && !Reasons.NO_SCALING_POLICY.equals(scaled.reason());
  }

  private static String describe(InferenceComponent c) {
    var status = c.getStatus();
    String state = status == null || status.state() == null ? "no status yet" : status.state();
    if ("ScaledToZero".equals(state)) {
      state = "at zero copies, spec.copies: 0 and no ScalingPolicy to wake it";
    }
    return c.getMetadata().getName() + ": " + state;
  }
}
