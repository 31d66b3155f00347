package dev.ebb.scaling;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One evaluation's outcome: the capacity to go to (equal to {@code from} when nothing changes), why
 * (typed reasons, each with the sentence a person reads), and the state to pass to the next
 * evaluation.
 */
public record Decision(int from, int to, List<Reason> reasons, EngineState next) {
  public Decision {
    reasons = List.copyOf(reasons);
  }

  /** Whether the target's capacity should change. */
  public boolean scales() {
    return from != to;
  }

  /** The kinds of reasons, in order. */
  public List<Reason.Cause> causes() {
    return reasons.stream().map(Reason::cause).toList();
  }

  /** The reasons as a person reads them, in events and statuses. */
  public String reason() {
    return reasons.stream().map(Reason::detail).collect(Collectors.joining("; "));
  }
}
