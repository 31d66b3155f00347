package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Application Auto Scaling for SageMaker (awsJson1_1, X-Amz-Target {@code
 * AnyScaleFrontendService.*}): scalable targets, scaling policies and scheduled actions, with the
 * checks AWS makes (the resource ID must name an existing component or variant and match the
 * dimension; policies and actions need a registered target; deregistering a target removes its
 * policies and actions). State is kept as the JSON AWS would describe.
 */
final class AutoScalingHandler {
  static final String COMPONENT_DIMENSION = "sagemaker:inference-component:DesiredCopyCount";
  static final String VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount";
  private static final Pattern COMPONENT = Pattern.compile("^inference-component/([^/]+)$");
  private static final Pattern VARIANT = Pattern.compile("^endpoint/([^/]+)/variant/([^/]+)$");
  private static final Set<String> POLICY_TYPES = Set.of("TargetTrackingScaling", "StepScaling");
  private static final Pattern SCHEDULE = Pattern.compile("^(cron|rate|at)\\(.+\\)$");

  private AutoScalingHandler() {}

  static ObjectNode registerScalableTarget(Ctx ctx, ObjectNode in) {
    String resourceId = target(ctx, in, true);
    String key = key(in);
    ObjectNode existing = ctx.region().scalableTargets.get(key);
    Integer min = in.hasNonNull("MinCapacity") ? in.get("MinCapacity").asInt() : null;
    Integer max = in.hasNonNull("MaxCapacity") ? in.get("MaxCapacity").asInt() : null;
    if (existing == null && (min == null || max == null)) {
      throw AwsError.validation(
          "MinCapacity and MaxCapacity are required when registering a new scalable target.");
    }
    int effectiveMin = min != null ? min : existing.get("MinCapacity").asInt();
    int effectiveMax = max != null ? max : existing.get("MaxCapacity").asInt();
    if (effectiveMin < 0 || effectiveMin > effectiveMax) {
      throw AwsError.validation(
          "Minimum capacity %d must be between 0 and maximum capacity %d.",
          effectiveMin, effectiveMax);
    }
    ObjectNode target = existing != null ? existing : Json.object();
    if (existing == null) {
      target.put("ServiceNamespace", "sagemaker");
      target.put("ResourceId", resourceId);
      target.put("ScalableDimension", in.get("ScalableDimension").asText());
      target.put("CreationTime", Json.epochSeconds(ctx.now()));
      target.put(
          "ScalableTargetARN",
          "arn:aws:application-autoscaling:"
              + ctx.region().name()
              + ":"
              + ctx.account()
              + ":scalable-target/"
              + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
      target.put(
          "RoleARN",
          "arn:aws:iam::"
              + ctx.account()
              + ":role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
              + "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint");
    }
    target.put("MinCapacity", effectiveMin);
    target.put("MaxCapacity", effectiveMax);
    if (in.has("SuspendedState")) {
      target.set("SuspendedState", in.get("SuspendedState"));
    }
    ctx.region().scalableTargets.put(key, target);
    return Json.object().put("ScalableTargetARN", target.get("ScalableTargetARN").asText());
  }

  static ObjectNode describeScalableTargets(Ctx ctx, ObjectNode in) {
    namespace(in);
    return Json.object()
        .set(
            "ScalableTargets",
            select(ctx.region().scalableTargets.values(), filter(in, "ResourceIds", "ResourceId")));
  }

  static ObjectNode deregisterScalableTarget(Ctx ctx, ObjectNode in) {
    namespace(in);
    String key = key(in);
    if (ctx.region().scalableTargets.remove(key) == null) {
      throw notFound("No scalable target registered for %s", describe(in));
    }
    // AWS removes the target's policies and scheduled actions with it.
    ctx.region()
        .scalingPolicies
        .entrySet()
        .removeIf(
            e -> {
              boolean of = e.getKey().startsWith(key + "|");
              if (of) {
                CloudWatchHandler.deleteTargetTrackingAlarms(ctx, e.getValue());
              }
              return of;
            });
    ctx.region().scheduledActions.keySet().removeIf(k -> k.startsWith(key + "|"));
    return Json.object();
  }

  static ObjectNode putScalingPolicy(Ctx ctx, ObjectNode in) {
    String name = required(in, "PolicyName");
    target(ctx, in, false);
    requireRegistered(ctx, in);
    String type = in.hasNonNull("PolicyType") ? in.get("PolicyType").asText() : "StepScaling";
    if (!POLICY_TYPES.contains(type)) {
      throw AwsError.validation("Unsupported policy type %s for SageMaker.", type);
    }
    String configuration =
        type.equals("TargetTrackingScaling")
            ? "TargetTrackingScalingPolicyConfiguration"
            : "StepScalingPolicyConfiguration";
    if (!in.hasNonNull(configuration)) {
      throw AwsError.validation("%s is required for policy type %s.", configuration, type);
    }
    String key = key(in) + "|" + name;
    ObjectNode existing = ctx.region().scalingPolicies.get(key);
    ObjectNode policy = in.deepCopy();
    policy.put("PolicyType", type);
    policy.put(
        "PolicyARN",
        existing != null
            ? existing.get("PolicyARN").asText()
            : "arn:aws:autoscaling:"
                + ctx.region().name()
                + ":"
                + ctx.account()
                + ":scalingPolicy:"
                + UUID.randomUUID()
                + ":resource/sagemaker/"
                + in.get("ResourceId").asText()
                + ":policyName/"
                + name);
    if (existing != null) {
      policy.set("CreationTime", existing.get("CreationTime"));
    } else {
      policy.put("CreationTime", Json.epochSeconds(ctx.now()));
    }
    if (existing != null) {
      CloudWatchHandler.deleteTargetTrackingAlarms(ctx, existing);
    }
    // Target tracking creates and owns its CloudWatch alarms (replaced on every put).
    ArrayNode alarms =
        type.equals("TargetTrackingScaling")
            ? CloudWatchHandler.targetTrackingAlarms(
                ctx, in.get("ResourceId").asText(), policy.get("PolicyARN").asText())
            : Json.array();
    policy.set("Alarms", alarms);
    if (type.equals("TargetTrackingScaling")) {
      TargetTrackingAlarms.configure(ctx, policy); // what they measure, so they can be evaluated
    }
    ctx.region().scalingPolicies.put(key, policy);
    return Json.object().put("PolicyARN", policy.get("PolicyARN").asText()).set("Alarms", alarms);
  }

  static ObjectNode describeScalingPolicies(Ctx ctx, ObjectNode in) {
    namespace(in);
    Predicate<JsonNode> names = filter(in, "PolicyNames", "PolicyName");
    return Json.object()
        .set(
            "ScalingPolicies",
            select(ctx.region().scalingPolicies.values(), names.and(sameTarget(in))));
  }

  static ObjectNode deleteScalingPolicy(Ctx ctx, ObjectNode in) {
    namespace(in);
    String name = required(in, "PolicyName");
    ObjectNode removed = ctx.region().scalingPolicies.remove(key(in) + "|" + name);
    if (removed != null) {
      CloudWatchHandler.deleteTargetTrackingAlarms(ctx, removed);
    } else {
      throw notFound(
          "No scaling policy found for service namespace: sagemaker, resource ID: %s,"
              + " scalable dimension: %s, policy name: %s",
          in.path("ResourceId").asText(), in.path("ScalableDimension").asText(), name);
    }
    return Json.object();
  }

  static ObjectNode putScheduledAction(Ctx ctx, ObjectNode in) {
    String name = required(in, "ScheduledActionName");
    target(ctx, in, false);
    requireRegistered(ctx, in);
    String key = key(in) + "|" + name;
    ObjectNode existing = ctx.region().scheduledActions.get(key);
    if (existing == null && !in.hasNonNull("Schedule")) {
      throw AwsError.validation("Schedule is required when creating a scheduled action.");
    }
    ObjectNode action = existing != null ? existing : Json.object();
    if (existing == null) {
      action.put("ScheduledActionName", name);
      action.put("ServiceNamespace", "sagemaker");
      action.put("ResourceId", in.get("ResourceId").asText());
      action.put("ScalableDimension", in.get("ScalableDimension").asText());
      action.put("CreationTime", Json.epochSeconds(ctx.now()));
      action.put(
          "ScheduledActionARN",
          "arn:aws:autoscaling:"
              + ctx.region().name()
              + ":"
              + ctx.account()
              + ":scheduledAction:"
              + UUID.randomUUID()
              + ":resource/sagemaker/"
              + in.get("ResourceId").asText()
              + ":scheduledActionName/"
              + name);
    }
    for (String member : List.of("Schedule", "Timezone", "StartTime", "EndTime")) {
      if (in.hasNonNull(member)) {
        action.set(member, in.get(member));
      }
    }
    if (!SCHEDULE.matcher(action.get("Schedule").asText()).matches()) {
      throw AwsError.validation(
          "Schedule must be cron(...), rate(...) or at(...): %s", action.get("Schedule").asText());
    }
    if (in.hasNonNull("ScalableTargetAction")) {
      action.set("ScalableTargetAction", in.get("ScalableTargetAction"));
    }
    ctx.region().scheduledActions.put(key, action);
    return Json.object();
  }

  static ObjectNode describeScheduledActions(Ctx ctx, ObjectNode in) {
    namespace(in);
    Predicate<JsonNode> names = filter(in, "ScheduledActionNames", "ScheduledActionName");
    return Json.object()
        .set(
            "ScheduledActions",
            select(ctx.region().scheduledActions.values(), names.and(sameTarget(in))));
  }

  static ObjectNode deleteScheduledAction(Ctx ctx, ObjectNode in) {
    namespace(in);
    String name = required(in, "ScheduledActionName");
    if (ctx.region().scheduledActions.remove(key(in) + "|" + name) == null) {
      throw notFound("No scheduled action found with name %s", name);
    }
    return Json.object();
  }

  // --- checks ------------------------------------------------------------------------------

  /** Validates namespace, resource ID and dimension; {@code mustExist} checks SageMaker too. */
  private static String target(Ctx ctx, ObjectNode in, boolean mustExist) {
    namespace(in);
    String resourceId = required(in, "ResourceId");
    String dimension = required(in, "ScalableDimension");
    Matcher component = COMPONENT.matcher(resourceId);
    Matcher variant = VARIANT.matcher(resourceId);
    if (component.matches()) {
      if (!dimension.equals(COMPONENT_DIMENSION)) {
        throw AwsError.validation(
            "Unsupported scalable dimension %s for resource %s.", dimension, resourceId);
      }
      if (mustExist && !ctx.region().components.containsKey(Arns.key(component.group(1)))) {
        throw AwsError.validation("The inference component %s does not exist.", component.group(1));
      }
    } else if (variant.matches()) {
      if (!dimension.equals(VARIANT_DIMENSION)) {
        throw AwsError.validation(
            "Unsupported scalable dimension %s for resource %s.", dimension, resourceId);
      }
      StoredEndpoint endpoint = ctx.region().endpoints.get(Arns.key(variant.group(1)));
      if (mustExist && (endpoint == null || endpoint.variant(variant.group(2)) == null)) {
        throw AwsError.validation(
            "The endpoint variant %s/%s does not exist.", variant.group(1), variant.group(2));
      }
    } else {
      throw AwsError.validation("Unsupported resource ID %s for namespace sagemaker.", resourceId);
    }
    return resourceId;
  }

  private static void requireRegistered(Ctx ctx, ObjectNode in) {
    if (!ctx.region().scalableTargets.containsKey(key(in))) {
      throw notFound("No scalable target registered for %s", describe(in));
    }
  }

  private static void namespace(ObjectNode in) {
    String namespace = required(in, "ServiceNamespace");
    if (!namespace.equals("sagemaker")) {
      throw AwsError.validation("The simulator serves service namespace sagemaker only.");
    }
  }

  private static String required(ObjectNode in, String member) {
    if (!in.hasNonNull(member) || in.get(member).asText().isEmpty()) {
      throw AwsError.validation("1 validation error detected: %s must not be null", member);
    }
    return in.get(member).asText();
  }

  private static String key(JsonNode in) {
    return in.path("ResourceId").asText() + "|" + in.path("ScalableDimension").asText();
  }

  private static String describe(ObjectNode in) {
    return "service namespace: sagemaker, resource ID: "
        + in.path("ResourceId").asText()
        + ", scalable dimension: "
        + in.path("ScalableDimension").asText();
  }

  private static AwsError notFound(String format, Object... args) {
    return AwsError.of(400, "ObjectNotFoundException", String.format(format, args));
  }

  /** Items whose {@code member} is in the request's list {@code listMember} (all if absent). */
  private static Predicate<JsonNode> filter(ObjectNode in, String listMember, String member) {
    if (!in.hasNonNull(listMember)) {
      return n -> true;
    }
    Set<String> wanted = new HashSet<>();
    in.get(listMember).forEach(v -> wanted.add(v.asText()));
    return n -> wanted.contains(n.path(member).asText());
  }

  private static Predicate<JsonNode> sameTarget(ObjectNode in) {
    return n ->
        (!in.hasNonNull("ResourceId")
                || in.get("ResourceId").asText().equals(n.path("ResourceId").asText()))
            && (!in.hasNonNull("ScalableDimension")
                || in.get("ScalableDimension")
                    .asText()
                    .equals(n.path("ScalableDimension").asText()));
  }

  private static ArrayNode select(Iterable<ObjectNode> items, Predicate<JsonNode> keep) {
    ArrayNode out = Json.array();
    for (ObjectNode item : items) {
      if (keep.test(item)) {
        out.add(item.deepCopy());
      }
    }
    return out;
  }
}
