package dev.ebb.local;

import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the running workers' progress from their batchers ({@code GET /progress} on {@link
 * BatchWorkload#PROGRESS_PORT}): all at once, each given at most {@link #TIMEOUT}, so a reconcile
 * waits at most that long however many workers there are. A worker that does not answer is counted
 * when it ends, from its termination message.
 */
public final class BatchProgressProbe {
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  /** Pod name to its batcher's progress JSON, for the running pods that answered. */
  public Map<String, String> read(List<Pod> running) {
    Map<String, CompletableFuture<HttpResponse<String>>> asked = new HashMap<>();
    for (Pod pod : running) {
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (ip == null || ip.isBlank()) {
        continue;
      }
      String host = ip.contains(":") ? "[" + ip + "]" : ip;
      asked.put(
          pod.getMetadata().getName(),
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://" + host + ":" + BatchWorkload.PROGRESS_PORT + "/progress"))
                  .timeout(TIMEOUT)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Map<String, String> answers = new HashMap<>();
    asked.forEach(
        (pod, answer) -> {
          try {
            HttpResponse<String> response =
                answer.get(TIMEOUT.toMillis() + 200, TimeUnit.MILLISECONDS);
            if (response.statusCode() == 200) {
              answers.put(pod, response.body());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            answer.cancel(true); // not answering now: counted when it ends
          }
        });
    return answers;
  }

  /** The pods whose batcher runs now. */
  public static List<Pod> running(List<Pod> pods) {
    return pods.stream()
        .filter(
            p ->
                p.getStatus() != null
                    && p.getStatus().getContainerStatuses() != null
                    && p.getStatus().getContainerStatuses().stream()
                        .anyMatch(
                            c ->
                                BatchWorkload.BATCHER_CONTAINER.equals(c.getName())
                                    && c.getState() != null
                                    && c.getState().getRunning() != null))
        .toList();
  }
}
