package dev.ebb.local;

import static dev.ebb.local.LocalMetricCatalog.GPU_MEMORY_UTILIZATION;
import static dev.ebb.local.LocalMetricCatalog.GPU_UTILIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.local.LocalMetricCatalog.Gpu;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The GPU scraper's wiring, with hand-written doubles for the API server and the exporters. */
class GpuScraperTest {
  private static final ComponentKey LLAMA = new ComponentKey("team-a", "llama");
  private static final ComponentKey WHISPER = new ComponentKey("team-a", "whisper");
  private static final ComponentKey MISTRAL = new ComponentKey("team-b", "mistral");

  private final Map<ComponentKey, List<Pod>> copies = new HashMap<>();
  private final Map<String, String> pages = new HashMap<>();
  private final List<String> fetched = new ArrayList<>();
  private final List<String> recorded = new ArrayList<>();
  private final AtomicInteger listings = new AtomicInteger();

  private final Scrapes.Fetch fetch =
      url -> {
        fetched.add(url);
        String page = pages.get(url);
        return page == null
            ? CompletableFuture.failedFuture(new IllegalStateException(url + " answered 503"))
            : CompletableFuture.completedFuture(page);
      };

  private GpuScraper scraper(Map<ComponentKey, Set<Gpu>> wanted, Supplier<List<Pod>> exporters) {
    return new GpuScraper(
        () -> wanted,
        component -> copies.getOrDefault(component, List.of()),
        () -> {
          listings.incrementAndGet();
          return exporters.get();
        },
        9400,
        "/metrics",
        fetch,
        (component, key, value) -> recorded.add(component.name() + " " + key + "=" + value));
  }

  @Test
  void readsEveryReadyExporterAndRecordsWhatEachComponentReads() {
    Pod scaledIn = pod("llama-old", "10.1.0.6", false);
    scaledIn.getMetadata().setDeletionTimestamp("2026-12-06T10:00:00Z");
    copies.put(
        LLAMA, List.of(pod("llama-a", "10.1.0.4", true), pod("llama-b", null, false), scaledIn));
    copies.put(WHISPER, List.of(pod("whisper-a", "10.1.0.9", true)));
    pages.put(
        "http://10.0.1.5:9400/metrics",
        series("llama-a", 0, 70, 6000, 2000)
            + series("whisper-a", 1, 20, 1000, 3000)
            + series("llama-old", 2, 0, 0, 8000));
    pages.put("http://[fd00::7]:9400/metrics", series("llama-b", 0, 30, 2000, 6000));
    List<Pod> exporters =
        List.of(
            pod("dcgm-exporter-4xk2p", "10.0.1.5", true),
            pod("dcgm-exporter-9qz7m", "fd00::7", true),
            pod("dcgm-exporter-starting", "10.0.3.2", false),
            pod("dcgm-exporter-failing", "10.0.4.2", true));

    scraper(
            Map.of(
                LLAMA,
                Set.of(new Gpu(GPU_UTILIZATION), new Gpu(GPU_MEMORY_UTILIZATION)),
                WHISPER,
                Set.of(new Gpu(GPU_UTILIZATION))),
            () -> exporters)
        .scrape()
        .join();

    assertThat(fetched)
        .as("the ready exporters, at the configured port and path")
        .containsExactlyInAnyOrder(
            "http://10.0.1.5:9400/metrics",
            "http://[fd00::7]:9400/metrics",
            "http://10.0.4.2:9400/metrics");
    // The exporter that answered 503 hides nothing; a copy not ready yet still holds its GPU, and
    // one being deleted is no longer a copy.
    assertThat(recorded)
        .containsExactlyInAnyOrder(
            "llama " + GPU_UTILIZATION + "=50.0",
            "llama " + GPU_MEMORY_UTILIZATION + "=50.0",
            "whisper " + GPU_UTILIZATION + "=20.0");
  }

  @Test
  void nothingIsAskedWhileNoComponentReadsGpuMetrics() {
    scraper(Map.of(), () -> List.of(pod("dcgm-exporter-4xk2p", "10.0.1.5", true))).scrape().join();

    assertThat(listings).hasValue(0);
    assertThat(fetched).isEmpty();
  }

  @Test
  void aComponentNoneOfWhoseGpusIsSeenRecordsNothing() {
    copies.put(MISTRAL, List.of(pod("mistral-a", "10.1.0.5", true)));
    pages.put("http://10.0.1.5:9400/metrics", series("llama-a", 0, 70, 6000, 2000));

    scraper(
            Map.of(MISTRAL, Set.of(new Gpu(GPU_UTILIZATION))),
            () -> List.of(pod("dcgm-exporter-4xk2p", "10.0.1.5", true)))
        .scrape()
        .join();

    assertThat(fetched).hasSize(1);
    assertThat(recorded).isEmpty();
  }

  @Test
  void aFailedListingRecordsNothingAndTheNextScrapeTriesAgain() {
    copies.put(LLAMA, List.of(pod("llama-a", "10.1.0.4", true)));
    pages.put("http://10.0.1.5:9400/metrics", series("llama-a", 0, 70, 6000, 2000));
    AtomicInteger calls = new AtomicInteger();
    GpuScraper scraper =
        scraper(
            Map.of(LLAMA, Set.of(new Gpu(GPU_UTILIZATION))),
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("pods is forbidden");
              }
              return List.of(pod("dcgm-exporter-4xk2p", "10.0.1.5", true));
            });

    scraper.scrape().join();
    assertThat(recorded).isEmpty();

    scraper.scrape().join();
    assertThat(recorded).containsExactly("llama " + GPU_UTILIZATION + "=70.0");
  }

  /** One GPU's series as the exporter labels them for the pod holding it (in team-a). */
  private static String series(String pod, int gpu, double util, double used, double free) {
    String labels =
        "{gpu=\"%d\",UUID=\"GPU-%s\",device=\"nvidia%d\",modelName=\"NVIDIA A10G\",Hostname=\"n\",container=\"model\",namespace=\"team-a\",pod=\"%s\"}"
            .formatted(gpu, pod, gpu, pod);
    return DcgmReadings.GPU_UTIL
        + labels
        + " "
        + util
        + "\n"
        + DcgmReadings.FB_USED
        + labels
        + " "
        + used
        + "\n"
        + DcgmReadings.FB_FREE
        + labels
        + " "
        + free
        + "\n";
  }

  private static Pod pod(String name, String ip, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPodIP(ip)
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}
