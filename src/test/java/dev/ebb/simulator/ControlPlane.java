package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The control-plane operations the simulator serves (SageMaker's, and Application Auto Scaling's
 * for SageMaker resources), by X-Amz-Target operation name.
 */
final class ControlPlane {
  @FunctionalInterface
  interface Operation {
    ObjectNode handle(Ctx ctx, ObjectNode request);
  }

  private static final Map<String, Operation> OPERATIONS = new TreeMap<>();

  static {
    OPERATIONS.put("CreateModel", ModelHandler::create);
    OPERATIONS.put("DescribeModel", ModelHandler::describe);
    OPERATIONS.put("DeleteModel", ModelHandler::delete);
    OPERATIONS.put("ListModels", ModelHandler::list);
    OPERATIONS.put("CreateEndpointConfig", EndpointConfigHandler::create);
    OPERATIONS.put("DescribeEndpointConfig", EndpointConfigHandler::describe);
    OPERATIONS.put("DeleteEndpointConfig", EndpointConfigHandler::delete);
    OPERATIONS.put("ListEndpointConfigs", EndpointConfigHandler::list);
    OPERATIONS.put("CreateEndpoint", EndpointHandler::create);
    OPERATIONS.put("DescribeEndpoint", EndpointHandler::describe);
    OPERATIONS.put("UpdateEndpoint", EndpointHandler::update);
    OPERATIONS.put(
        "UpdateEndpointWeightsAndCapacities", EndpointHandler::updateWeightsAndCapacities);
    OPERATIONS.put("DeleteEndpoint", EndpointHandler::delete);
    OPERATIONS.put("ListEndpoints", EndpointHandler::list);
    OPERATIONS.put("CreateInferenceComponent", ComponentHandler::create);
    OPERATIONS.put("DescribeInferenceComponent", ComponentHandler::describe);
    OPERATIONS.put("UpdateInferenceComponent", ComponentHandler::update);
    OPERATIONS.put("UpdateInferenceComponentRuntimeConfig", ComponentHandler::updateRuntimeConfig);
    OPERATIONS.put("DeleteInferenceComponent", ComponentHandler::delete);
    OPERATIONS.put("ListInferenceComponents", ComponentHandler::list);
    OPERATIONS.put("CreateTransformJob", TransformJobHandler::create);
    OPERATIONS.put("DescribeTransformJob", TransformJobHandler::describe);
    OPERATIONS.put("StopTransformJob", TransformJobHandler::stop);
    OPERATIONS.put("ListTransformJobs", TransformJobHandler::list);
    OPERATIONS.put("AddTags", TagHandler::add);
    OPERATIONS.put("ListTags", TagHandler::list);
    OPERATIONS.put("DeleteTags", TagHandler::delete);
    // Application Auto Scaling (X-Amz-Target AnyScaleFrontendService.*): no name clashes.
    OPERATIONS.put("RegisterScalableTarget", AutoScalingHandler::registerScalableTarget);
    OPERATIONS.put("DescribeScalableTargets", AutoScalingHandler::describeScalableTargets);
    OPERATIONS.put("DeregisterScalableTarget", AutoScalingHandler::deregisterScalableTarget);
    OPERATIONS.put("PutScalingPolicy", AutoScalingHandler::putScalingPolicy);
    OPERATIONS.put("DescribeScalingPolicies", AutoScalingHandler::describeScalingPolicies);
    OPERATIONS.put("DeleteScalingPolicy", AutoScalingHandler::deleteScalingPolicy);
    OPERATIONS.put("PutScheduledAction", AutoScalingHandler::putScheduledAction);
    OPERATIONS.put("DescribeScheduledActions", AutoScalingHandler::describeScheduledActions);
    OPERATIONS.put("DeleteScheduledAction", AutoScalingHandler::deleteScheduledAction);
    OPERATIONS.put("DescribeScalingActivities", ScalingActivities::describe);
    // CloudWatch (AWS Query protocol, Action=...).
    OPERATIONS.put("PutMetricAlarm", CloudWatchHandler::putMetricAlarm);
    OPERATIONS.put("DescribeAlarms", CloudWatchHandler::describeAlarms);
    OPERATIONS.put("DeleteAlarms", CloudWatchHandler::deleteAlarms);
    OPERATIONS.put("SetAlarmState", CloudWatchHandler::setAlarmState);
  }

  private ControlPlane() {}

  static Set<String> operations() {
    return OPERATIONS.keySet();
  }

  static Operation operation(String name) {
    Operation op = OPERATIONS.get(name);
    if (op == null) {
      throw AwsError.of(
          400, "UnknownOperationException", "The simulator does not implement " + name + ".");
    }
    return op;
  }
}
