package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CreateEndpoint, DescribeEndpoint, UpdateEndpoint, UpdateEndpointWeightsAndCapacities,
 * DeleteEndpoint, ListEndpoints.
 */
final class EndpointHandler {
  private EndpointHandler() {}

  static ObjectNode create(Ctx ctx, ObjectNode in) {
    String name = Json.text(in, "EndpointName");
    String configName = Json.text(in, "EndpointConfigName");
    Map<String, String> tags = ReservedTags.userTags(in);
    if (ctx.region().endpoints.containsKey(Arns.key(name))) {
      throw AwsError.validation(
          "Cannot create already existing endpoint \"%s\".", ctx.arn(Arns.ENDPOINT, name));
    }
    StoredEndpointConfig config = Refs.referencedConfig(ctx, configName);
    Map<String, StoredVariant> variants = deploy(ctx, config.request);
    ctx.quotas().check(ctx.region(), null, Quotas.wanted(variants));
    Optional<String> failure = ctx.faults().createFailure("CreateEndpoint", name, images(variants));

    StoredEndpoint e = new StoredEndpoint(name, ctx.arn(Arns.ENDPOINT, name), ctx.now());
    e.configName = config.name;
    e.config = config.request.deepCopy();
    e.tags.putAll(tags);
    e.lastDeploymentConfig = Json.child(in, "DeploymentConfig");
    ctx.region().endpoints.put(Arns.key(name), e);
    ctx.region()
        .after(
            e,
            ctx.now(),
            ctx.delays().endpointCreate(),
            at -> {
              if (failure.isPresent()) {
                e.status = StoredEndpoint.Status.FAILED;
                e.failureReason = failure.get();
              } else {
                variants.values().forEach(variant -> variant.deployedAt = at);
                e.runConfig(e.configName, e.config, variants);
                e.status = StoredEndpoint.Status.IN_SERVICE;
              }
            });
    return Json.object().put("EndpointArn", e.arn);
  }

  /** The variants a config deploys, with the images of their models resolved now. */
  private static Map<String, StoredVariant> deploy(Ctx ctx, ObjectNode config) {
    Map<String, StoredVariant> variants = StoredEndpoint.variantsOf(config);
    for (StoredVariant variant : variants.values()) {
      String model = Json.text(variant.spec, "ModelName");
      if (model != null) {
        variant.images = Refs.model(ctx, model).images();
      }
    }
    return variants;
  }

  private static List<String> images(Map<String, StoredVariant> variants) {
    List<String> images = new ArrayList<>();
    variants.values().forEach(variant -> images.addAll(variant.images));
    return images;
  }

  static ObjectNode describe(Ctx ctx, ObjectNode in) {
    return Descriptions.endpoint(ctx.region(), Refs.endpoint(ctx, requiredName(in)));
  }

