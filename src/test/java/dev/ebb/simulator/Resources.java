package dev.ebb.simulator;

import java.util.Map;
import java.util.TreeMap;

/** The state store: one {@link RegionStore} per region, created on first use. */
final class Resources {
  private final Map<String, RegionStore> regions = new TreeMap<>();

  RegionStore region(String name) {
    return regions.computeIfAbsent(name, RegionStore::new);
  }

  Map<String, RegionStore> all() {
    return regions;
  }

  void clear() {
    regions.clear();
  }
}
