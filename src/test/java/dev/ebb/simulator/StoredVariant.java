package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** A production variant of an endpoint: its spec from the config, and its live weight and count. */
final class StoredVariant {
  final String name;
  final ObjectNode spec;
  double currentWeight;
  double desiredWeight;
  int currentInstanceCount;
  int desiredInstanceCount;

  /** The model images deployed on it (model-based variants), and when they were resolved. */
  List<String> images = List.of();

  Instant deployedAt;

  /** Once a variant has hosted an inference component, managed scaling sizes it by copies. */
  boolean hostedComponents;

  StoredVariant(ObjectNode spec) {
    this.name = Json.text(spec, "VariantName");
    this.spec = spec;
    this.currentWeight = this.desiredWeight = weight(spec);
    this.currentInstanceCount =
        this.desiredInstanceCount =
            spec.has("InitialInstanceCount") ? spec.get("InitialInstanceCount").asInt() : 0;
  }

  static double weight(ObjectNode spec) {
    return spec.has("InitialVariantWeight") ? spec.get("InitialVariantWeight").asDouble() : 1.0;
  }

  /** Variants without a model host inference components instead. */
  boolean forComponents() {
    return !spec.hasNonNull("ModelName");
  }

  boolean serverless() {
    return spec.has("ServerlessConfig");
  }

  ObjectNode managedScaling() {
    ObjectNode mis = Json.child(spec, "ManagedInstanceScaling");
    return mis != null && "ENABLED".equals(Json.text(mis, "Status")) ? mis : null;
  }
}
