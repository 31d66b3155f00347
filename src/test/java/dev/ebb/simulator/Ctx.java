package dev.ebb.simulator;

import java.time.Instant;

/** What a handler sees of one call: its region, the time, and the simulator's settings. */
record Ctx(
    RegionStore region, Instant now, String account, Delays delays, Faults faults, Quotas quotas) {

  String arn(String type, String name) {
    return Arns.of(region.name(), account, type, name);
  }
}
