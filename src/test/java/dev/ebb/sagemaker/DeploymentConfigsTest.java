package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Canary;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Linear;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Rollout;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.RolloutStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.CapacitySizeType;
import software.amazon.awssdk.services.sagemaker.model.TrafficRoutingConfigType;

class DeploymentConfigsTest {
  @Test
  void noRolloutMeansSageMakersDefault() {
    assertThat(DeploymentConfigs.from(null)).isEmpty();
  }

  @Test
  void canaryShiftsAPercentThenWaitsWithAlarmRollback() {
    var config =
        DeploymentConfigs.from(
                new Rollout(
                    RolloutStrategy.Canary, new Canary(10, 300), null, List.of("p99-latency")))
            .orElseThrow();
    var routing = config.blueGreenUpdatePolicy().trafficRoutingConfiguration();
    assertThat(routing.type()).isEqualTo(TrafficRoutingConfigType.CANARY);
    assertThat(routing.canarySize().type()).isEqualTo(CapacitySizeType.CAPACITY_PERCENT);
    assertThat(routing.canarySize().value()).isEqualTo(10);
    assertThat(routing.waitIntervalInSeconds()).isEqualTo(300);
    assertThat(config.autoRollbackConfiguration().alarms())
        .extracting(a -> a.alarmName())
        .containsExactly("p99-latency");
  }

  @Test
  void linearShiftsEqualSteps() {
    var routing =
        DeploymentConfigs.from(new Rollout(RolloutStrategy.Linear, null, new Linear(20, 120), null))
            .orElseThrow()
            .blueGreenUpdatePolicy()
            .trafficRoutingConfiguration();
    assertThat(routing.type()).isEqualTo(TrafficRoutingConfigType.LINEAR);
    assertThat(routing.linearStepSize().value()).isEqualTo(20);
    assertThat(routing.waitIntervalInSeconds()).isEqualTo(120);
  }

  @Test
  void allAtOnceWithAlarmsStillRollsBack() {
    var config =
        DeploymentConfigs.from(
                new Rollout(RolloutStrategy.AllAtOnce, null, null, List.of("errors")))
            .orElseThrow();
    assertThat(config.blueGreenUpdatePolicy().trafficRoutingConfiguration().type())
        .isEqualTo(TrafficRoutingConfigType.ALL_AT_ONCE);
    assertThat(config.autoRollbackConfiguration().alarms()).hasSize(1);
  }
}
