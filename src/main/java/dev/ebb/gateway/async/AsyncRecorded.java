package dev.ebb.gateway.async;

/**
 * A CDI event: an asynchronous invocation was recorded in S3 for the leader to run. Fired with
 * {@code here} true by the replica that accepted it (the peers tell the others), and with {@code
 * here} false when a peer told this replica, so the leader lists the records at once instead of at
 * its next scan.
 */
public record AsyncRecorded(boolean here) {}
