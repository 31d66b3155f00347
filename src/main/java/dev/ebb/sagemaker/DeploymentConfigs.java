package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Rollout;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.RolloutStrategy;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sagemaker.model.Alarm;
import software.amazon.awssdk.services.sagemaker.model.AutoRollbackConfig;
import software.amazon.awssdk.services.sagemaker.model.BlueGreenUpdatePolicy;
import software.amazon.awssdk.services.sagemaker.model.CapacitySize;
import software.amazon.awssdk.services.sagemaker.model.CapacitySizeType;
import software.amazon.awssdk.services.sagemaker.model.DeploymentConfig;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfig;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfigType;

/**
 * SageMaker's DeploymentConfig for UpdateEndpoint, from {@code spec.rollout}: blue/green traffic
 * shifting (all at once, canary, linear) and rollback on CloudWatch alarms. No rollout block means
 * SageMaker's default deployment.
 */
public final class DeploymentConfigs {
  private DeploymentConfigs() {}

  public static Optional<DeploymentConfig> from(Rollout rollout) {
    if (rollout == null) {
      return Optional.empty();
    }
    RolloutStrategy strategy =
        rollout.strategy() == null ? RolloutStrategy.AllAtOnce : rollout.strategy();
    var routing = TrafficRoutingConfig.builder();
    switch (strategy) {
      case Canary ->
          routing
              .type(TrafficRoutingConfigType.CANARY)
              .canarySize(percent(rollout.canary().percent()))
              .waitIntervalInSeconds(orDefault(rollout.canary().waitSeconds(), 300));
      case Linear ->
          routing
              .type(TrafficRoutingConfigType.LINEAR)
              .linearStepSize(percent(rollout.linear().stepPercent()))
              .waitIntervalInSeconds(orDefault(rollout.linear().waitSeconds(), 120));
      case AllAtOnce -> routing.type(TrafficRoutingConfigType.ALL_AT_ONCE).waitIntervalInSeconds(0);
    }
    var config =
        DeploymentConfig.builder()
            .blueGreenUpdatePolicy(
                BlueGreenUpdatePolicy.builder()
                    .trafficRoutingConfiguration(routing.build())
                    .build());
    autoRollback(rollout.autoRollbackAlarms()).ifPresent(config::autoRollbackConfiguration);
    return Optional.of(config.build());
  }

  /** Roll back when any of these CloudWatch alarms fires (both kinds of deployment take it). */
  static Optional<AutoRollbackConfig> autoRollback(List<String> alarms) {
    if (alarms == null || alarms.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        AutoRollbackConfig.builder()
            .alarms(alarms.stream().map(a -> Alarm.builder().alarmName(a).build()).toList())
            .build());
  }

  private static CapacitySize percent(int value) {
    return CapacitySize.builder().type(CapacitySizeType.CAPACITY_PERCENT).value(value).build();
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
