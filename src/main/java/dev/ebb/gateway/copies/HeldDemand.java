package dev.ebb.gateway.copies;

import dev.ebb.local.ComponentKey;

/**
 * A CDI event: the requests this replica holds for {@code component} are now {@code held}. Peers
 * observe it to push new demand to the other replicas at once.
 */
public record HeldDemand(ComponentKey component, int held) {}
