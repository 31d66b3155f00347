package dev.ebb.sagemaker;

import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The CloudWatch alarms a deployment rolls back on ({@code spec.rollout.autoRollbackAlarms}): which
 * of them is in ALARM, to say why SageMaker rolled a deployment back.
 */
public final class DeploymentAlarms {
  private final Supplier<CloudWatchClient> client;

  public DeploymentAlarms(Supplier<CloudWatchClient> client) {
    this.client = client;
  }

  /** The alarms of {@code names} in state ALARM now (at most 10 names, as the spec allows). */
  public List<String> firing(List<String> names) {
    if (names == null || names.isEmpty()) {
      return List.of();
    }
    return Calls.call(
        "DescribeAlarms",
        () ->
            client
                .get()
                .describeAlarms(r -> r.alarmNames(names).stateValue(StateValue.ALARM))
                .metricAlarms()
                .stream()
                .map(MetricAlarm::alarmName)
                .sorted()
                .toList());
  }
}
