package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What SageMaker checks across the members of one ProductionVariant, beyond its shape in the model
 * (which Contract checks: names, the InstanceType and RoutingStrategy enums, ranges). Each rule's
 * source is in docs/simulator.md.
 */
final class VariantRules {
  private VariantRules() {}

  /** Rules across members, each answered with its own message. */
  static void semantics(ObjectNode variant) {
    String name = Json.text(variant, "VariantName");
    boolean serverless = variant.has("ServerlessConfig");
    if (serverless) {
      if (variant.has("InstanceType") || variant.has("InitialInstanceCount")) {
        throw AwsError.validation(
            "Production variant %s specifies ServerlessConfig together with InstanceType or"
                + " InitialInstanceCount; a serverless variant takes neither.",
            name);
      }
      if (!variant.hasNonNull("ModelName")) {
        throw AwsError.validation(
            "Serverless production variant %s must specify a ModelName: serverless endpoints do"
                + " not host inference components.",
            name);
      }
      int memory = variant.get("ServerlessConfig").path("MemorySizeInMB").asInt();
      if (memory % 1024 != 0) {
        throw AwsError.validation(
            "MemorySizeInMB %d of production variant %s is not one of 1024, 2048, 3072, 4096,"
                + " 5120 or 6144.",
            memory, name);
      }
      return;
    }
    if (!variant.has("InstanceType")) {
      throw AwsError.validation(
          "Production variant %s must specify an InstanceType (or a ServerlessConfig).", name);
    }
    if (!variant.has("InitialInstanceCount")) {
      throw AwsError.validation(
          "Production variant %s must specify an InitialInstanceCount (or a ServerlessConfig).",
          name);
    }
    managedScaling(variant, name);
  }

  private static void managedScaling(ObjectNode variant, String name) {
    ObjectNode mis = Json.child(variant, "ManagedInstanceScaling");
    if (mis == null) {
      return;
    }
    boolean enabled = "ENABLED".equals(Json.text(mis, "Status"));
    Integer min = mis.has("MinInstanceCount") ? mis.get("MinInstanceCount").asInt() : null;
    Integer max = mis.has("MaxInstanceCount") ? mis.get("MaxInstanceCount").asInt() : null;
    if (!enabled && min != null && min == 0) {
      throw AwsError.validation(
          "MinInstanceCount 0 for production variant %s requires ManagedInstanceScaling Status"
              + " ENABLED.",
          name);
    }
    if (!enabled) {
      return;
    }
    if (variant.hasNonNull("ModelName") && min != null && min == 0) {
      throw AwsError.validation(
          "Production variant %s cannot scale to MinInstanceCount 0: only endpoints that host"
              + " inference components (variants without ModelName) can scale to zero instances.",
          name);
    }
    if (min != null && max != null && min > max) {
      throw AwsError.validation(
          "MinInstanceCount %d is greater than MaxInstanceCount %d for production variant %s.",
          min, max, name);
    }
    int initial = variant.get("InitialInstanceCount").asInt();
    if ((min != null && initial < min) || (max != null && initial > max)) {
      throw AwsError.validation(
          "InitialInstanceCount %d of production variant %s must be between MinInstanceCount %s"
              + " and MaxInstanceCount %s.",
          initial, name, min, max);
    }
  }
}
