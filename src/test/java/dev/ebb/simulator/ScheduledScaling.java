package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.whatif.aws.ScheduledActions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.OptionalInt;

/**
 * Scheduled actions firing: when a schedule fires (between its StartTime and EndTime, unless the
 * target's scheduled scaling is suspended), the action's ScalableTargetAction becomes the target's
 * min and/or max capacity, and a capacity outside the new bounds is brought inside them: below the
 * minimum it scales out to it, above the maximum it scales in to it.
 */
final class ScheduledScaling {
  private ScheduledScaling() {}

  /** Fires every action whose schedule falls in (after, ctx.now()]. */
  static void run(Ctx ctx, Instant after) {
    RegionStore region = ctx.region();
    for (ObjectNode action : new ArrayList<>(region.scheduledActions.values())) {
      String resourceId = action.path("ResourceId").asText();
      ObjectNode target =
          region.scalableTargets.get(resourceId + "|" + action.path("ScalableDimension").asText());
      if (target == null
          || target.path("SuspendedState").path("ScheduledScalingSuspended").asBoolean()) {
        continue;
      }
      for (Instant firing : ScheduledActions.firings(action, after, ctx.now())) {
        fire(ctx, action, target);
      }
    }
  }

  private static void fire(Ctx ctx, JsonNode action, ObjectNode target) {
    JsonNode bounds = action.path("ScalableTargetAction");
    if (bounds.hasNonNull("MinCapacity")) {
      target.put("MinCapacity", bounds.get("MinCapacity").asInt());
    }
    if (bounds.hasNonNull("MaxCapacity")) {
      target.put("MaxCapacity", bounds.get("MaxCapacity").asInt());
    }
    OptionalInt capacity =
        ScalableResources.capacity(ctx.region(), target.path("ResourceId").asText());
    if (capacity.isEmpty()) {
      return;
    }
    int current = capacity.getAsInt();
    int desired = dev.ebb.whatif.aws.PolicyCapacity.clamp(current, target);
    if (desired != current) {
      PolicyExecution.apply(
          ctx,
          target,
          current,
          desired,
          "scheduled action name "
              + action.path("ScheduledActionName").asText()
              + " set min capacity to "
              + target.path("MinCapacity").asInt()
              + " and max capacity to "
              + target.path("MaxCapacity").asInt());
    }
  }
}
