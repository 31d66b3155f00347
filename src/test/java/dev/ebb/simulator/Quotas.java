package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Account-level instance quotas for endpoint usage ("ml.g5.2xlarge for endpoint usage"), per
 * instance type. Unset types are unlimited. A create or update that would take the region past a
 * quota is refused with ResourceLimitExceeded, as SageMaker does.
 */
public final class Quotas {
  private final Map<String, Integer> limits = new HashMap<>();

  public synchronized Quotas instances(String instanceType, int max) {
    limits.put(instanceType, max);
    return this;
  }

  public synchronized void reset() {
    limits.clear();
  }

  /**
   * Refuses {@code wanted} instances of each type for {@code endpoint} (null for a new one) if the
   * other endpoints in the region already use too many.
   */
  synchronized void check(
      RegionStore region, StoredEndpoint endpoint, Map<String, Integer> wanted) {
    for (Map.Entry<String, Integer> want : wanted.entrySet()) {
      Integer limit = limits.get(want.getKey());
      if (limit == null) {
        continue;
      }
      int used = 0;
      int mine = 0;
      for (StoredEndpoint e : region.endpoints.values()) {
        int n = usage(region, e).getOrDefault(want.getKey(), 0);
        used += n;
        mine += e == endpoint ? n : 0;
      }
      int delta = want.getValue() - mine;
      if (delta > 0 && used + delta > limit) {
        throw AwsError.of(
            400,
            "ResourceLimitExceeded",
            String.format(
                "The account-level service limit '%s for endpoint usage' is %d Instances, with"
                    + " current utilization of %d Instances and a request delta of %d Instances."
                    + " Please use AWS Service Quotas to request an increase for this quota. If"
                    + " AWS Service Quotas is not available, contact AWS support to request an"
                    + " increase for this quota.",
                want.getKey(), limit, used, delta));
      }
    }
  }

  /** Instances by type that an endpoint holds or is about to hold. */
  static Map<String, Integer> usage(RegionStore region, StoredEndpoint e) {
    Map<String, Integer> out = new HashMap<>();
    if (e.status == StoredEndpoint.Status.DELETING || e.status == StoredEndpoint.Status.FAILED) {
      return out;
    }
    if (e.variants.isEmpty()) {
      return wanted(StoredEndpoint.variantsOf(e.config));
    }
    for (StoredVariant v : e.variants.values()) {
      String type = Json.text(v.spec, "InstanceType");
      if (type != null) {
        int count = Capacity.instances(region, e, v).desired();
        out.merge(type, count, Integer::sum);
      }
    }
    if (e.pendingVariants != null) {
      wanted(e.pendingVariants).forEach((type, n) -> out.merge(type, n, Math::max));
    }
    return out;
  }

  /** Instances by type that a set of variants asks for. */
  static Map<String, Integer> wanted(Map<String, StoredVariant> variants) {
    Map<String, Integer> out = new HashMap<>();
    for (StoredVariant v : variants.values()) {
      ObjectNode spec = v.spec;
      String type = Json.text(spec, "InstanceType");
      if (type != null) {
        out.merge(type, v.desiredInstanceCount, Integer::sum);
      }
    }
    return out;
  }
}
