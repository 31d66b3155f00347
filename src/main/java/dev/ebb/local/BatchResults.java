package dev.ebb.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a local transform's workers reported when they ended: each batcher writes its final progress
 * (JSON, {@code dev.ebb.batch.Progress}) to its termination-message file, and kubelet keeps it in
 * the pod's status. Read from there, never from logs.
 *
 * @param workers workers that reported (ended, or running and answering)
 * @param failureReason the first failed worker's reason, if any failed
 */
public record BatchResults(
    int workers,
    int objectsDone,
    int objectsTotal,
    long recordsDone,
    long recordsFailed,
    Optional<String> failureReason) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The results of the pods' batchers that ended with a result. */
  public static BatchResults of(List<Pod> pods) {
    return of(pods, java.util.Map.of());
  }

  /**
   * The results of the pods' batchers that ended, plus the progress the running ones reported
   * ({@code live}: pod name to its batcher's progress JSON, {@link BatchProgressProbe}).
   */
  public static BatchResults of(List<Pod> pods, java.util.Map<String, String> live) {
    int workers = 0;
    int objectsDone = 0;
    int objectsTotal = 0;
    long recordsDone = 0;
    long recordsFailed = 0;
    Optional<String> reason = Optional.empty();
    for (Pod pod : pods.stream().sorted(BatchResults::byName).toList()) {
      Optional<JsonNode> result =
          result(pod)
              .or(
                  () ->
                      Optional.ofNullable(live.get(pod.getMetadata().getName()))
                          .flatMap(BatchResults::parse));
      if (result.isEmpty()) {
        continue;
      }
      JsonNode r = result.get();
      workers++;
      objectsDone += r.path("objectsDone").asInt();
      objectsTotal += r.path("objectsTotal").asInt();
      recordsDone += r.path("recordsDone").asLong();
      recordsFailed += r.path("recordsFailed").asLong();
      if (reason.isEmpty() && "Failed".equals(r.path("state").asText())) {
        reason = Optional.of(r.path("reason").asText("the batcher failed"));
      }
    }
    return new BatchResults(workers, objectsDone, objectsTotal, recordsDone, recordsFailed, reason);
  }

  /**
   * Why a worker's batcher ended without a result: its exit code and the tail of its log (the
   * container's termination message falls back to it), for a batcher that crashed.
   */
  public static Optional<String> crash(List<Pod> pods) {
    for (Pod pod : pods.stream().sorted(BatchResults::byName).toList()) {
      Optional<ContainerStatus> batcher = batcher(pod);
      var terminated = batcher.map(b -> b.getState().getTerminated());
      if (terminated.isPresent()
          && terminated.get().getExitCode() != null
          && terminated.get().getExitCode() != 0
          && result(pod).isEmpty()) {
        String message = terminated.get().getMessage();
        return Optional.of(
            "the batcher of pod "
                + pod.getMetadata().getName()
                + " exited with "
                + terminated.get().getExitCode()
                + (message == null || message.isBlank() ? "" : ": " + tail(message.strip())));
      }
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> result(Pod pod) {
    return batcher(pod)
        .map(b -> b.getState() == null ? null : b.getState().getTerminated())
        .map(t -> t.getMessage())
        .filter(m -> m.strip().startsWith("{"))
        .flatMap(BatchResults::parse);
  }

  private static Optional<ContainerStatus> batcher(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> BatchWorkload.BATCHER_CONTAINER.equals(c.getName()))
        .filter(c -> c.getState() != null)
        .findFirst();
  }

  private static Optional<JsonNode> parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return node.has("state") ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String tail(String text) {
    return text.length() <= 300 ? text : "…" + text.substring(text.length() - 300);
  }

  private static int byName(Pod a, Pod b) {
    return a.getMetadata().getName().compareTo(b.getMetadata().getName());
  }
}
