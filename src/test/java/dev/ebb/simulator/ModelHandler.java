package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** CreateModel, DescribeModel, DeleteModel, ListModels. */
final class ModelHandler {
  private ModelHandler() {}

  static ObjectNode create(Ctx ctx, ObjectNode in) {
    Violations v = new Violations();
    String name = Members.name(v, in, "ModelName", "", Members.MODEL_NAME, true);
    String role = Members.string(v, in, "ExecutionRoleArn", "", false);
    if (role != null) {
      v.pattern(Members.at("", "ExecutionRoleArn"), role, Members.ROLE_ARN);
    }
    ObjectNode primary = Json.child(in, "PrimaryContainer");
    if (primary != null) {
      container(v, primary, Members.at("", "PrimaryContainer"));
    }
    var containers = Json.objects(in, "Containers");
    v.maxSize(Members.at("", "Containers"), containers.size(), 15, "[...]");
    for (int i = 0; i < containers.size(); i++) {
      container(v, containers.get(i), Members.item(Members.at("", "Containers"), i));
    }
    Map<String, String> tags = Members.tags(v, in, "Tags");
    v.throwIfAny();
    Members.checkUserTags(tags);
    if (primary == null && containers.isEmpty()) {
      throw AwsError.validation(
          "Either PrimaryContainer or Containers must be specified for model %s.", name);
    }
    if (ctx.region().models.containsKey(Arns.key(name))) {
      throw AwsError.validation(
          "Cannot create already existing model \"%s\".", ctx.arn(Arns.MODEL, name));
    }
    ObjectNode request = in.deepCopy();
    request.remove("Tags");
    StoredModel model = new StoredModel(name, ctx.arn(Arns.MODEL, name), ctx.now(), request);
    model.tags.putAll(tags);
    ctx.region().models.put(Arns.key(name), model);
    return Json.object().put("ModelArn", model.arn);
  }

  private static void container(Violations v, ObjectNode container, String path) {
    String image = Members.string(v, container, "Image", path, false);
    if (image != null) {
      v.maxLength(Members.at(path, "Image"), image, 255);
    }
    String url = Members.string(v, container, "ModelDataUrl", path, false);
    if (url != null) {
      v.pattern(Members.at(path, "ModelDataUrl"), url, Members.URL);
    }
  }

  static ObjectNode describe(Ctx ctx, ObjectNode in) {
    return Descriptions.model(Refs.model(ctx, requiredName(in)));
  }

  static ObjectNode delete(Ctx ctx, ObjectNode in) {
    StoredModel model = Refs.model(ctx, requiredName(in));
    String key = Arns.key(model.name);
    for (StoredComponent c : ctx.region().components.values()) {
      if (c.modelName() != null && Arns.key(c.modelName()).equals(key)) {
        throw AwsError.validation(
            "Cannot delete model \"%s\" because it is used by inference component \"%s\".",
            model.arn, c.name);
      }
    }
    for (StoredEndpoint e : ctx.region().endpoints.values()) {
      if (usesModel(e.config, key) || usesModel(e.pendingConfig, key)) {
        throw AwsError.validation(
            "Cannot delete model \"%s\" because it is deployed on endpoint \"%s\".",
            model.arn, e.name);
      }
    }
    ctx.region().forget(ctx.region().models, model);
    return Json.object();
  }

  private static boolean usesModel(ObjectNode config, String modelKey) {
    return config != null
        && Json.objects(config, "ProductionVariants").stream()
            .map(v -> Json.text(v, "ModelName"))
            .anyMatch(m -> m != null && Arns.key(m).equals(modelKey));
  }

  static ObjectNode list(Ctx ctx, ObjectNode in) {
    return new Listing<StoredModel>(in, Listing.byNameAndCreation())
        .page("Models", ctx.region().models.values(), Descriptions::modelSummary);
  }

  private static String requiredName(ObjectNode in) {
    Violations v = new Violations();
    String name = Members.name(v, in, "ModelName", "", Members.MODEL_NAME, true);
    v.throwIfAny();
    return name;
  }
}
