package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What SageMaker checks in one ProductionVariant of an endpoint configuration. */
final class VariantRules {
  private static final List<String> ROUTING =
      List.of("LEAST_OUTSTANDING_REQUESTS", "RANDOM", "PREFIX_AWARE", "KV_AWARE");

  private VariantRules() {}

  /** Member constraints from the API model, reported together like SageMaker's front end. */
  static void shape(Violations v, ObjectNode variant, String path) {
    Members.name(v, variant, "VariantName", path, Members.NAME, true);
    Members.name(v, variant, "ModelName", path, Members.MODEL_NAME, false);
    String type = Json.text(variant, "InstanceType");
    if (type != null) {
      v.enumValue(Members.at(path, "InstanceType"), type, InstanceTypes.ALL);
    }
    // The model's InitialTaskCount has min 1, so 0 is refused even with managed scaling at 0.
    Members.integer(v, variant, "InitialInstanceCount", path, 1, null);
    Members.number(v, variant, "InitialVariantWeight", path, 0.0);
    Members.integer(v, variant, "ModelDataDownloadTimeoutInSeconds", path, 60, 3600);
    Members.integer(v, variant, "ContainerStartupHealthCheckTimeoutInSeconds", path, 60, 3600);
    Members.integer(v, variant, "VolumeSizeInGB", path, 1, 512);
    ObjectNode mis = Json.child(variant, "ManagedInstanceScaling");
    if (mis != null) {
      String misPath = Members.at(path, "ManagedInstanceScaling");
      Members.oneOf(v, mis, "Status", misPath, List.of("ENABLED", "DISABLED"));
      Members.integer(v, mis, "MinInstanceCount", misPath, 0, null);
      Members.integer(v, mis, "MaxInstanceCount", misPath, 1, null);
    }
    ObjectNode routing = Json.child(variant, "RoutingConfig");
    if (routing != null) {
      String routingPath = Members.at(path, "RoutingConfig");
      Members.string(v, routing, "RoutingStrategy", routingPath, true);
      Members.oneOf(v, routing, "RoutingStrategy", routingPath, ROUTING);
    }
    ObjectNode serverless = Json.child(variant, "ServerlessConfig");
    if (serverless != null) {
      String sPath = Members.at(path, "ServerlessConfig");
      if (!serverless.has("MemorySizeInMB")) {
        v.nullValue(Members.at(sPath, "MemorySizeInMB"));
      }
      if (!serverless.has("MaxConcurrency")) {
        v.nullValue(Members.at(sPath, "MaxConcurrency"));
      }
      Members.integer(v, serverless, "MemorySizeInMB", sPath, 1024, 6144);
      Members.integer(v, serverless, "MaxConcurrency", sPath, 1, 200);
    }
  }

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
