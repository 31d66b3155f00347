package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * CloudWatch metric alarms (AWS Query protocol): PutMetricAlarm, DescribeAlarms, DeleteAlarms, with
 * CloudWatch's checks. Alarms stay in INSUFFICIENT_DATA unless the simulator evaluates scaling
 * ({@link Autoscaling}, on with {@code SageMakerSimulator.Builder#autoscaling}). Application Auto
 * Scaling's target tracking creates and deletes its own alarms here too.
 */
final class CloudWatchHandler {
  private static final Set<String> STATISTICS =
      Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
  private static final Set<String> COMPARISONS =
      Set.of(
          "GreaterThanOrEqualToThreshold",
          "GreaterThanThreshold",
          "LessThanThreshold",
          "LessThanOrEqualToThreshold");
  private static final Set<String> MISSING =
      Set.of("breaching", "notBreaching", "ignore", "missing");

  private CloudWatchHandler() {}

  static ObjectNode putMetricAlarm(Ctx ctx, ObjectNode in) {
    String name = required(in, "AlarmName");
    required(in, "MetricName");
    required(in, "Namespace");
    String comparison = required(in, "ComparisonOperator");
    int evaluationPeriods = Integer.parseInt(required(in, "EvaluationPeriods"));
    double threshold = Double.parseDouble(required(in, "Threshold"));
    int period = Integer.parseInt(required(in, "Period"));
    String statistic = required(in, "Statistic");
    int datapoints =
        in.hasNonNull("DatapointsToAlarm")
            ? Integer.parseInt(in.get("DatapointsToAlarm").asText())
            : evaluationPeriods;
    String missing =
        in.hasNonNull("TreatMissingData") ? in.get("TreatMissingData").asText() : "missing";
    if (!STATISTICS.contains(statistic)) {
      throw invalid("Statistic %s is not one of %s.", statistic, STATISTICS);
    }
    if (!COMPARISONS.contains(comparison)) {
      throw invalid("ComparisonOperator %s is not valid.", comparison);
    }
    if (!(period == 10 || period == 20 || period == 30 || (period >= 60 && period % 60 == 0))) {
      throw invalid("Period must be 10, 20, 30 or a multiple of 60, not %d.", period);
    }
    if (evaluationPeriods < 1 || datapoints < 1 || datapoints > evaluationPeriods) {
      throw invalid("DatapointsToAlarm must be between 1 and EvaluationPeriods.");
    }
    if ((long) period * evaluationPeriods > 86400) {
      throw invalid("Period * EvaluationPeriods must not exceed one day.");
    }
    if (!MISSING.contains(missing)) {
      throw invalid("TreatMissingData %s is not valid.", missing);
    }
    ObjectNode existing = ctx.region().alarms.get(name);
    ObjectNode alarm = Json.object();
    alarm.put("AlarmName", name);
    alarm.put("AlarmArn", alarmArn(ctx, name));
    alarm.put("Namespace", in.get("Namespace").asText());
    alarm.put("MetricName", in.get("MetricName").asText());
    ArrayNode dimensions = alarm.putArray("Dimensions");
    for (JsonNode d : in.path("Dimensions")) {
      dimensions
          .addObject()
          .put("Name", d.path("Name").asText())
          .put("Value", d.path("Value").asText());
    }
    alarm.put("Statistic", statistic);
    alarm.put("Period", period);
    alarm.put("EvaluationPeriods", evaluationPeriods);
    alarm.put("DatapointsToAlarm", datapoints);
    alarm.put("Threshold", threshold);
    alarm.put("ComparisonOperator", comparison);
    alarm.put("TreatMissingData", missing);
    ArrayNode actions = alarm.putArray("AlarmActions");
    for (JsonNode action : in.path("AlarmActions")) {
      actions.add(action.asText());
    }
    alarm.put(
        "ActionsEnabled", !in.has("ActionsEnabled") || in.get("ActionsEnabled").asBoolean(true));
    alarm.put(
        "StateValue", existing != null ? existing.get("StateValue").asText() : "INSUFFICIENT_DATA");
    alarm.put("StateReason", "Unchecked: Initial alarm creation");
    alarm.put("AlarmConfigurationUpdatedTimestamp", ctx.now().toString());
    ctx.region().alarms.put(name, alarm);
    return Json.object();
  }

  static ObjectNode describeAlarms(Ctx ctx, ObjectNode in) {
    List<String> names = new ArrayList<>();
    in.path("AlarmNames").forEach(n -> names.add(n.asText()));
    String prefix = in.hasNonNull("AlarmNamePrefix") ? in.get("AlarmNamePrefix").asText() : null;
    if (!names.isEmpty() && prefix != null) {
      throw invalid("AlarmNames and AlarmNamePrefix cannot be used together.");
    }
    ArrayNode out = Json.array();
    for (ObjectNode alarm : ctx.region().alarms.values()) {
      String name = alarm.get("AlarmName").asText();
      if ((names.isEmpty() || names.contains(name))
          && (prefix == null || name.startsWith(prefix))) {
        out.add(alarm.deepCopy());
      }
    }
    ObjectNode result = Json.object();
    result.set("MetricAlarms", out);
    return result;
  }

  static ObjectNode deleteAlarms(Ctx ctx, ObjectNode in) {
    List<String> names = new ArrayList<>();
    in.path("AlarmNames").forEach(n -> names.add(n.asText()));
    List<String> missing = names.stream().filter(n -> !ctx.region().alarms.containsKey(n)).toList();
    if (!missing.isEmpty()) {
      throw AwsError.of(404, "ResourceNotFound", "Alarms not found: " + missing);
    }
    names.forEach(ctx.region().alarms::remove);
    return Json.object();
  }

  /**
   * SetAlarmState: "Temporarily sets the state of an alarm for testing purposes. When the updated
   * state differs from the previous value, the action configured for the appropriate state is
   * invoked" (CloudWatch API reference). An alarm set to ALARM from another state invokes its Auto
   * Scaling actions then, when scaling is on, with the datapoints of {@code StateReasonData}'s
   * {@code recentDatapoints}: "If an alarm triggers EC2 Auto Scaling policies or application Auto
   * Scaling policies, you must include information in the StateReasonData parameter to enable the
   * policy to take the correct action" (without it, no step matches and nothing scales). The state
   * holds until the alarm is next evaluated, at the end of its period (AWS: "often within
   * seconds").
   */
  static ObjectNode setAlarmState(Ctx ctx, ObjectNode in) {
    String name = required(in, "AlarmName");
    String state = required(in, "StateValue");
    String reason = required(in, "StateReason");
    ObjectNode alarm = ctx.region().alarms.get(name);
    if (alarm == null) {
      throw AwsError.of(404, "ResourceNotFound", "Alarm " + name + " does not exist.");
    }
    if (!Set.of("OK", "ALARM", "INSUFFICIENT_DATA").contains(state)) {
      throw invalid("StateValue %s is not valid.", state);
    }
    boolean entered = state.equals("ALARM") && !state.equals(alarm.path("StateValue").asText());
    alarm.put("StateValue", state);
    alarm.put("StateReason", reason);
    alarm.put("StateUpdatedTimestamp", ctx.now().toString());
    ScalingState scaling = ctx.region().scaling;
    // lastTick is set while scaling is on: the region was just brought up to now.
    if (entered && scaling.lastTick != null) {
      scaling.alarmDatapoints.put(name, recentDatapoints(in));
      Autoscaling.act(ctx, alarm, ctx.now());
    }
    return Json.object();
  }

  /** {@code StateReasonData.recentDatapoints}, as CloudWatch writes it for a metric alarm. */
  private static List<Double> recentDatapoints(ObjectNode in) {
    if (!in.hasNonNull("StateReasonData")) {
      return List.of();
    }
    JsonNode data;
    try {
      data = Json.MAPPER.readTree(in.get("StateReasonData").asText());
    } catch (java.io.IOException e) {
      throw invalid("StateReasonData is not valid JSON.");
    }
    List<Double> values = new ArrayList<>();
    data.path("recentDatapoints").forEach(v -> values.add(v.asDouble()));
    return values;
  }

  /** The alarms target tracking creates: high (scale out) and low (scale in). */
  static ArrayNode targetTrackingAlarms(Ctx ctx, String resourceId, String policyArn) {
    ArrayNode created = Json.array();
    for (String side : List.of("AlarmHigh", "AlarmLow")) {
      String name = "TargetTracking-" + resourceId + "-" + side + "-" + UUID.randomUUID();
      ObjectNode alarm = Json.object();
      alarm.put("AlarmName", name);
      alarm.put("AlarmArn", alarmArn(ctx, name));
      alarm.put("StateValue", "INSUFFICIENT_DATA");
      alarm.putArray("AlarmActions").add(policyArn);
      ctx.region().alarms.put(name, alarm);
      created.addObject().put("AlarmName", name).put("AlarmARN", alarm.get("AlarmArn").asText());
    }
    return created;
  }

  /** Removes alarms target tracking created for a policy that is deleted or replaced. */
  static void deleteTargetTrackingAlarms(Ctx ctx, JsonNode policy) {
    for (JsonNode alarm : policy.path("Alarms")) {
      ctx.region().alarms.remove(alarm.path("AlarmName").asText());
    }
  }

  private static String alarmArn(Ctx ctx, String name) {
    return "arn:aws:cloudwatch:" + ctx.region().name() + ":" + ctx.account() + ":alarm:" + name;
  }

  private static String required(ObjectNode in, String member) {
    if (!in.hasNonNull(member) || in.get(member).asText().isEmpty()) {
      throw invalid("1 validation error detected: %s must not be null", member);
    }
    return in.get(member).asText();
  }

  private static AwsError invalid(String format, Object... args) {
    return AwsError.of(400, "ValidationError", String.format(format, args));
  }
}
