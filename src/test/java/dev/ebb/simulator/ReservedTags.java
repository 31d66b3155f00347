package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * The Tags of a request, refused if a key uses the {@code aws:} prefix, which AWS reserves for its
 * own tags (the model's TagKey pattern allows it; "Tag naming limits and requirements",
 * docs/simulator.md).
 */
final class ReservedTags {
  private ReservedTags() {}

  static Map<String, String> userTags(ObjectNode request) {
    Map<String, String> tags = Json.tagMap(Json.objects(request, "Tags"));
    for (String key : tags.keySet()) {
      if (key != null && key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw AwsError.validation(
            "Tag keys beginning with 'aws:' are reserved for AWS use: %s", key);
      }
    }
    return tags;
  }
}