  static ObjectNode update(Ctx ctx, ObjectNode in) {
    String name = Json.text(in, "EndpointName");
    String configName = Json.text(in, "EndpointConfigName");
    List<ObjectNode> excluded = Json.objects(in, "ExcludeRetainedVariantProperties");
    StoredEndpoint e = Refs.endpoint(ctx, name);
    if (e.status != StoredEndpoint.Status.UPDATE_ROLLBACK_FAILED) {
      // An endpoint whose update and rollback both failed is remedied by updating it again.
      requireInService(e);
    }
    StoredEndpointConfig config = Refs.referencedConfig(ctx, configName);
    Map<String, StoredVariant> next = deploy(ctx, config.request);
    keepComponentsPlaced(ctx, e, next);
    if (in.path("RetainAllVariantProperties").asBoolean(false)) {
      Set<String> dropped = new HashSet<>();
      excluded.forEach(x -> dropped.add(Json.text(x, "VariantPropertyType")));
      retain(e, next, dropped);
    }
    next.values().forEach(variant -> variant.hostedComponents = hosted(e, variant.name));
    ctx.quotas().check(ctx.region(), e, Quotas.wanted(next));
    Optional<String> failure = ctx.faults().updateFailure("UpdateEndpoint", images(next));
    ObjectNode deployment = Json.child(in, "DeploymentConfig");
    if (deployment == null && in.path("RetainDeploymentConfig").asBoolean(false)) {
      deployment = e.lastDeploymentConfig;
    }
    ObjectNode lastDeployment = deployment;

    e.status = StoredEndpoint.Status.UPDATING;
    e.lastModifiedTime = ctx.now();
    e.failureReason = null;
    e.pendingConfigName = config.name;
    e.pendingConfig = config.request.deepCopy();
    e.pendingVariants = next;
    e.pendingStart = ctx.now();
    ctx.region()
        .after(
            e,
            ctx.now(),
            ctx.delays().endpointUpdate(),
            at -> {
              Optional<String> rollback =
                  failure.or(() -> RollbackAlarms.firing(ctx.region(), lastDeployment));
              String deployedName = e.pendingConfigName;
              ObjectNode deployed = e.pendingConfig;
              e.clearPending();
              if (rollback.isEmpty()) {
                next.values().forEach(variant -> variant.deployedAt = at);
                e.runConfig(deployedName, deployed, next);
                e.lastDeploymentConfig = lastDeployment;
                e.status = StoredEndpoint.Status.IN_SERVICE;
                return;
              }
              Optional<String> rollbackFailed = ctx.faults().rollbackFailure();
              if (rollbackFailed.isPresent()) {
                // "Both the rolling deployment and auto-rollback failed": in service on a mix.
                e.failureReason = rollbackFailed.get();
                e.status = StoredEndpoint.Status.UPDATE_ROLLBACK_FAILED;
                return;
              }
              // SageMaker rolls the update back: traffic returns to the old fleet, which keeps
              // serving on the old config; FailureReason says why (DescribeEndpoint's docs).
              e.failureReason = rollback.get();
              e.status = StoredEndpoint.Status.ROLLING_BACK;
              ctx.region()
                  .after(
                      e,
                      at,
                      ctx.delays().endpointUpdate(),
                      done -> e.status = StoredEndpoint.Status.IN_SERVICE);
            });
    return Json.object().put("EndpointArn", e.arn);
  }

  /** RetainAllVariantProperties: same-named variants keep their live count and weight. */
  private static void retain(StoredEndpoint e, Map<String, StoredVariant> next, Set<String> drop) {
    for (StoredVariant variant : next.values()) {
      StoredVariant old = e.variant(variant.name);
      if (old == null) {
        continue;
      }
      if (!drop.contains("DesiredInstanceCount")) {
        variant.currentInstanceCount = variant.desiredInstanceCount = old.desiredInstanceCount;
      }
      if (!drop.contains("DesiredWeight")) {
        variant.currentWeight = variant.desiredWeight = old.desiredWeight;
      }
    }
  }

  private static boolean hosted(StoredEndpoint e, String variantName) {
    StoredVariant old = e.variant(variantName);
    return old != null && old.hostedComponents;
  }

  /** Inference components stay where they are, so the new config must still have their variant. */
  private static void keepComponentsPlaced(
      Ctx ctx, StoredEndpoint e, Map<String, StoredVariant> next) {
    for (StoredComponent c : ctx.region().components.values()) {
      if (!Arns.key(c.endpointName).equals(Arns.key(e.name))) {
        continue;
      }
      StoredVariant variant = next.get(Arns.key(c.variantName));
      if (variant == null || !variant.forComponents()) {
        throw AwsError.validation(
            "Cannot update endpoint \"%s\": inference component %s is deployed on variant %s,"
                + " which the new endpoint configuration does not offer for inference components.",
            e.arn, c.name, c.variantName);
      }
    }
  }

