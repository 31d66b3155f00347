package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An endpoint. It keeps a copy of the configuration it runs, so describing it never depends on the
 * configuration still existing, and the configuration in service changes only when an update
 * completes.
 */
final class StoredEndpoint extends Stored {
  enum Status {
    CREATING("Creating"),
    IN_SERVICE("InService"),
    UPDATING("Updating"),
    ROLLING_BACK("RollingBack"),
    UPDATE_ROLLBACK_FAILED("UpdateRollbackFailed"),
    DELETING("Deleting"),
    FAILED("Failed");

    final String wire;

    Status(String wire) {
      this.wire = wire;
    }
  }

  Status status = Status.CREATING;
  String failureReason;
  String configName;
  ObjectNode config;
  final Map<String, StoredVariant> variants = new LinkedHashMap<>();
  ObjectNode lastDeploymentConfig;

  /** Set while an UpdateEndpoint is in flight: the configuration that will take over. */
  String pendingConfigName;

  ObjectNode pendingConfig;
  Map<String, StoredVariant> pendingVariants;
  Instant pendingStart;

  StoredEndpoint(String name, String arn, Instant now) {
    super(name, arn, now);
  }

  void runConfig(String name, ObjectNode config, Map<String, StoredVariant> variants) {
    this.configName = name;
    this.config = config;
    this.variants.clear();
    this.variants.putAll(variants);
  }

  void clearPending() {
    pendingConfigName = null;
    pendingConfig = null;
    pendingVariants = null;
    pendingStart = null;
  }

  static Map<String, StoredVariant> variantsOf(ObjectNode config) {
    Map<String, StoredVariant> out = new LinkedHashMap<>();
    for (ObjectNode spec : Json.objects(config, "ProductionVariants")) {
      StoredVariant v = new StoredVariant(spec);
      out.put(Arns.key(v.name), v);
    }
    return out;
  }

  StoredVariant variant(String name) {
    return name == null ? null : variants.get(Arns.key(name));
  }
}
