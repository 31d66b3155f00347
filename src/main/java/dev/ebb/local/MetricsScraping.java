package dev.ebb.local;

import dev.ebb.config.LocalConfig;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs {@link ModelServerScraper} and, when {@code ebb.local.gpu-metrics.exporter-selector} is set,
 * {@link GpuScraper} every {@code ebb.local.metrics-scrape-interval}. Only the leader tracks
 * policies, so only the leader has anything to scrape; a scrape still running when the next is due
 * is not doubled up (the executor runs one at a time and waits for it).
 */
@ApplicationScoped
@Startup
public class MetricsScraping {
  private static final Logger LOG = Logger.getLogger(MetricsScraping.class);

  static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(5);

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ebb-metrics-scrape");
            t.setDaemon(true);
            return t;
          });

  public MetricsScraping(
      LocalAutoscaler autoscaler,
      CopiesSource copies,
      LocalMetrics metrics,
      LocalConfig config,
      KubernetesClient client,
      Clock clock) {
    Duration interval = config.metricsScrapeInterval();
    // A copy that does not answer in 5 s adds nothing to this scrape; the next one waits for it
    // (scrapes never overlap), so a busy copy delays its component's data rather than losing it.
    Duration timeout = SCRAPE_TIMEOUT;
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    ModelServerScraper scraper =
        new ModelServerScraper(
            () -> autoscaler.measured(LocalMetricCatalog.ModelServer.class),
            copies::pods,
            url -> get(http, url, timeout),
            (component, key, value) -> metrics.of(component).record(key, value),
            clock);
    LocalConfig.GpuMetrics gpu = config.gpuMetrics();
    Optional<GpuScraper> gpus =
        gpu.exporterSelector()
            .map(
                selector ->
                    new GpuScraper(
                        () -> autoscaler.measured(LocalMetricCatalog.Gpu.class),
                        copies::pods,
                        () -> exporters(client, selector, gpu.exporterNamespace()),
                        gpu.exporterPort(),
                        gpu.exporterPath(),
                        url -> get(http, url, timeout),
                        (component, key, value) -> metrics.of(component).record(key, value)));
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            CompletableFuture.allOf(
                    scraper.scrape(),
                    gpus.map(GpuScraper::scrape).orElse(CompletableFuture.completedFuture(null)))
                .get(interval.toMillis() + timeout.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            LOG.debugf("metrics scrape did not finish: %s", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * The DCGM exporter's pods, listed afresh. A list per scrape rather than an informer: it is asked
   * only while some policy reads GPU metrics, on the leader, once per scrape interval (10 s), and
   * matches a handful of pods (one per GPU node); {@code resourceVersion=0} lets the API server
   * answer from its watch cache rather than etcd. An informer would keep a watch open and its cache
   * alive for as long as the process lives, and have to be started and stopped as policies come and
   * go and leadership moves, for no fresher answer than the scrape reads anyway. The ClusterRole's
   * pods list (every namespace) covers the exporter's namespace.
   */
  private static List<Pod> exporters(
      KubernetesClient client, String selector, Optional<String> namespace) {
    ListOptions options =
        new ListOptionsBuilder().withLabelSelector(selector).withResourceVersion("0").build();
    return namespace
        .map(ns -> client.pods().inNamespace(ns).list(options))
        .orElseGet(() -> client.pods().inAnyNamespace().list(options))
        .getItems();
  }

  private static CompletableFuture<String> get(HttpClient http, String url, Duration timeout) {
    return http.sendAsync(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "text/plain;version=0.0.4")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
              }
              return response.body();
            });
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }
}
