package dev.ebb.scaling;

import java.time.Instant;
import java.util.Optional;

/**
 * What the engine remembers between evaluations of one policy; the caller keeps it (in memory and
 * in the policy's status) and passes it back.
 *
 * @param startedAt when this operator began observing the target: no scale-in (and no idle scale to
 *     zero) until a full window of fresh data has arrived since
 * @param bounds the min/max in force (the policy's, or what a scheduled action last set)
 * @param lastEvaluation schedules fire for the instants after this one
 */
public record EngineState(
    Instant startedAt,
    Bounds bounds,
    Instant lastEvaluation,
    Optional<Instant> lastScaleOut,
    Optional<Instant> lastScaleIn) {

  /** The state of a policy first seen at {@code now}. */
  public static EngineState fresh(Instant now, Bounds bounds) {
    return new EngineState(now, bounds, now, Optional.empty(), Optional.empty());
  }
}
