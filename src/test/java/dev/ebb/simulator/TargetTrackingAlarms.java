package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.whatif.aws.TargetTracking;
import java.util.Iterator;

/**
 * The region's side of target tracking's alarms: the ones {@link
 * CloudWatchHandler#targetTrackingAlarms} created for a policy are configured as Application Auto
 * Scaling does ({@link TargetTracking#configure}); AlarmLow is dropped when scale-in is disabled.
 */
final class TargetTrackingAlarms {
  private TargetTrackingAlarms() {}

  static void configure(Ctx ctx, ObjectNode policy) {
    JsonNode config = policy.path("TargetTrackingScalingPolicyConfiguration");
    boolean scaleIn = !config.path("DisableScaleIn").asBoolean(false);
    ArrayNode created = (ArrayNode) policy.path("Alarms");
    for (Iterator<JsonNode> it = created.iterator(); it.hasNext(); ) {
      String name = it.next().path("AlarmName").asText();
      ObjectNode alarm = ctx.region().alarms.get(name);
      if (alarm == null) {
        continue;
      }
      boolean high = TargetTracking.isHigh(name);
      if (!high && !scaleIn) {
        ctx.region().alarms.remove(name);
        it.remove();
        continue;
      }
      TargetTracking.configure(alarm, config, policy.path("ResourceId").asText(), high);
    }
  }
}
