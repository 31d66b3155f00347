package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names an endpoint and a component have on SageMaker (and the gateway calls them by). */
class SageMakerObjectNamesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'spec names it', 'sagemaker: {endpointName: Adopted-Name}', Adopted-Name",
    "'spec is silent', 'sagemaker: {}', ",
    "'backend local', 'backend: local', ",
  })
  void endpointName(String why, String spec, String expected) {
    InferenceEndpoint endpoint =
        Serialization.unmarshal(
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llama, namespace: ml}
            spec: {%s}
            """
                .formatted(spec),
            InferenceEndpoint.class);
    assertThat(SageMakerNames.endpointName(endpoint))
        .isEqualTo(expected == null ? SageMakerNames.forObject("ml", "llama") : expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'spec names it', 'sagemaker: {inferenceComponentName: my-ic}', my-ic",
    "'spec is silent', 'model: {image: x}', ",
  })
  void componentName(String why, String spec, String expected) {
    InferenceComponent component =
        Serialization.unmarshal(
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceComponent
            metadata: {name: llama-8b, namespace: ml}
            spec: {endpointRef: {name: llama}, %s}
            """
                .formatted(spec),
            InferenceComponent.class);
    assertThat(SageMakerNames.componentName(component))
        .isEqualTo(expected == null ? SageMakerNames.forObject("ml", "llama-8b") : expected);
  }
}
