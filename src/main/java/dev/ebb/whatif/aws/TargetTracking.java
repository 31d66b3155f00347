package dev.ebb.whatif.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Target tracking as Application Auto Scaling runs it: the two CloudWatch alarms it creates for a
 * policy (AlarmHigh: the metric above the target; AlarmLow: below 90 % of it, over a longer window,
 * not created when scale-in is disabled), and the capacity it asks for when one fires: proportional
 * to the metric, ceil(capacity x metric / target), out only from AlarmHigh and in only from
 * AlarmLow. Nothing is scaled from zero capacity: there is no metric to be proportional to.
 */
public final class TargetTracking {
  /** SageMaker's metrics namespace in CloudWatch. */
  public static final String NAMESPACE = "AWS/SageMaker";

  private static final Pattern COMPONENT = Pattern.compile("^inference-component/([^/]+)$");
  private static final Pattern VARIANT = Pattern.compile("^endpoint/([^/]+)/variant/([^/]+)$");

  /** A predefined metric: what CloudWatch metric and how the alarms read it. */
  record Metric(String name, String statistic, int periodSeconds, boolean perComponent) {}

  private static final Map<String, Metric> PREDEFINED =
      Map.of(
          "SageMakerVariantInvocationsPerInstance",
          new Metric("InvocationsPerInstance", "Sum", 60, false),
          "SageMakerInferenceComponentInvocationsPerCopy",
          new Metric("InvocationsPerCopy", "Sum", 60, true),
          "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
          new Metric("ConcurrentRequestsPerCopy", "Average", 10, true),
          "SageMakerVariantConcurrentRequestsPerModelHighResolution",
          new Metric("ConcurrentRequestsPerModel", "Average", 10, false));

  /** Scale-in waits 15 minutes of datapoints below the low threshold (assumed at 10 s too). */
  public static final int LOW_WINDOW_SECONDS = 15 * 60;

  /** Scale-out needs 3 datapoints above the target. */
  public static final int HIGH_DATAPOINTS = 3;

  /** AlarmLow's threshold, as a fraction of the target. */
  public static final double LOW_FRACTION = 0.9;

  private TargetTracking() {}

  /**
   * Gives {@code alarm}, one of the two Application Auto Scaling creates for a target tracking
   * policy ({@code high}: AlarmHigh, else AlarmLow), its metric, statistic, period, datapoints and
   * threshold from the policy's {@code config}, for the target {@code resourceId}.
   */
  public static void configure(ObjectNode alarm, JsonNode config, String resourceId, boolean high) {
    double target = config.path("TargetValue").asDouble();
    describeMetric(alarm, config, resourceId);
    int period = alarm.path("Period").asInt();
    int datapoints = high ? HIGH_DATAPOINTS : Math.max(1, LOW_WINDOW_SECONDS / period);
    alarm.put("EvaluationPeriods", datapoints);
    alarm.put("DatapointsToAlarm", datapoints);
    alarm.put("Threshold", high ? target : target * LOW_FRACTION);
    alarm.put("ComparisonOperator", high ? "GreaterThanThreshold" : "LessThanThreshold");
    alarm.put("TreatMissingData", "missing");
    alarm.put("ActionsEnabled", true);
  }

  /** Whether an alarm Application Auto Scaling created is a policy's AlarmHigh. */
  public static boolean isHigh(String alarmName) {
    return alarmName.contains("-AlarmHigh-");
  }

  private static void describeMetric(ObjectNode alarm, JsonNode config, String resourceId) {
    ArrayNode dimensions = alarm.putArray("Dimensions");
    JsonNode predefined = config.path("PredefinedMetricSpecification");
    if (predefined.hasNonNull("PredefinedMetricType")) {
      Metric metric = PREDEFINED.get(predefined.get("PredefinedMetricType").asText());
      if (metric == null) {
        alarm.remove("MetricName"); // a metric the simulator does not publish: never evaluated
        return;
      }
      alarm.put("Namespace", NAMESPACE);
      alarm.put("MetricName", metric.name());
      alarm.put("Statistic", metric.statistic());
      alarm.put("Period", metric.periodSeconds());
      Matcher component = COMPONENT.matcher(resourceId);
      Matcher variant = VARIANT.matcher(resourceId);
      if (component.matches()) {
        dimension(dimensions, "InferenceComponentName", component.group(1));
      } else if (variant.matches()) {
        dimension(dimensions, "EndpointName", variant.group(1));
        dimension(dimensions, "VariantName", variant.group(2));
      }
      return;
    }
    JsonNode custom = config.path("CustomizedMetricSpecification");
    alarm.put("Namespace", custom.path("Namespace").asText());
    alarm.put("MetricName", custom.path("MetricName").asText());
    alarm.put("Statistic", custom.path("Statistic").asText("Average"));
    alarm.put("Period", 60);
    for (JsonNode d : custom.path("Dimensions")) {
      dimension(dimensions, d.path("Name").asText(), d.path("Value").asText());
    }
  }

  private static void dimension(ArrayNode dimensions, String name, String value) {
    dimensions.addObject().put("Name", name).put("Value", value);
  }

  /**
   * The capacity target tracking asks for when {@code alarm} fires with {@code datapoints} (newest
   * first), or empty when it would not change {@code current} in the alarm's direction.
   */
  public static OptionalInt desired(
      JsonNode config, JsonNode alarm, List<Double> datapoints, int current) {
    if (current == 0 || datapoints.isEmpty()) {
      return OptionalInt.empty();
    }
    boolean high = isHigh(alarm.path("AlarmName").asText());
    if (!high && config.path("DisableScaleIn").asBoolean(false)) {
      return OptionalInt.empty();
    }
    double target = config.path("TargetValue").asDouble();
    double raw = current * datapoints.get(0) / target;
    int wanted = (int) Math.ceil(raw - 1e-9);
    if (high ? wanted > current : wanted < current) {
      return OptionalInt.of(wanted);
    }
    return OptionalInt.empty();
  }
}
