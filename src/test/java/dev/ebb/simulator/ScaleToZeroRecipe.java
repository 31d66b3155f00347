package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The scale-to-zero recipe of SageMaker's developer guide ("Scale an endpoint to zero instances"),
 * written as AWS's own CLI example writes it, for the scaling tests: a target with min 0, a target
 * tracking policy, and a step policy fired by an alarm on NoCapacityInvocationFailures. Built by
 * hand, not by Ebb, so the simulator is tested against AWS's example and not against Ebb.
 */
final class ScaleToZeroRecipe {
  static final String RESOURCE = "inference-component/ic";
  static final String DIMENSION = "sagemaker:inference-component:DesiredCopyCount";

  private final SimFixture f;
  String stepPolicyArn;
  String trackingPolicyArn;

  ScaleToZeroRecipe(SimFixture f) {
    this.f = f;
  }

  ScaleToZeroRecipe target(int min, int max) {
    f.call(
        "RegisterScalableTarget",
        """
        {"ServiceNamespace": "sagemaker", "ResourceId": "%s", "ScalableDimension": "%s",
         "MinCapacity": %d, "MaxCapacity": %d}
        """
            .formatted(RESOURCE, DIMENSION, min, max));
    return this;
  }

  ScaleToZeroRecipe targetTracking(double target, int outCooldown, int inCooldown) {
    JsonNode out =
        f.call(
            "PutScalingPolicy",
            """
            {"ServiceNamespace": "sagemaker", "ResourceId": "%s", "ScalableDimension": "%s",
             "PolicyName": "tracking", "PolicyType": "TargetTrackingScaling",
             "TargetTrackingScalingPolicyConfiguration": {"TargetValue": %s,
               "PredefinedMetricSpecification": {"PredefinedMetricType":
                 "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"},
               "ScaleOutCooldown": %d, "ScaleInCooldown": %d}}
            """
                .formatted(RESOURCE, DIMENSION, target, outCooldown, inCooldown));
    trackingPolicyArn = out.get("PolicyARN").asText();
    return this;
  }

  /** The step policy and its alarm, as the guide's example: +1 copy, 30 s, Maximum >= 1. */
  ScaleToZeroRecipe scaleFromZero(int cooldown) {
    JsonNode out =
        f.call(
            "PutScalingPolicy",
            """
            {"ServiceNamespace": "sagemaker", "ResourceId": "%s", "ScalableDimension": "%s",
             "PolicyName": "from-zero", "PolicyType": "StepScaling",
             "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
               "MetricAggregationType": "Maximum", "Cooldown": %d,
               "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}}
            """
                .formatted(RESOURCE, DIMENSION, cooldown));
    stepPolicyArn = out.get("PolicyARN").asText();
    f.call(
        "PutMetricAlarm",
        """
        {"AlarmName": "ic-from-zero", "Namespace": "AWS/SageMaker",
         "MetricName": "NoCapacityInvocationFailures",
         "Dimensions": [{"Name": "InferenceComponentName", "Value": "ic"}],
         "Statistic": "Maximum", "Period": 30, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
         "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
         "TreatMissingData": "missing", "AlarmActions": ["%s"]}
        """
            .formatted(stepPolicyArn));
    return this;
  }

  JsonNode alarm(String name) {
    return f.sim.scaling(SimFixture.REGION).alarms().stream()
        .filter(a -> a.path("AlarmName").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Target tracking's own alarm, "AlarmHigh" or "AlarmLow". */
  JsonNode trackingAlarm(String side) {
    return f.sim.scaling(SimFixture.REGION).alarms().stream()
        .filter(a -> a.path("AlarmName").asText().contains("-" + side + "-"))
        .findFirst()
        .orElseThrow();
  }

  int desiredCopies() {
    return f.describeComponent("ic").at("/RuntimeConfig/DesiredCopyCount").asInt();
  }

  int currentCopies() {
    return f.describeComponent("ic").at("/RuntimeConfig/CurrentCopyCount").asInt();
  }

  /** Sends {@code n} requests; answers how many SageMaker refused for want of capacity. */
  int invoke(int n) {
    int refused = 0;
    for (int i = 0; i < n; i++) {
      try {
        f.invoke("ep", "ic", "{}");
      } catch (AwsError e) {
        refused++;
      }
    }
    return refused;
  }
}
