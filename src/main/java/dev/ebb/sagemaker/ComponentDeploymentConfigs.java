package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.InferenceComponentSpec.BatchSize;
import dev.ebb.api.v1alpha1.InferenceComponentSpec.RollingUpdate;
import java.util.Optional;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentCapacitySize;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentCapacitySizeType;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentDeploymentConfig;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentRollingUpdatePolicy;

/**
 * UpdateInferenceComponent's DeploymentConfig from {@code spec.sagemaker.rollingUpdate}: copies
 * replaced in batches, each baked for a while, and a rollback on CloudWatch alarms. None means
 * SageMaker's default update.
 */
public final class ComponentDeploymentConfigs {
  /** Ebb's default baking period, when the spec leaves it out (the schema defaults it too). */
  static final int DEFAULT_WAIT_SECONDS = 120;

  private ComponentDeploymentConfigs() {}

  public static Optional<InferenceComponentDeploymentConfig> from(RollingUpdate rollingUpdate) {
    if (rollingUpdate == null) {
      return Optional.empty();
    }
    var policy =
        InferenceComponentRollingUpdatePolicy.builder()
            .maximumBatchSize(size(rollingUpdate.maxBatch()))
            .waitIntervalInSeconds(
                rollingUpdate.waitSeconds() == null
                    ? DEFAULT_WAIT_SECONDS
                    : rollingUpdate.waitSeconds());
    if (rollingUpdate.timeoutSeconds() != null) {
      policy.maximumExecutionTimeoutInSeconds(rollingUpdate.timeoutSeconds());
    }
    if (rollingUpdate.rollbackMaxBatch() != null) {
      policy.rollbackMaximumBatchSize(size(rollingUpdate.rollbackMaxBatch()));
    }
    var config = InferenceComponentDeploymentConfig.builder().rollingUpdatePolicy(policy.build());
    DeploymentConfigs.autoRollback(rollingUpdate.autoRollbackAlarms())
        .ifPresent(config::autoRollbackConfiguration);
    return Optional.of(config.build());
  }

  private static InferenceComponentCapacitySize size(BatchSize batch) {
    return batch.copies() != null
        ? InferenceComponentCapacitySize.builder()
            .type(InferenceComponentCapacitySizeType.COPY_COUNT)
            .value(batch.copies())
            .build()
        : InferenceComponentCapacitySize.builder()
            .type(InferenceComponentCapacitySizeType.CAPACITY_PERCENT)
            .value(batch.percent())
            .build();
  }
}
