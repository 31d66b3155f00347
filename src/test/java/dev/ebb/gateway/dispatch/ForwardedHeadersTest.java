package dev.ebb.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which request headers reach a model server, and which reach SageMaker. */
class ForwardedHeadersTest {
  private static final MultiMap CLIENT =
      MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", "application/json")
          .add("Accept", "text/plain")
          .add("X-Amzn-SageMaker-Custom-Attributes", "a=1")
          .add("X-Amzn-SageMaker-Target-Model", "m.tar.gz")
          .add("X-Amzn-SageMaker-Inference-Id", "id-1")
          .add("X-Amzn-SageMaker-Target-Variant", "B")
          .add("X-Amzn-SageMaker-InputLocation", "s3://b/in")
          .add("X-Amzn-SageMaker-Inference-Component", "the-object-name")
          .add("Authorization", "Bearer secret")
          .add("X-Api-Key", "secret")
          .add("Host", "gateway");

  @Test
  void aModelServerGetsWhatSageMakerPassesOnAndNoCredential() {
    assertThat(ForwardedHeaders.toModel(CLIENT))
        .containsExactly(
            Map.entry("Content-Type", "application/json"),
            Map.entry("Accept", "text/plain"),
            Map.entry("X-Amzn-SageMaker-Custom-Attributes", "a=1"),
            Map.entry("X-Amzn-SageMaker-Target-Model", "m.tar.gz"),
            Map.entry("X-Amzn-SageMaker-Inference-Id", "id-1"));
  }

  @Test
  void sageMakerAlsoGetsItsOwnHeadersAndTheComponentBySageMakerName() {
    assertThat(ForwardedHeaders.toSageMaker(CLIENT, Optional.of("ns-c-1234abcd")))
        .containsEntry("Content-Type", "application/json")
        .containsEntry("X-Amzn-SageMaker-Target-Variant", "B")
        .containsEntry("X-Amzn-SageMaker-InputLocation", "s3://b/in")
        .containsEntry("X-Amzn-SageMaker-Inference-Component", "ns-c-1234abcd")
        .doesNotContainKeys("Authorization", "X-Api-Key", "Host");
  }

  @Test
  void withoutAComponentNoneIsNamed() {
    assertThat(ForwardedHeaders.toSageMaker(MultiMap.caseInsensitiveMultiMap(), Optional.empty()))
        .isEmpty();
  }
}
