package dev.ebb.sagemaker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compiled recipe ({@link ScalingRecipes#of}) as Application Auto Scaling and CloudWatch store
 * its objects once the operator created them: the scalable target, the policies, the recipe's own
 * alarms (not the two target tracking creates per policy: Application Auto Scaling makes those),
 * the scheduled actions. What-if runs these with AWS's behaviour ({@code dev.ebb.whatif.aws}).
 */
public record ScalingRecipeJson(
    ObjectNode target,
    List<ObjectNode> policies,
    List<ObjectNode> alarms,
    List<ObjectNode> actions) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String ARN = "arn:aws:autoscaling:what-if:000000000000:scalingPolicy:";

  /** The recipe's objects as they stand after the operator created them at {@code created}. */
  public static ScalingRecipeJson of(ScalingRecipes.Desired desired, Instant created) {
    ScalingRecipes.Target t = desired.target();
    String resourceId = t.resourceId();
    String dimension = t.dimension().toString();
    ObjectNode target = NODES.objectNode();
    target.put("ServiceNamespace", "sagemaker");
    target.put("ResourceId", resourceId);
    target.put("ScalableDimension", dimension);
    target.put("MinCapacity", desired.minCapacity());
    target.put("MaxCapacity", desired.maxCapacity());
    target.putObject("SuspendedState");

    List<ObjectNode> policies = new ArrayList<>();
    List<ObjectNode> alarms = new ArrayList<>();
    Map<String, String> arns = new TreeMap<>();
    for (ScalingRecipes.DesiredPolicy p : desired.policies()) {
      ObjectNode policy = NODES.objectNode();
      String arn = ARN + resourceId + ":policyName/" + p.name();
      arns.put(p.name(), arn);
      policy.put("PolicyARN", arn);
      policy.put("PolicyName", p.name());
      policy.put("ServiceNamespace", "sagemaker");
      policy.put("ResourceId", resourceId);
      policy.put("ScalableDimension", dimension);
      policy.put("PolicyType", p.type().toString());
      if (p.targetTracking() != null) {
        policy.set("TargetTrackingScalingPolicyConfiguration", SdkJson.of(p.targetTracking()));
      } else {
        policy.set("StepScalingPolicyConfiguration", SdkJson.of(p.stepScaling()));
      }
      policies.add(policy);
    }
    for (ScalingRecipes.DesiredAlarm a : desired.alarms()) {
      ObjectNode alarm = NODES.objectNode();
      alarm.put("AlarmName", a.name());
      alarm.put("Namespace", a.namespace());
      alarm.put("MetricName", a.metricName());
      var dimensions = alarm.putArray("Dimensions");
      new TreeMap<>(a.dimensions())
          .forEach((name, value) -> dimensions.addObject().put("Name", name).put("Value", value));
      alarm.put("Statistic", a.statistic());
      alarm.put("Period", a.periodSeconds());
      alarm.put("EvaluationPeriods", a.evaluationPeriods());
      alarm.put("DatapointsToAlarm", a.datapointsToAlarm());
      alarm.put("Threshold", a.threshold());
      alarm.put("ComparisonOperator", a.comparison());
      alarm.put("TreatMissingData", a.treatMissingData());
      alarm.put("ActionsEnabled", true);
      alarm.putArray("AlarmActions").add(arns.get(a.policyName()));
      alarm.put("StateValue", "INSUFFICIENT_DATA");
      alarms.add(alarm);
    }
    List<ObjectNode> actions = new ArrayList<>();
    for (ScalingRecipes.DesiredAction a : desired.actions()) {
      ObjectNode action = NODES.objectNode();
      action.put("ScheduledActionName", a.name());
      action.put("ServiceNamespace", "sagemaker");
      action.put("ResourceId", resourceId);
      action.put("ScalableDimension", dimension);
      action.put("Schedule", a.schedule());
      if (a.timeZone() != null) {
        action.put("Timezone", a.timeZone());
      }
      if (a.start() != null) {
        action.put("StartTime", seconds(a.start()));
      }
      if (a.end() != null) {
        action.put("EndTime", seconds(a.end()));
      }
      action.set("ScalableTargetAction", SdkJson.of(a.action()));
      action.put("CreationTime", seconds(created));
      actions.add(action);
    }
    return new ScalingRecipeJson(
        target, List.copyOf(policies), List.copyOf(alarms), List.copyOf(actions));
  }

  private static BigDecimal seconds(Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond())
        .add(BigDecimal.valueOf(t.getNano(), 9))
        .stripTrailingZeros();
  }
}
