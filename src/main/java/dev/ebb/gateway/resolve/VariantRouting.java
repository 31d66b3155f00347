package dev.ebb.gateway.resolve;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * Backend local's production variants: a request without a component header goes to the component
 * of the variant it targets, or of a variant picked by weight, as SageMaker splits a classic
 * endpoint's traffic. A change of weights applies to the next request.
 */
final class VariantRouting {
  private VariantRouting() {}

  /** The outcome. */
  sealed interface Choice {}

  /** The component the request goes to. */
  record Picked(InferenceComponent component) implements Choice {}

  /** Why no component could be chosen; {@code {endpoint}} stands for the endpoint's name. */
  record Refused(String message) implements Choice {}

  static Choice pick(
      InferenceEndpoint endpoint, List<InferenceComponent> placed, String targetVariant) {
    return pick(endpoint, placed, targetVariant, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random} gives numbers in [0, 1). */
  static Choice pick(
      InferenceEndpoint endpoint,
      List<InferenceComponent> placed,
      String targetVariant,
      DoubleSupplier random) {
    Map<String, List<InferenceComponent>> byVariant =
        placed.stream().collect(Collectors.groupingBy(c -> c.getSpec().variant()));
    if (targetVariant != null && !targetVariant.isEmpty()) {
      if (endpoint.getSpec().variants().stream().noneMatch(v -> v.name().equals(targetVariant))) {
        return new Refused("Endpoint {endpoint} does not have variant " + targetVariant + ".");
      }
      return only(byVariant.getOrDefault(targetVariant, List.of()), "variant " + targetVariant);
    }
    if (byVariant.values().stream().anyMatch(l -> l.size() > 1)) {
      return new Refused(
          "Inference Component Name header is required for endpoint {endpoint}, which has "
              + placed.size()
              + " components: "
              + placed.stream()
                  .map(c -> c.getMetadata().getName())
                  .sorted()
                  .collect(Collectors.joining(", "))
              + ".");
    }
    // Each variant with a component is a candidate, by its weight (SageMaker's default 1.0).
    List<InferenceEndpointSpec.Variant> candidates =
        endpoint.getSpec().variants().stream()
            .filter(v -> byVariant.containsKey(v.name()))
            .toList();
    double total = candidates.stream().mapToDouble(VariantRouting::weight).sum();
    if (candidates.isEmpty() || total <= 0) {
      return new Refused("No variant of endpoint {endpoint} with a component has traffic weight.");
    }
    double at = random.getAsDouble() * total;
    for (InferenceEndpointSpec.Variant v : candidates) {
      at -= weight(v);
      if (at < 0) {
        return new Picked(byVariant.get(v.name()).get(0));
      }
    }
    return new Picked(byVariant.get(candidates.get(candidates.size() - 1).name()).get(0));
  }

  private static Choice only(List<InferenceComponent> components, String where) {
    if (components.size() == 1) {
      return new Picked(components.get(0));
    }
    return new Refused(
        components.isEmpty()
            ? "No inference component is placed on " + where + " of endpoint {endpoint}."
            : "Inference Component Name header is required: "
                + where
                + " of endpoint {endpoint} has "
                + components.size()
                + " components.");
  }

  private static double weight(InferenceEndpointSpec.Variant v) {
    return Optional.ofNullable(v.weight()).orElse(1.0);
  }
}
