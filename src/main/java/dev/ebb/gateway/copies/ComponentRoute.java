package dev.ebb.gateway.copies;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One component's ready copies and the requests held for them. Requests go to the ready copy with
 * the fewest outstanding requests (ties taken in turn); at zero copies they are held, up to a
 * bound, and handed out the moment copies become ready — each held request exactly once.
 *
 * @param <R> a held request
 */
final class ComponentRoute<R> {
  /** A ready copy and the requests in flight on it. */
  static final class Copy {
    final String address;
    final AtomicInteger outstanding = new AtomicInteger();

    Copy(String address) {
      this.address = address;
    }
  }

  /** A held request and the copy it now goes to. */
  record Dispatch<R>(R request, Copy copy) {}

  private final Map<String, Copy> copies = new LinkedHashMap<>();

  /** The copies in a fixed order, for taking ties in turn without copying per request. */
  private List<Copy> order = List.of();

  private final ArrayDeque<R> held = new ArrayDeque<>();
  private final AtomicLong invocations = new AtomicLong();
  private int turn;

  private Optional<Copy> leastOutstanding() {
    List<Copy> ready = order;
    if (ready.isEmpty()) {
      return Optional.empty();
    }
    Copy best = null;
    int start = Math.floorMod(turn++, ready.size());
    for (int i = 0; i < ready.size(); i++) {
      Copy c = ready.get((start + i) % ready.size());
      if (best == null || c.outstanding.get() < best.outstanding.get()) {
        best = c;
      }
    }
    best.outstanding.incrementAndGet();
    return Optional.of(best);
  }

  /** The request on {@code copy} finished. */
  void release(Copy copy) {
    copy.outstanding.decrementAndGet();
  }

  /** What became of a request: sent to a copy, held, or refused because too many are held. */
  sealed interface Admission {}

  /** Go to this copy (counted on it). */
  record ToCopy(Copy copy) implements Admission {}

  /** Held until a copy is ready. */
  record Held() implements Admission {}

  /** {@code max} requests are already held. */
  record Full() implements Admission {}

  /**
   * Sends a request to the least busy ready copy or, at zero copies, holds it (up to {@code max});
   * one step under the lock {@link #copiesAre} takes, so a copy becoming ready in between cannot
   * strand a held request.
   */
  synchronized Admission admit(R request, int max) {
    invocations.incrementAndGet();
    Optional<Copy> copy = leastOutstanding();
    if (copy.isPresent()) {
      return new ToCopy(copy.get());
    }
    if (held.size() >= max) {
      return new Full();
    }
    held.add(request);
    return new Held();
  }

  /** Stops holding a request (its deadline passed, its client left); false if it was handed out. */
  synchronized boolean unhold(R request) {
    return held.remove(request);
  }

  /**
   * The ready copies are now {@code addresses}. Copies that stay keep their in-flight counts; every
   * held request is handed to a copy (least outstanding first) and no longer held.
   */
  synchronized List<Dispatch<R>> copiesAre(List<String> addresses) {
    Map<String, Copy> next = new LinkedHashMap<>();
    for (String address : addresses) {
      next.put(address, copies.getOrDefault(address, new Copy(address)));
    }
    copies.clear();
    copies.putAll(next);
    order = List.copyOf(next.values());
    List<Dispatch<R>> dispatches = new ArrayList<>();
    for (Iterator<R> it = held.iterator(); it.hasNext() && !copies.isEmpty(); ) {
      dispatches.add(new Dispatch<>(it.next(), leastOutstanding().orElseThrow()));
      it.remove();
    }
    return dispatches;
  }

  /** Stops holding every request (the component is gone); the ones that were held. */
  synchronized List<R> releaseAll() {
    List<R> released = new ArrayList<>(held);
    held.clear();
    return released;
  }

  synchronized int held() {
    return held.size();
  }

  synchronized int ready() {
    return copies.size();
  }

  /** Requests in flight on the ready copies. */
  synchronized int outstanding() {
    return copies.values().stream().mapToInt(c -> c.outstanding.get()).sum();
  }

  /** Requests received so far (served or held). */
  long invocations() {
    return invocations.get();
  }
}
