package dev.ebb.gateway.copies;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One component's starting copies as the gateway's own probes found them: which answered {@code
 * /ping} before kubelet reported their pod Ready, and which have a probe in flight. A copy that
 * answered is routable for this replica until it stops being a starting copy: then it is either
 * Ready (and routable as such) or gone. Pure: the pod watch's starting copies in, addresses out.
 */
final class ProbedCopies {
  private final Set<StartingCopy> answered = new HashSet<>();
  private final Set<StartingCopy> inFlight = new HashSet<>();

  /**
   * Of {@code starting}, the copies to probe now: those that have not answered and have no probe in
   * flight (a slow server is never asked twice at once). They count as in flight from now.
   */
  synchronized List<StartingCopy> toProbe(List<StartingCopy> starting) {
    List<StartingCopy> due = new ArrayList<>();
    for (StartingCopy copy : starting) {
      if (!answered.contains(copy) && inFlight.add(copy)) {
        due.add(copy);
      }
    }
    return due;
  }

  /**
   * A probe of {@code copy} ended, {@code ok} if the server answered as kubelet's probe would count
   * success. True only the first time the copy answers: that is when it becomes routable.
   */
  synchronized boolean probed(StartingCopy copy, boolean ok) {
    inFlight.remove(copy);
    return ok && answered.add(copy);
  }

  /**
   * The addresses to route to: the {@code ready} ones, then those of the copies that answered and
   * are still {@code starting}. Copies that answered but are no longer starting (now Ready, being
   * deleted, their container stopped or restarted) are forgotten.
   */
  synchronized List<String> routable(List<String> ready, List<StartingCopy> starting) {
    answered.retainAll(Set.copyOf(starting));
    Set<String> addresses = new LinkedHashSet<>(ready);
    for (StartingCopy copy : starting) {
      if (answered.contains(copy)) {
        addresses.add(copy.address());
      }
    }
    return List.copyOf(addresses);
  }
}
