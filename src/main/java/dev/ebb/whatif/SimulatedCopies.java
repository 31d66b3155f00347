package dev.ebb.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The copies a simulated plane runs, as both planes count them: how many exist (starting or ready),
 * how many are ready, what they cost in copy-seconds up to the trace's end, how many were started
 * and how many of those starts were wakes from zero.
 */
final class SimulatedCopies {
  /** One copy: started at a time, ready once its cold start is over, unless removed before. */
  static final class Copy {
    private final Instant startedAt;
    private boolean ready;
    private boolean removed;

    private Copy(Instant startedAt) {
      this.startedAt = startedAt;
    }
  }

  private final List<Copy> copies = new ArrayList<>();
  private final Instant end;
  private Instant paidTo;
  private double copySeconds;
  private int starts;
  private int wakes;

  /** {@code initial} ready copies at {@code start}; copies are paid for up to {@code end}. */
  SimulatedCopies(Instant start, Instant end, int initial) {
    this.end = end;
    this.paidTo = start;
    for (int i = 0; i < initial; i++) {
      Copy copy = new Copy(start);
      copy.ready = true;
      copies.add(copy);
    }
  }

  /** Pays for the copies that exist from the last payment to {@code to}, up to the trace's end. */
  void payTo(Instant to) {
    Instant upTo = to.isAfter(end) ? end : to;
    if (upTo.isAfter(paidTo)) {
      copySeconds += copies.size() * LocalPlane.seconds(Duration.between(paidTo, upTo));
      paidTo = upTo;
    }
  }

  /** Starts copies at {@code at} until there are {@code to}; the new ones, not ready yet. */
  List<Copy> startUpTo(int to, Instant at) {
    if (copies.isEmpty() && to > 0) {
      wakes++;
    }
    List<Copy> started = new ArrayList<>();
    while (copies.size() < to) {
      Copy copy = new Copy(at);
      copies.add(copy);
      started.add(copy);
      starts++;
    }
    return started;
  }

  /** Removes copies until there are {@code to}: the ones not ready first, then the newest. */
  void removeDownTo(int to) {
    Comparator<Copy> newest = Comparator.comparing(c -> c.startedAt);
    while (copies.size() > to) {
      Copy victim =
          copies.stream()
              .filter(c -> !c.ready)
              .max(newest)
              .orElseGet(() -> copies.stream().max(newest).orElseThrow());
      copies.remove(victim);
      victim.removed = true;
    }
  }

  /** Marks {@code copy} ready; false when it was removed before it got there. */
  boolean markReady(Copy copy) {
    if (copy.removed) {
      return false;
    }
    copy.ready = true;
    return true;
  }

  int size() {
    return copies.size();
  }

  boolean isEmpty() {
    return copies.isEmpty();
  }

  int ready() {
    int ready = 0;
    for (Copy c : copies) {
      if (c.ready) {
        ready++;
      }
    }
    return ready;
  }

  double copySeconds() {
    return copySeconds;
  }

  int starts() {
    return starts;
  }

  int wakes() {
    return wakes;
  }
}
