package dev.ebb.simulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * The state store: one {@link RegionStore} per region, created on first use, and the S3 and SNS
 * state, which is not split by region (bucket names and topic ARNs are global).
 */
final class Resources {
  private final Map<String, RegionStore> regions = new TreeMap<>();
  final S3Store s3 = new S3Store();
  final SnsStore sns = new SnsStore();

  RegionStore region(String name) {
    return regions.computeIfAbsent(name, RegionStore::new);
  }

  Map<String, RegionStore> all() {
    return regions;
  }

  void clear() {
    regions.clear();
    s3.clear();
    sns.clear();
  }
}
