package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** AddTags, ListTags, DeleteTags: tags on any of the simulated resources, by ARN. */
final class TagHandler {
  private TagHandler() {}

  static ObjectNode add(Ctx ctx, ObjectNode in) {
    String arn = Json.text(in, "ResourceArn");
    Map<String, String> tags = ReservedTags.userTags(in);
    Stored resource = resolve(ctx, arn);
    long added = tags.keySet().stream().filter(k -> !resource.tags.containsKey(k)).count();
    if (resource.tags.size() + added > 50) {
      throw AwsError.validation(
          "Resource \"%s\" would have %d tags; a resource can have at most 50.",
          arn, resource.tags.size() + added);
    }
    resource.tags.putAll(tags);
    ObjectNode out = Json.object();
    out.set("Tags", Json.tags(tags));
    return out;
  }

  static ObjectNode list(Ctx ctx, ObjectNode in) {
    String arn = Json.text(in, "ResourceArn");
    ObjectNode out = Json.object();
    out.set("Tags", Json.tags(resolve(ctx, arn).tags));
    return out;
  }

  static ObjectNode delete(Ctx ctx, ObjectNode in) {
    String arn = Json.text(in, "ResourceArn");
    Stored resource = resolve(ctx, arn);
    in.path("TagKeys").forEach(key -> resource.tags.remove(key.asText()));
    return Json.object();
  }

  /** The resource an ARN names, in the caller's region and account only. */
  private static Stored resolve(Ctx ctx, String arn) {
    Arns.Parsed parsed = Arns.parse(arn);
    Map<String, ? extends Stored> store =
        parsed == null
            ? Map.of()
            : switch (parsed.type()) {
              case Arns.MODEL -> ctx.region().models;
              case Arns.ENDPOINT_CONFIG -> ctx.region().endpointConfigs;
              case Arns.ENDPOINT -> ctx.region().endpoints;
              case Arns.INFERENCE_COMPONENT -> ctx.region().components;
              case Arns.TRANSFORM_JOB -> ctx.region().transformJobs;
              default -> Map.of();
            };
    Stored resource = parsed == null ? null : store.get(Arns.key(parsed.name()));
    if (resource == null || !resource.arn.equalsIgnoreCase(arn)) {
      throw AwsError.validation("Could not find resource \"%s\".", arn);
    }
    return resource;
  }
}
