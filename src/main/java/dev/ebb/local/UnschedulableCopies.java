package dev.ebb.local;

import dev.ebb.scaling.Copies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Copies the scheduler cannot place: pods whose {@code PodScheduled} condition is False with the
 * reason {@value #REASON} (typically no node with a free GPU). Such a copy counts as starting for a
 * bounded time ({@code ebb.local.unschedulable-timeout}), long enough for a cluster autoscaler or
 * Karpenter to add a node; after that it is a copy asked for that is not coming, like one of a
 * rollout Kubernetes reports stuck, and no longer holds back scale-in or the idle window. The same
 * bound applies to a copy that keeps failing ({@link FailingCopies}). Pure: the pods and the time
 * in, the counts out.
 */
public final class UnschedulableCopies {
  /**
   * The scheduler's reason on PodScheduled=False when no node fits ({@code
   * v1.PodReasonUnschedulable}).
   */
  public static final String REASON = "Unschedulable";

  private UnschedulableCopies() {}

  /**
   * One copy the scheduler could not place.
   *
   * @param pod the copy's pod
   * @param since when the scheduler first reported it unschedulable (the condition's
   *     lastTransitionTime, which stays put while the scheduler retries; the pod's creation when
   *     the condition carries none)
   * @param message the scheduler's message, e.g. {@code 0/3 nodes are available: 3 Insufficient
   *     nvidia.com/gpu.}
   */
  public record Waiting(String pod, Instant since, String message) {
    /** When this copy stops counting as starting, with {@code bound}. */
    public Instant startingUntil(Duration bound) {
      return since.plus(bound);
    }

    /** Whether the copy has waited at least {@code bound} by {@code now}. */
    public boolean overdue(Instant now, Duration bound) {
      return !now.isBefore(startingUntil(bound));
    }
  }

  /** The copies the scheduler reports unschedulable, longest waiting first. */
  public static List<Waiting> of(Collection<Pod> pods) {
    return pods.stream()
        .map(UnschedulableCopies::waiting)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(Waiting::since).thenComparing(Waiting::pod))
        .toList();
  }

  /**
   * The copies as the policy engine sees them. A copy that is not ready is starting, unless it is
   * not coming: its rollout is stuck (the Deployment reports ProgressDeadlineExceeded), it has been
   * unschedulable for at least {@code bound}, or it keeps failing ({@link FailingCopies}) and has
   * not been ready for at least {@code bound}. Those remain in {@code desired} (the Deployment
   * still asks for them, and scaling in removes them first) but are neither ready nor starting.
   *
   * @param desired the count the Deployment is being scaled to
   * @param ready copies ready
   * @param rolloutStuck whether the Deployment reports ProgressDeadlineExceeded
   * @param waiting the component's unschedulable copies ({@link #of})
   * @param failing the component's copies that keep failing ({@link FailingCopies#of})
   */
  public static Copies forEngine(
      int desired,
      int ready,
      boolean rolloutStuck,
      List<Waiting> waiting,
      List<FailingCopies.Failing> failing,
      Instant now,
      Duration bound) {
    int serving = Math.min(ready, desired);
    if (rolloutStuck) {
      return new Copies(desired, serving, 0);
    }
    int notReady = desired - serving;
    // A pod is never both (an unscheduled pod has no containers), but counting pods is safer.
    long overdue =
        Stream.concat(
                waiting.stream().filter(w -> w.overdue(now, bound)).map(Waiting::pod),
                failing.stream().filter(f -> f.overdue(now, bound)).map(FailingCopies.Failing::pod))
            .distinct()
            .count();
    return new Copies(desired, serving, (int) Math.max(0, notReady - overdue));
  }

  private static Optional<Waiting> waiting(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(pod.getStatus().getConditions()).stream()
        .flatMap(Collection::stream)
        .filter(
            c ->
                "PodScheduled".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && REASON.equals(c.getReason()))
        .findFirst()
        .flatMap(
            c -> since(pod, c).map(at -> new Waiting(pod.getMetadata().getName(), at, message(c))));
  }

  private static Optional<Instant> since(Pod pod, PodCondition condition) {
    String at =
        condition.getLastTransitionTime() != null
            ? condition.getLastTransitionTime()
            : pod.getMetadata().getCreationTimestamp();
    return Optional.ofNullable(at).map(Instant::parse);
  }

  private static String message(PodCondition condition) {
    return condition.getMessage() == null || condition.getMessage().isBlank()
        ? "the scheduler found no node for it."
        : condition.getMessage().strip();
  }
}
