package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.MetricRef.Statistic;
import dev.ebb.local.LocalMetricCatalog.ModelServer;
import dev.ebb.testing.TestClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ModelServerScraperTest {
  private static final ComponentKey LLAMA = new ComponentKey("team", "llama");

  private final TestClock clock = new TestClock();
  private final Map<String, String> bodies = new HashMap<>();
  private final Map<String, Double> recorded = new HashMap<>();
  private List<Pod> pods = List.of(pod("a", "10.0.0.1", true), pod("b", "10.0.0.2", true));
  private Set<ModelServer> wanted = Set.of(gauge(Statistic.Average));

  private final ModelServerScraper scraper =
      new ModelServerScraper(
          () -> Map.of(LLAMA, wanted),
          component -> pods,
          url ->
              bodies.containsKey(url)
                  ? CompletableFuture.completedFuture(bodies.get(url))
                  : CompletableFuture.failedFuture(new IllegalStateException("refused")),
          (component, key, value) -> recorded.put(component.name() + " " + key, value),
          clock);

  {
    clock.setTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void aGaugeIsCombinedOverCopiesWithThePolicysStatistic() {
    serve("10.0.0.1", "waiting{model=\"llama\"} 2\nwaiting{model=\"other\"} 100\n");
    serve("10.0.0.2", "waiting{model=\"llama\"} 6\n");
    wanted = Set.of(gauge(Statistic.Average), gauge(Statistic.Sum), gauge(Statistic.Maximum));

    scraper.scrape().join();

    assertThat(recorded)
        .containsEntry("llama waiting{model=\"llama\"}", 4.0)
        .containsEntry("llama waiting{model=\"llama\"} (Sum)", 8.0)
        .containsEntry("llama waiting{model=\"llama\"} (Maximum)", 6.0);
  }

  @Test
  void aCopyThatDoesNotAnswerAddsNothingRatherThanZero() {
    serve("10.0.0.1", "waiting{model=\"llama\"} 3\n");

    scraper.scrape().join();

    assertThat(recorded).containsExactly(Map.entry("llama waiting{model=\"llama\"}", 3.0));
  }

  @Test
  void copiesThatAreNotReadyOrNotAnnotatedAreNotScraped() {
    pods = List.of(pod("a", "10.0.0.1", false), pod("b", null, true));
    serve("10.0.0.1", "waiting{model=\"llama\"} 3\n");

    scraper.scrape().join();

    assertThat(recorded).isEmpty();
  }

  @Test
  void aCounterIsReadAsItsRatePerSecondAndAResetCountsFromZero() {
    wanted = Set.of(new ModelServer("served_total", new TreeMap<>(), Statistic.Sum));
    pods = List.of(pod("a", "10.0.0.1", true));
    serve("10.0.0.1", "# TYPE served counter\nserved_total 100\n");
    scraper.scrape().join();
    assertThat(recorded).as("no rate from one reading").isEmpty();

    clock.advance(Duration.ofSeconds(10));
    serve("10.0.0.1", "# TYPE served counter\nserved_total 150\n");
    scraper.scrape().join();
    assertThat(recorded.get("llama served_total (Sum)"))
        .isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.01));

    clock.advance(Duration.ofSeconds(10));
    serve("10.0.0.1", "# TYPE served counter\nserved_total 20\n");
    scraper.scrape().join();
    assertThat(recorded.get("llama served_total (Sum)"))
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
  }

  private void serve(String ip, String body) {
    bodies.put("http://" + ip + ":9000/stats", body);
  }

  private static ModelServer gauge(Statistic statistic) {
    return new ModelServer("waiting", new TreeMap<>(Map.of("model", "llama")), statistic);
  }

  private static Pod pod(String name, String ip, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withUid("uid-" + name)
        .withAnnotations(
            Map.of(
                ModelServerWorkload.SCRAPE_ANNOTATION, "true",
                ModelServerWorkload.PORT_ANNOTATION, "9000",
                ModelServerWorkload.PATH_ANNOTATION, "/stats"))
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
