package dev.ebb.local;

import dev.ebb.api.v1alpha1.InferenceComponentStatus.ColdStart;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cold starts measured from a copy's pod: created, then scheduled (PodScheduled), model fetched
 * (Initialized: the init container is done), container started (the model server's startedAt),
 * ready (Ready: /ping answered). Pure: the pods in, the measurement out.
 */
public final class ColdStarts {
  /**
   * What the gateway logs when a starting copy first answers {@code /ping}, before its pod is
   * Ready, followed by {@code pod=}, {@code address=} and {@code since_container_started_seconds=}:
   * what-if reads it to end a measured cold start where the gateway could send, not at Ready.
   */
  public static final String PING_ANSWERED =
      "starting copy answered /ping, routable before its pod is Ready";

  private ColdStarts() {}

  /** The cold start of the copy that became ready last, if any copy is ready. */
  public static Optional<ColdStart> latest(Collection<Pod> pods) {
    return all(pods).stream().max(Comparator.comparing(Measured::ready)).map(Measured::coldStart);
  }

  /** The cold start of every ready copy. */
  public static List<Measured> all(Collection<Pod> pods) {
    return pods.stream().map(ColdStarts::of).flatMap(Optional::stream).toList();
  }

  /** One ready copy's cold start, with its pod's UID and when it became ready. */
  public record Measured(String podUid, Instant ready, ColdStart coldStart) {}

  private static Optional<Measured> of(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return Optional.empty();
    }
    Optional<Instant> ready = condition(pod, "Ready");
    Optional<Instant> scheduled = condition(pod, "PodScheduled");
    Optional<Instant> initialized = condition(pod, "Initialized");
    Optional<Instant> started =
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream()
            .flatMap(Collection::stream)
            .filter(c -> ModelServerWorkload.SERVER_CONTAINER.equals(c.getName()))
            .map(ContainerStatus::getState)
            .filter(
                s -> s != null && s.getRunning() != null && s.getRunning().getStartedAt() != null)
            .map(s -> Instant.parse(s.getRunning().getStartedAt()))
            .findFirst();
    if (ready.isEmpty()
        || scheduled.isEmpty()
        || initialized.isEmpty()
        || started.isEmpty()
        || pod.getMetadata().getCreationTimestamp() == null) {
      return Optional.empty();
    }
    Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put("scheduled", seconds(created, scheduled.get()));
    phases.put("modelFetched", seconds(scheduled.get(), initialized.get()));
    phases.put("containerStarted", seconds(initialized.get(), started.get()));
    phases.put("ready", seconds(started.get(), ready.get()));
    return Optional.of(
        new Measured(
            pod.getMetadata().getUid(),
            ready.get(),
            new ColdStart(
                pod.getMetadata().getName(),
                created.toString(),
                seconds(created, ready.get()),
                phases)));
  }

  /** When the condition last became True; empty while it is not True. */
  private static Optional<Instant> condition(Pod pod, String type) {
    return Optional.ofNullable(pod.getStatus().getConditions()).stream()
        .flatMap(Collection::stream)
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .map(PodCondition::getLastTransitionTime)
        .filter(t -> t != null)
        .map(Instant::parse)
        .findFirst();
  }

  /** Whole seconds (Kubernetes's resolution), never negative across clock skew. */
  private static double seconds(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }
}
