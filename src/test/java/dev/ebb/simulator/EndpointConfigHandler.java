package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig, ListEndpointConfigs. */
final class EndpointConfigHandler {
  private static final String VARIANTS = Members.at("", "ProductionVariants");

  private EndpointConfigHandler() {}

  static ObjectNode create(Ctx ctx, ObjectNode in) {
    Violations v = new Violations();
    String name = Members.name(v, in, "EndpointConfigName", "", Members.NAME, true);
    List<ObjectNode> variants = Json.objects(in, "ProductionVariants");
    if (!in.has("ProductionVariants")) {
      v.nullValue(VARIANTS);
    } else {
      v.minSize(VARIANTS, variants.size(), 1, "[]");
      v.maxSize(VARIANTS, variants.size(), 10, "[" + variants.size() + " variants]");
    }
    for (int i = 0; i < variants.size(); i++) {
      VariantRules.shape(v, variants.get(i), Members.item(VARIANTS, i));
    }
    String role = Members.string(v, in, "ExecutionRoleArn", "", false);
    if (role != null) {
      v.pattern(Members.at("", "ExecutionRoleArn"), role, Members.ROLE_ARN);
    }
    dataCapture(v, Json.child(in, "DataCaptureConfig"));
    Map<String, String> tags = Members.tags(v, in, "Tags");
    v.throwIfAny();
    Members.checkUserTags(tags);

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

  private static void dataCapture(Violations v, ObjectNode capture) {
    if (capture == null) {
      return;
    }
    String path = Members.at("", "DataCaptureConfig");
    if (!capture.has("InitialSamplingPercentage")) {
      v.nullValue(Members.at(path, "InitialSamplingPercentage"));
    }
    Members.integer(v, capture, "InitialSamplingPercentage", path, 0, 100);
    String uri = Members.string(v, capture, "DestinationS3Uri", path, true);
    if (uri != null) {
      v.pattern(Members.at(path, "DestinationS3Uri"), uri, Members.URL);
    }
    if (!capture.has("CaptureOptions")) {
      v.nullValue(Members.at(path, "CaptureOptions"));
    }
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
    Violations v = new Violations();
    String name = Members.name(v, in, "EndpointConfigName", "", Members.NAME, true);
    v.throwIfAny();
    return name;
  }
}
