package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponentSpec.BatchSize;
import dev.ebb.api.v1alpha1.InferenceComponentSpec.RollingUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentCapacitySizeType;

class ComponentDeploymentConfigsTest {
  @Test
  void noRollingUpdateMeansSageMakersDefaultUpdate() {
    assertThat(ComponentDeploymentConfigs.from(null)).isEmpty();
  }

  @Test
  void batchesAreCopiesOrPercentsAndTheRestIsPassedOn() {
    var config =
        ComponentDeploymentConfigs.from(
                new RollingUpdate(
                    new BatchSize(null, 25),
                    30,
                    1800,
                    new BatchSize(2, null),
                    List.of("p99-latency", "5xx")))
            .orElseThrow();

    var policy = config.rollingUpdatePolicy();
    assertThat(policy.maximumBatchSize().type())
        .isEqualTo(InferenceComponentCapacitySizeType.CAPACITY_PERCENT);
    assertThat(policy.maximumBatchSize().value()).isEqualTo(25);
    assertThat(policy.waitIntervalInSeconds()).isEqualTo(30);
    assertThat(policy.maximumExecutionTimeoutInSeconds()).isEqualTo(1800);
    assertThat(policy.rollbackMaximumBatchSize().type())
        .isEqualTo(InferenceComponentCapacitySizeType.COPY_COUNT);
    assertThat(policy.rollbackMaximumBatchSize().value()).isEqualTo(2);
    assertThat(config.autoRollbackConfiguration().alarms())
        .extracting(a -> a.alarmName())
        .containsExactly("p99-latency", "5xx");
  }

  @Test
  void aMinimalRollingUpdateWaitsTheDefaultAndLeavesTheRestToSageMaker() {
    var config =
        ComponentDeploymentConfigs.from(
                new RollingUpdate(new BatchSize(1, null), null, null, null, null))
            .orElseThrow();

    assertThat(config.rollingUpdatePolicy().waitIntervalInSeconds())
        .isEqualTo(ComponentDeploymentConfigs.DEFAULT_WAIT_SECONDS);
    assertThat(config.rollingUpdatePolicy().maximumExecutionTimeoutInSeconds()).isNull();
    assertThat(config.rollingUpdatePolicy().rollbackMaximumBatchSize()).isNull();
    assertThat(config.autoRollbackConfiguration()).isNull();
  }
}
