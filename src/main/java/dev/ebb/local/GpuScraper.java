package dev.ebb.local;

import dev.ebb.local.LocalMetricCatalog.Gpu;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reads the GPU metrics ScalingPolicies name ({@code /aws/sagemaker/InferenceComponents}
 * GPUUtilizationNormalized and GPUMemoryUtilizationNormalized) from NVIDIA's DCGM exporters: every
 * ready exporter pod's page is fetched, and each component wanting GPU metrics gets its GPUs'
 * values, those whose series the exporter labels with one of its copies' pods ({@link
 * DcgmReadings}). Nothing is asked of the API server unless some component wants GPU metrics. An
 * exporter that does not answer adds nothing; a component none of whose GPUs is seen records
 * nothing, so it neither counts as idle nor hides a later reading.
 */
public final class GpuScraper {
  private static final Logger LOG = Logger.getLogger(GpuScraper.class);

  private final Supplier<Map<ComponentKey, Set<Gpu>>> wanted;
  private final Function<ComponentKey, List<Pod>> pods;
  private final Supplier<List<Pod>> exporters;
  private final String port;
  private final String path;
  private final Scrapes.Fetch fetch;
  private final Scrapes.Recorder recorder;
  private volatile String trouble;

  /**
   * @param wanted the components whose policies read GPU metrics, and which
   * @param pods a component's copies' pods
   * @param exporters the DCGM exporter's pods (asked once per scrape)
   * @param port the exporters' metrics port
   * @param path the exporters' metrics path
   */
  public GpuScraper(
      Supplier<Map<ComponentKey, Set<Gpu>>> wanted,
      Function<ComponentKey, List<Pod>> pods,
      Supplier<List<Pod>> exporters,
      int port,
      String path,
      Scrapes.Fetch fetch,
      Scrapes.Recorder recorder) {
    this.wanted = wanted;
    this.pods = pods;
    this.exporters = exporters;
    this.port = Integer.toString(port);
    this.path = path;
    this.fetch = fetch;
    this.recorder = recorder;
  }

  /** One scrape of every exporter for every wanted component; completes when all is recorded. */
  public CompletableFuture<Void> scrape() {
    Map<ComponentKey, Set<Gpu>> wants = wanted.get();
    if (wants.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<String> urls;
    try {
      urls =
          exporters.get().stream()
              .filter(Scrapes::ready)
              .map(pod -> Scrapes.url(pod, port, path))
              .toList();
    } catch (RuntimeException e) {
      trouble("the DCGM exporter's pods could not be listed: " + e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    if (urls.isEmpty()) {
      trouble("no ready DCGM exporter pod matches ebb.local.gpu-metrics.exporter-selector");
      return CompletableFuture.completedFuture(null);
    }
    trouble(null);
    List<CompletableFuture<String>> pages = new ArrayList<>();
    for (String url : urls) {
      pages.add(
          fetch
              .get(url)
              .exceptionally(
                  e -> {
                    LOG.debugf("DCGM exporter %s not read: %s", url, e.getMessage());
                    return null;
                  }));
    }
    return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              List<String> read =
                  pages.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
              Map<ComponentKey, Set<String>> copies = new LinkedHashMap<>();
              wants.keySet().forEach(component -> copies.put(component, copies(component)));
              Map<ComponentKey, Map<String, Double>> measured = DcgmReadings.of(read, copies);
              wants.forEach(
                  (component, metrics) -> {
                    Map<String, Double> values = measured.getOrDefault(component, Map.of());
                    for (Gpu metric : metrics) {
                      Double value = values.get(metric.key());
                      if (value != null) {
                        recorder.record(component, metric.key(), value);
                      }
                    }
                  });
            });
  }

  /** The component's copies' pod names; a copy being deleted is no longer one. */
  private Set<String> copies(ComponentKey component) {
    return pods.apply(component).stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .map(pod -> pod.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  /** Logs a problem once when it starts, not on every scrape; null when there is none. */
  private void trouble(String problem) {
    if (problem != null && !problem.equals(trouble)) {
      LOG.warnf("GPU metrics not read: %s", problem);
    } else if (problem == null && trouble != null) {
      LOG.infof("GPU metrics read again from the DCGM exporter");
    }
    trouble = problem;
  }
}
