package dev.ebb.whatif;

import java.time.Instant;

/**
 * One minute of a simulated run, for the report's plots.
 *
 * @param arrivals requests that arrived in it
 * @param copies copies that existed (starting or ready: what is paid for), averaged over the minute
 * @param readyCopies copies serving, averaged over the minute
 * @param maxHeld the most requests held at once waiting for a copy
 * @param waited requests arriving in it that waited for a copy and were then sent
 * @param failed requests arriving in it that were answered with an error
 */
public record Minute(
    Instant start,
    int arrivals,
    double copies,
    double readyCopies,
    int maxHeld,
    int waited,
    int failed) {}
