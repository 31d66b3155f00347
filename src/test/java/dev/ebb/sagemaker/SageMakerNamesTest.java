package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SageMakerNamesTest {
  @ParameterizedTest
  @CsvSource({
    "ml, llama3",
    "team.a, model.v2",
    "a-very-long-namespace-name-that-goes-on-and-on, and-an-equally-long-object-name-for-good-measure",
    "x, y",
  })
  void namesAreValidDeterministicAndReadable(String namespace, String name) {
    String sageMakerName = SageMakerNames.forObject(namespace, name);
    assertThat(sageMakerName)
        .matches(Validation.SAGEMAKER_NAME)
        .hasSizeLessThanOrEqualTo(SageMakerNames.MAX_LENGTH)
        .isEqualTo(SageMakerNames.forObject(namespace, name))
        .startsWith(namespace.replace('.', '-').substring(0, Math.min(namespace.length(), 20)));
  }

  @Test
  void identitiesThatReadTheSameDoNotCollide() {
    assertThat(SageMakerNames.forObject("a-b", "c"))
        .isNotEqualTo(SageMakerNames.forObject("a", "b-c"));
    assertThat(SageMakerNames.forObject("a.b", "c"))
        .isNotEqualTo(SageMakerNames.forObject("a-b", "c"));
  }

  @Test
  void contentAddressedNamesChangeWithContentOnly() {
    assertThat(SageMakerNames.forContent("ml-llama3-1a2b3c4d", "{a:1}"))
        .isEqualTo(SageMakerNames.forContent("ml-llama3-1a2b3c4d", "{a:1}"))
        .isNotEqualTo(SageMakerNames.forContent("ml-llama3-1a2b3c4d", "{a:2}"))
        .matches(Validation.SAGEMAKER_NAME);
  }
}
