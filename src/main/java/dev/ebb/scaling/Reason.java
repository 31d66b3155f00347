package dev.ebb.scaling;

/**
 * One reason for a decision: what kind (for code and tests to act on) and the sentence a person
 * reads in an event or a status.
 */
public record Reason(Cause cause, String detail) {

  /** The kinds of reasons the engine gives. */
  public enum Cause {
    /** The capacity is below the min in force. */
    BELOW_MIN,
    /** The capacity is above the max in force. */
    ABOVE_MAX,
    /** Above the max, but copies are still starting: the scale-in waits for them. */
    ABOVE_MAX_DEFERRED,
    /** A scheduled action fired and set the bounds. */
    SCHEDULE_FIRED,
    /** Requests wait at zero copies and the scale-from-zero step wakes the target. */
    DEMAND_AT_ZERO,
    /** Requests wait at zero copies, but the max capacity in force is 0. */
    DEMAND_AT_MAX_ZERO,
    /** Requests wait at zero copies, but the policy has no scale-from-zero step. */
    DEMAND_WITHOUT_SCALE_FROM_ZERO,
    /** A tracked metric is above its target. */
    ABOVE_TARGET,
    /** Every tracked metric stayed at least 10 % below target over the scale-in window. */
    BELOW_TARGET,
    /** A step policy's alarm breaches and its step applies. */
    STEP,
    /** A scale-out or step is held back by its cooldown. */
    COOLDOWN,
    /** Copies are still starting, so nothing is scaled in. */
    COPIES_STARTING,
    /** No requests for the idle window: the last copy goes. */
    IDLE,
    /** Nothing to change. */
    STEADY
  }

  @Override
  public String toString() {
    return detail;
  }
}
