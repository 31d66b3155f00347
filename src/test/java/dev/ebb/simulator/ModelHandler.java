package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** CreateModel, DescribeModel, DeleteModel, ListModels. */
final class ModelHandler {
  private ModelHandler() {}

  static ObjectNode create(Ctx ctx, ObjectNode in) {
    // Member constraints are the model's (Contract); what follows are rules it cannot express.
    String name = Json.text(in, "ModelName");
    ObjectNode primary = Json.child(in, "PrimaryContainer");
    var containers = Json.objects(in, "Containers");
    Map<String, String> tags = ReservedTags.userTags(in);
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
    return Json.text(in, "ModelName");
  }
}
