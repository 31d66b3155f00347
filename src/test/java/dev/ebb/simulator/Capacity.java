package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Instance counts of a variant. With managed instance scaling enabled, SageMaker sizes a variant
 * that hosts inference components by their copies, between MinInstanceCount and MaxInstanceCount:
 * that is how an endpoint reaches zero instances once every copy is gone.
 */
final class Capacity {
  record Counts(int current, int desired) {}

  private Capacity() {}

  static Counts instances(RegionStore region, StoredEndpoint endpoint, StoredVariant variant) {
    ObjectNode mis = variant.managedScaling();
    if (mis == null || !variant.hostedComponents) {
      return new Counts(variant.currentInstanceCount, variant.desiredInstanceCount);
    }
    int current = 0;
    int desired = 0;
    for (StoredComponent c : region.components.values()) {
      if (Arns.key(c.endpointName).equals(Arns.key(endpoint.name))
          && Arns.key(c.variantName).equals(Arns.key(variant.name))) {
        current += c.currentCopyCount;
        desired += c.status == StoredComponent.Status.DELETING ? 0 : c.desiredCopyCount;
      }
    }
    int min = mis.path("MinInstanceCount").asInt(1);
    int max = mis.path("MaxInstanceCount").asInt(Integer.MAX_VALUE);
    return new Counts(clamp(current, min, max), clamp(desired, min, max));
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
