package dev.ebb.scaling;

/**
 * One evaluation's outcome: the capacity to go to (equal to {@code from} when nothing changes),
 * why, and the state to pass to the next evaluation.
 */
public record Decision(int from, int to, String reason, EngineState next) {
  /** Whether the target's capacity should change. */
  public boolean scales() {
    return from != to;
  }
}