  static ObjectNode updateWeightsAndCapacities(Ctx ctx, ObjectNode in) {
    String name = Json.text(in, "EndpointName");
    List<ObjectNode> desired = Json.objects(in, "DesiredWeightsAndCapacities");
    StoredEndpoint e = Refs.endpoint(ctx, name);
    requireInService(e);
    List<String> missing = new ArrayList<>();
    for (ObjectNode d : desired) {
      if (e.variant(Json.text(d, "VariantName")) == null) {
        missing.add(Json.text(d, "VariantName"));
      }
    }
    if (!missing.isEmpty()) {
      throw AwsError.validation(
          "The variant(s) \"%s\" is/are not present in the endpoint \"%s\".", missing, e.arn);
    }
    for (ObjectNode d : desired) {
      StoredVariant variant = e.variant(Json.text(d, "VariantName"));
      if (!d.has("DesiredWeight") && !d.has("DesiredInstanceCount")) {
        throw AwsError.validation(
            "Specify DesiredWeight or DesiredInstanceCount for variant %s.", variant.name);
      }
      if (d.path("DesiredInstanceCount").asInt(1) == 0 && !mayHaveZeroInstances(e, variant)) {
        throw AwsError.validation(
            "DesiredInstanceCount 0 for variant %s is supported only for asynchronous inference"
                + " endpoints and variants with managed instance scaling down to 0.",
            variant.name);
      }
    }
    Map<String, Integer> wanted = new HashMap<>(Quotas.wanted(e.variants));
    for (ObjectNode d : desired) {
      StoredVariant variant = e.variant(Json.text(d, "VariantName"));
      String type = Json.text(variant.spec, "InstanceType");
      if (d.has("DesiredInstanceCount") && type != null) {
        int delta = d.get("DesiredInstanceCount").asInt() - variant.desiredInstanceCount;
        wanted.merge(type, delta, Integer::sum);
      }
    }
    ctx.quotas().check(ctx.region(), e, wanted);
    for (ObjectNode d : desired) {
      StoredVariant variant = e.variant(Json.text(d, "VariantName"));
      if (d.has("DesiredWeight")) {
        variant.desiredWeight = d.get("DesiredWeight").asDouble();
      }
      if (d.has("DesiredInstanceCount")) {
        variant.desiredInstanceCount = d.get("DesiredInstanceCount").asInt();
      }
    }
    e.status = StoredEndpoint.Status.UPDATING;
    e.lastModifiedTime = ctx.now();
    ctx.region()
        .after(
            e,
            ctx.now(),
            ctx.delays().endpointUpdate(),
            at -> {
              for (StoredVariant variant : e.variants.values()) {
                variant.currentWeight = variant.desiredWeight;
                variant.currentInstanceCount = variant.desiredInstanceCount;
              }
              e.status = StoredEndpoint.Status.IN_SERVICE;
            });
    return Json.object().put("EndpointArn", e.arn);
  }

  private static boolean mayHaveZeroInstances(StoredEndpoint e, StoredVariant variant) {
    ObjectNode mis = variant.managedScaling();
    return e.config.has("AsyncInferenceConfig")
        || (mis != null && mis.path("MinInstanceCount").asInt(1) == 0);
  }

  private static void requireInService(StoredEndpoint e) {
    switch (e.status) {
      case IN_SERVICE -> {}
      case FAILED ->
          throw AwsError.validation(
              "Cannot update failed endpoint \"%s\". Delete it and create it again.", e.arn);
      default -> throw AwsError.validation("Cannot update in-progress endpoint \"%s\".", e.arn);
    }
  }

  static ObjectNode delete(Ctx ctx, ObjectNode in) {
    StoredEndpoint e = Refs.endpoint(ctx, requiredName(in));
    if (e.status == StoredEndpoint.Status.DELETING) {
      return Json.object();
    }
    // AWS's API reference documents no refusal while inference components remain; its developer
    // guide says SageMaker deletes them first when the console deletes an endpoint. The simulator
    // does the same for the API (assumed; docs/simulator.md): they go with the endpoint.
    for (StoredComponent c : List.copyOf(ctx.region().components.values())) {
      if (Arns.key(c.endpointName).equals(Arns.key(e.name))) {
        c.status = StoredComponent.Status.DELETING;
        c.lastModifiedTime = ctx.now();
        ctx.region()
            .after(
                c,
                ctx.now(),
                ctx.delays().componentDelete(),
                at -> {
                  c.currentCopyCount = 0;
                  ctx.region().forget(ctx.region().components, c);
                });
      }
    }
    e.status = StoredEndpoint.Status.DELETING;
    e.lastModifiedTime = ctx.now();
    e.clearPending();
    ctx.region()
        .after(
            e,
            ctx.now(),
            ctx.delays().endpointDelete(),
            at -> ctx.region().forget(ctx.region().endpoints, e));
    return Json.object();
  }

  static ObjectNode list(Ctx ctx, ObjectNode in) {
    Map<String, Comparator<StoredEndpoint>> sortKeys =
        Map.of(
            "Name", Comparator.comparing(e -> e.name),
            "CreationTime", Comparator.comparing(e -> e.creationTime),
            "Status", Comparator.comparing(e -> e.status.wire));
    return new Listing<>(in, sortKeys)
        .where("StatusEquals", status -> e -> e.status.wire.equals(status))
        .page("Endpoints", ctx.region().endpoints.values(), Descriptions::endpointSummary);
  }

  private static String requiredName(ObjectNode in) {
    return Json.text(in, "EndpointName");
  }
}
