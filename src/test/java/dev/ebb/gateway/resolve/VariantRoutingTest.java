package dev.ebb.gateway.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariantRoutingTest {
  private static final InferenceEndpoint AB =
      Serialization.unmarshal(
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceEndpoint
          metadata: {name: ab, namespace: ns}
          spec:
            backend: local
            variants:
            - {name: A, weight: 3}
            - {name: B, weight: 1}
            - {name: Empty, weight: 100}
          """,
          InferenceEndpoint.class);

  private static InferenceComponent component(String name, String variant) {
    return Serialization.unmarshal(
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: %s, namespace: ns}
        spec:
          endpointRef: {name: ab}
          variant: %s
          model: {image: x}
        """
            .formatted(name, variant),
        InferenceComponent.class);
  }

  private static final List<InferenceComponent> ONE_EACH =
      List.of(component("model-a", "A"), component("model-b", "B"));

  @ParameterizedTest(name = "target={0}, random={1} → {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        // Weights 3:1 over the variants that have a component: [0, 0.75) is A, [0.75, 1) is B.
        "-, 0.0, model-a",
        "-, 0.74, model-a",
        "-, 0.75, model-b",
        "-, 0.99, model-b",
        // A target variant wins over the weights.
        "B, 0.0, model-b",
        "A, 0.99, model-a",
      })
  void requestsSplitByWeightUnlessTheyTargetAVariant(String target, double random, String to) {
    var choice = VariantRouting.pick(AB, ONE_EACH, target, () -> random);
    assertThat(choice)
        .isInstanceOfSatisfying(
            VariantRouting.Picked.class,
            p -> assertThat(p.component().getMetadata().getName()).isEqualTo(to));
  }

  @ParameterizedTest(name = "target={0} → {1}")
  @CsvSource({
    "Nope, Endpoint {endpoint} does not have variant Nope.",
    "Empty, No inference component is placed on variant Empty of endpoint {endpoint}.",
  })
  void targetsThatCannotBeServedAreRefused(String target, String message) {
    assertThat(VariantRouting.pick(AB, ONE_EACH, target, () -> 0.5))
        .isEqualTo(new VariantRouting.Refused(message));
  }

  @org.junit.jupiter.api.Test
  void twoComponentsOnOneVariantNeedTheComponentHeader() {
    var choice =
        VariantRouting.pick(
            AB, List.of(component("one", "A"), component("two", "A")), null, () -> 0.5);
    assertThat(choice)
        .isInstanceOfSatisfying(
            VariantRouting.Refused.class,
            r -> assertThat(r.message()).contains("header is required").contains("one, two"));
  }
}
