package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads request members and checks them against the constraints of the SageMaker API model
 * (required, length, pattern, range, enum), recording violations by their wire path.
 */
final class Members {
  /** EndpointName, EndpointConfigName, VariantName. */
  static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  /** ModelName, InferenceComponentName. */
  static final Pattern MODEL_NAME = Pattern.compile("^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?");

  static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$");
  static final Pattern URL = Pattern.compile("^(https|s3)://([^/]+)/?(.*)$");
  static final Pattern TAG = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");

  private Members() {}

  /** The wire path of a member below {@code parent} ("" at the top): lowerCamelCase names. */
  static String at(String parent, String member) {
    String camel = member.substring(0, 1).toLowerCase(Locale.ROOT) + member.substring(1);
    return parent.isEmpty() ? camel : parent + "." + camel;
  }

  /** The wire path of the {@code index}-th (0-based) item of a list member. */
  static String item(String listPath, int index) {
    return listPath + "." + (index + 1) + ".member";
  }

  static String string(
      Violations v, JsonNode parent, String member, String path, boolean required) {
    String value = Json.text(parent, member);
    if (value == null && required) {
      v.nullValue(at(path, member));
    }
    return value;
  }

  static String name(
      Violations v, JsonNode parent, String member, String path, Pattern pattern, boolean req) {
    String value = string(v, parent, member, path, req);
    if (value != null) {
      v.maxLength(at(path, member), value, 63);
      v.pattern(at(path, member), value, pattern);
    }
    return value;
  }

  static Integer integer(
      Violations v, JsonNode parent, String member, String path, Integer min, Integer max) {
    JsonNode node = parent == null ? null : parent.get(member);
    if (node == null || node.isNull()) {
      return null;
    }
    int value = node.asInt();
    if (min != null) {
      v.min(at(path, member), value, min);
    }
    if (max != null) {
      v.max(at(path, member), value, max);
    }
    return value;
  }

  static Double number(Violations v, JsonNode parent, String member, String path, Double min) {
    JsonNode node = parent == null ? null : parent.get(member);
    if (node == null || node.isNull()) {
      return null;
    }
    double value = node.asDouble();
    if (min != null) {
      v.min(at(path, member), value, min);
    }
    return value;
  }

  static String oneOf(
      Violations v, JsonNode parent, String member, String path, Collection<String> allowed) {
    String value = Json.text(parent, member);
    if (value != null) {
      v.enumValue(at(path, member), value, allowed);
    }
    return value;
  }

  /** The optional Tags member every Create* accepts: at most 50, keys and values well formed. */
  static Map<String, String> tags(Violations v, ObjectNode request, String member) {
    List<ObjectNode> tags = Json.objects(request, member);
    v.maxSize(at("", member), tags.size(), 50, "[" + tags.size() + " tags]");
    for (int i = 0; i < tags.size(); i++) {
      String path = item(at("", member), i);
      String key = string(v, tags.get(i), "Key", path, true);
      String value = string(v, tags.get(i), "Value", path, true);
      if (key != null) {
        v.minLength(at(path, "Key"), key, 1);
        v.maxLength(at(path, "Key"), key, 128);
        v.pattern(at(path, "Key"), key, TAG);
      }
      if (value != null) {
        v.maxLength(at(path, "Value"), value, 256);
        v.pattern(at(path, "Value"), value, TAG);
      }
    }
    return Json.tagMap(tags);
  }

  /** Tag keys with the aws: prefix belong to AWS. */
  static void checkUserTags(Map<String, String> tags) {
    for (String key : tags.keySet()) {
      if (key != null && key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw AwsError.validation(
            "Tag keys beginning with 'aws:' are reserved for AWS use: %s", key);
      }
    }
  }
}
