package dev.ebb.local;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the scrapers share ({@link ModelServerScraper} reads the copies' own endpoints, {@link
 * GpuScraper} the DCGM exporters'): how a body is fetched, where a value goes, which pods answer
 * and at which URL.
 */
public final class Scrapes {
  private Scrapes() {}

  /** Fetches a URL's body; fails on anything but a 200. */
  public interface Fetch {
    CompletableFuture<String> get(String url);
  }

  /** Where a component's value is recorded (the engine's metrics). */
  public interface Recorder {
    void record(ComponentKey component, String key, double value);
  }

  /** A ready pod with an address, not being deleted. */
  static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getPodIP() != null
        && !pod.getStatus().getPodIP().isEmpty()
        && pod.getMetadata().getDeletionTimestamp() == null
        && Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code http://IP:port/path} of a pod with an address (an IPv6 address in brackets). */
  static String url(Pod pod, String port, String path) {
    String ip = pod.getStatus().getPodIP();
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return "http://" + host + ":" + port + path;
  }
}
