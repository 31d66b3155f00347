package dev.ebb.simulator;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SageMaker ARNs: {@code arn:aws:sagemaker:<region>:<account>:<type>/<name>}, with the name
 * lower-cased. SageMaker lower-cases it because names are unique regardless of case; the store keys
 * resources the same way.
 */
final class Arns {
  static final String MODEL = "model";
  static final String ENDPOINT_CONFIG = "endpoint-config";
  static final String ENDPOINT = "endpoint";
  static final String INFERENCE_COMPONENT = "inference-component";
  static final String TRANSFORM_JOB = "transform-job";

  private static final Pattern ARN =
      Pattern.compile("arn:aws[a-z\\-]*:sagemaker:([a-z0-9\\-]*):([0-9]{12}):([a-z\\-]+)/(.+)");

  record Parsed(String region, String account, String type, String name) {}

  private Arns() {}

  static String of(String region, String account, String type, String name) {
    return "arn:aws:sagemaker:" + region + ":" + account + ":" + type + "/" + key(name);
  }

  /** The case-insensitive identity of a name. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static Parsed parse(String arn) {
    Matcher m = ARN.matcher(arn == null ? "" : arn);
    return m.matches() ? new Parsed(m.group(1), m.group(2), m.group(3), m.group(4)) : null;
  }
}
