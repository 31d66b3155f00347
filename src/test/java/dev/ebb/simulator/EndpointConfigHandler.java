package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig, ListEndpointConfigs. */
final class EndpointConfigHandler {
  private EndpointConfigHandler() {}

  static ObjectNode create(Ctx ctx, ObjectNode in) {
    // Member constraints are the model's (Contract); what follows are rules it cannot express.
    String name = Json.text(in, "EndpointConfigName");
    List<ObjectNode> variants = Json.objects(in, "ProductionVariants");
    String role = Json.text(in, "ExecutionRoleArn");
    Map<String, String> tags = ReservedTags.userTags(in);

    Set<String> seen = new HashSet<>();
    for (ObjectNode variant : variants) {
      String variantName = Json.text(variant, "VariantName");
      if (!seen.add(Arns.key(variantName))) {
        throw AwsError.validation(
            "The variant name(s) [%s] must be unique within endpoint configuration %s.",
            variantName, name);
      }
      VariantRules.semantics(variant);
      String model = Json.text(variant, "ModelName");
      if (model != null) {
        Refs.model(ctx, model);
      } else if (role == null) {
        throw AwsError.validation(
            "ExecutionRoleArn is required for endpoint configuration %s: production variant %s"
                + " specifies no ModelName, so it hosts inference components.",
            name, variantName);
      }
    }
    if (ctx.region().endpointConfigs.containsKey(Arns.key(name))) {
      throw AwsError.validation(
          "Cannot create already existing endpoint configuration \"%s\".",
          ctx.arn(Arns.ENDPOINT_CONFIG, name));
    }
    ObjectNode request = in.deepCopy();
    request.remove("Tags");
    StoredEndpointConfig config =
        new StoredEndpointConfig(name, ctx.arn(Arns.ENDPOINT_CONFIG, name), ctx.now(), request);
    config.tags.putAll(tags);
    ctx.region().endpointConfigs.put(Arns.key(name), config);
    return Json.object().put("EndpointConfigArn", config.arn);
  }

  static ObjectNode describe(Ctx ctx, ObjectNode in) {
    return Descriptions.endpointConfig(Refs.endpointConfig(ctx, requiredName(in)));
  }

  static ObjectNode delete(Ctx ctx, ObjectNode in) {
    StoredEndpointConfig config = Refs.endpointConfig(ctx, requiredName(in));
    String key = Arns.key(config.name);
    for (StoredEndpoint e : ctx.region().endpoints.values()) {
      boolean current = e.configName != null && Arns.key(e.configName).equals(key);
      boolean pending = e.pendingConfigName != null && Arns.key(e.pendingConfigName).equals(key);
      if (current || pending) {
        throw AwsError.validation(
            "Cannot delete endpoint configuration \"%s\" because it is in use by endpoint \"%s\".",
            config.arn, e.name);
      }
    }
    ctx.region().forget(ctx.region().endpointConfigs, config);
    return Json.object();
  }

  static ObjectNode list(Ctx ctx, ObjectNode in) {
    return new Listing<StoredEndpointConfig>(in, Listing.byNameAndCreation())
        .page(
            "EndpointConfigs",
            ctx.region().endpointConfigs.values(),
            Descriptions::endpointConfigSummary);
  }

  private static String requiredName(ObjectNode in) {
    return Json.text(in, "EndpointConfigName");
  }
}
