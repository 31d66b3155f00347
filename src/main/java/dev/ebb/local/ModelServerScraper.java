package dev.ebb.local;

import dev.ebb.api.v1alpha1.MetricRef;
import dev.ebb.local.LocalMetricCatalog.ModelServer;
import dev.ebb.local.PrometheusText.Sample;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Reads the Custom metrics ScalingPolicies name from their components' model servers: each ready
 * copy's Prometheus endpoint (the {@code prometheus.io/port} and {@code /path} annotations Ebb puts
 * on its pods from {@code spec.local.metrics}) is fetched, the series a policy names are picked by
 * name and labels, and one value per component is recorded for the policy engine: the policy's
 * statistic over copies, as CloudWatch combines the datapoints that copies publish under the same
 * dimensions. Per copy, matching series are summed (as PromQL's {@code sum by (pod)}); a counter is
 * read as its per-second rate since the previous scrape, and a copy's first scrape of a counter
 * gives none. A copy that does not answer adds nothing, so it neither counts as zero nor hides the
 * others.
 */
public final class ModelServerScraper {
  private static final Logger LOG = Logger.getLogger(ModelServerScraper.class);

  private final Supplier<Map<ComponentKey, Set<ModelServer>>> wanted;
  private final Function<ComponentKey, List<Pod>> pods;
  private final Scrapes.Fetch fetch;
  private final Scrapes.Recorder recorder;
  private final Clock clock;
  private final Map<String, Counted> counters = new ConcurrentHashMap<>();

  /** A counter's last reading on one copy. */
  private record Counted(double value, Instant at) {}

  public ModelServerScraper(
      Supplier<Map<ComponentKey, Set<ModelServer>>> wanted,
      Function<ComponentKey, List<Pod>> pods,
      Scrapes.Fetch fetch,
      Scrapes.Recorder recorder,
      Clock clock) {
    this.wanted = wanted;
    this.pods = pods;
    this.fetch = fetch;
    this.recorder = recorder;
    this.clock = clock;
  }

  /** One scrape of every wanted component; completes when every value is recorded. */
  public CompletableFuture<Void> scrape() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    Set<String> live = ConcurrentHashMap.newKeySet();
    wanted.get().forEach((component, series) -> all.add(scrape(component, series, live)));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenRun(() -> counters.keySet().retainAll(live));
  }

  private CompletableFuture<Void> scrape(
      ComponentKey component, Set<ModelServer> series, Set<String> live) {
    List<Pod> ready = pods.apply(component).stream().filter(ModelServerScraper::scrapable).toList();
    List<CompletableFuture<Map<ModelServer, Double>>> copies = new ArrayList<>();
    for (Pod pod : ready) {
      copies.add(
          fetch
              .get(url(pod))
              .thenApply(text -> perCopy(pod, PrometheusText.parse(text), series, live))
              .exceptionally(
                  e -> {
                    LOG.debugf(
                        "metrics of %s/%s not read: %s",
                        component.namespace(), pod.getMetadata().getName(), e.getMessage());
                    return Map.of();
                  }));
    }
    return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              for (ModelServer s : series) {
                List<Double> values =
                    copies.stream()
                        .map(CompletableFuture::join)
                        .filter(m -> m.containsKey(s))
                        .map(m -> m.get(s))
                        .toList();
                combine(values, s.statistic())
                    .ifPresent(v -> recorder.record(component, s.key(), v));
              }
            });
  }

  /** Each wanted series' value on one copy (absent when it has none yet). */
  private Map<ModelServer, Double> perCopy(
      Pod pod, List<Sample> samples, Set<ModelServer> series, Set<String> live) {
    Instant now = clock.instant();
    Map<ModelServer, Double> values = new HashMap<>();
    for (ModelServer s : series) {
      double sum = 0;
      boolean found = false;
      boolean counter = false;
      for (Sample sample : samples) {
        if (sample.name().equals(s.metric()) && sample.matches(s.labels())) {
          sum += sample.value();
          found = true;
          counter |= sample.type() == PrometheusText.Type.COUNTER;
        }
      }
      if (!found || Double.isNaN(sum)) {
        continue;
      }
      if (!counter) {
        values.put(s, sum);
        continue;
      }
      String id = pod.getMetadata().getUid() + "/" + s.key();
      live.add(id);
      Counted previous = counters.put(id, new Counted(sum, now));
      if (previous != null && now.isAfter(previous.at())) {
        double seconds = Duration.between(previous.at(), now).toMillis() / 1000.0;
        // A counter that went down was reset (the server restarted): it counted from zero.
        double increase = sum >= previous.value() ? sum - previous.value() : sum;
        values.put(s, increase / seconds);
      }
    }
    return values;
  }

  static OptionalDouble combine(List<Double> values, MetricRef.Statistic statistic) {
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    var stream = values.stream().mapToDouble(Double::doubleValue);
    return switch (statistic) {
      case Average -> stream.average();
      case Sum -> OptionalDouble.of(stream.sum());
      case Minimum -> stream.min();
      case Maximum -> stream.max();
      case SampleCount -> OptionalDouble.of(values.size());
    };
  }

  /** A ready copy with an address and Ebb's scrape annotations. */
  static boolean scrapable(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return Scrapes.ready(pod)
        && annotations != null
        && "true".equals(annotations.get(ModelServerWorkload.SCRAPE_ANNOTATION))
        && annotations.get(ModelServerWorkload.PORT_ANNOTATION) != null;
  }

  static String url(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return Scrapes.url(
        pod,
        annotations.get(ModelServerWorkload.PORT_ANNOTATION),
        annotations.getOrDefault(ModelServerWorkload.PATH_ANNOTATION, "/metrics"));
  }
}
