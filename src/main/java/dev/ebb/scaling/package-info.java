/**
 * Ebb's policy engine: the semantics of Application Auto Scaling (target tracking, scheduled
 * actions, bounds) plus scale to zero after an idle window and scale from zero on demand, as pure
 * Java. It never calls the API server or AWS: time comes from a {@link java.time.Clock}, metrics
 * through {@link dev.ebb.scaling.MetricSource}, and every decision is returned as a record with its
 * reason. An ArchUnit rule keeps this package JDK-only.
 */
package dev.ebb.scaling;
