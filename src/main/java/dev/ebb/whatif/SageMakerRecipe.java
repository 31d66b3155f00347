package dev.ebb.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sagemaker.ScalingRecipeJson;
import dev.ebb.sagemaker.ScalingRecipes;
import dev.ebb.whatif.aws.TargetTracking;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scaling objects the operator compiles for a ScalingPolicy on SageMaker ({@link
 * ScalingRecipes#of}, the very code the policy reconciler runs), as Application Auto Scaling and
 * CloudWatch hold them once created ({@link ScalingRecipeJson}), with the two alarms Application
 * Auto Scaling creates for each target tracking policy: what {@code dev.ebb.whatif.aws} runs.
 */
record SageMakerRecipe(
    ObjectNode target,
    List<ObjectNode> policies,
    List<ObjectNode> alarms,
    List<ObjectNode> actions) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static SageMakerRecipe of(ScalingRecipes.Desired desired, Instant created) {
    ScalingRecipeJson json = ScalingRecipeJson.of(desired, created);
    List<ObjectNode> alarms = new ArrayList<>();
    for (ObjectNode policy : json.policies()) {
      JsonNode config = policy.path("TargetTrackingScalingPolicyConfiguration");
      if (!config.isObject()) {
        continue;
      }
      boolean scaleIn = !config.path("DisableScaleIn").asBoolean(false);
      String resourceId = policy.path("ResourceId").asText();
      for (boolean high : scaleIn ? List.of(true, false) : List.of(true)) {
        ObjectNode alarm = NODES.objectNode();
        alarm.put(
            "AlarmName",
            "TargetTracking-"
                + resourceId
                + (high ? "-AlarmHigh-" : "-AlarmLow-")
                + policy.path("PolicyName").asText());
        alarm.putArray("AlarmActions").add(policy.path("PolicyARN").asText());
        alarm.put("StateValue", "INSUFFICIENT_DATA");
        TargetTracking.configure(alarm, config, resourceId, high);
        alarms.add(alarm);
      }
    }
    alarms.addAll(json.alarms());
    return new SageMakerRecipe(json.target(), json.policies(), List.copyOf(alarms), json.actions());
  }
}
