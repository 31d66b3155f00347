package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Application Auto Scaling's record of what it did: one activity per capacity change it made or
 * tried (DescribeScalingActivities, newest first). An activity is Successful once SageMaker
 * accepted the change, Failed with SageMaker's message when it refused.
 */
final class ScalingActivities {
  private ScalingActivities() {}

  static ObjectNode record(
      RegionStore region,
      JsonNode target,
      Instant at,
      int from,
      int to,
      String cause,
      String failure) {
    String resourceId = target.path("ResourceId").asText();
    ObjectNode activity = Json.object();
    activity.put("ActivityId", UUID.randomUUID().toString());
    activity.put("ServiceNamespace", "sagemaker");
    activity.put("ResourceId", resourceId);
    activity.put("ScalableDimension", target.path("ScalableDimension").asText());
    activity.put(
        "Description",
        "Setting " + ScalableResources.noun(resourceId) + " to " + to + " (from " + from + ").");
    activity.put("Cause", cause);
    activity.put("StartTime", Json.epochSeconds(at));
    activity.put("EndTime", Json.epochSeconds(at));
    activity.put("StatusCode", failure == null ? "Successful" : "Failed");
    activity.put(
        "StatusMessage",
        failure == null ? "Successfully set " + ScalableResources.noun(resourceId) : failure);
    region.scaling.activities.add(activity);
    return activity;
  }

  /** DescribeScalingActivities: by resource and dimension when given, newest first. */
  static ObjectNode describe(Ctx ctx, ObjectNode in) {
    if (!"sagemaker".equals(in.path("ServiceNamespace").asText())) {
      throw AwsError.validation("The simulator serves service namespace sagemaker only.");
    }
    List<ObjectNode> all = ctx.region().scaling.activities;
    ArrayNode out = Json.array();
    for (int i = all.size() - 1; i >= 0; i--) {
      ObjectNode a = all.get(i);
      if (matches(in, a, "ResourceId") && matches(in, a, "ScalableDimension")) {
        out.add(a.deepCopy());
      }
    }
    return Json.object().set("ScalingActivities", out);
  }

  private static boolean matches(ObjectNode in, JsonNode activity, String member) {
    return !in.hasNonNull(member) || in.get(member).asText().equals(activity.path(member).asText());
  }
}
