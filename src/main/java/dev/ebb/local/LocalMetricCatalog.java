package dev.ebb.local;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.EffectivePolicy.Metric;
import dev.ebb.api.v1alpha1.MetricRef;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TrackedMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * Where backend local measures each metric a ScalingPolicy can name, and the name the policy engine
 * reads it under. A metric keeps its SageMaker meaning: the same reference that on SageMaker reads
 * CloudWatch reads, locally, the source that measures the same thing.
 *
 * <table>
 *   <caption>Local sources</caption>
 *   <tr><th>Metric</th><th>Measured by</th></tr>
 *   <tr><td>tracked ConcurrentRequestsPerCopy, InvocationsPerCopy; AWS/SageMaker metrics of the
 *       same names</td><td>the gateway, every second</td></tr>
 *   <tr><td>AWS/SageMaker ApproximateBacklogSize, ApproximateBacklogSizePerInstance,
 *       HasBacklogWithoutCapacity</td><td>the gateway's asynchronous queue of the component</td></tr>
 *   <tr><td>/aws/sagemaker/InferenceComponents GPUUtilizationNormalized,
 *       GPUMemoryUtilizationNormalized</td><td>a DCGM exporter, per copy's GPUs</td></tr>
 *   <tr><td>any other namespace</td><td>the copies' own Prometheus endpoint
 *       ({@code spec.local.metrics}): the name is the Prometheus metric, dimensions select
 *       labels</td></tr>
 * </table>
 *
 * <p>Dimensions of AWS/SageMaker and /aws/sagemaker/InferenceComponents metrics name SageMaker
 * objects; locally the metric is always the policy's own component's, so they are not read.
 */
public final class LocalMetricCatalog {
  public static final String CONCURRENT_REQUESTS_PER_COPY =
      TrackedMetric.ConcurrentRequestsPerCopy.name();
  public static final String INVOCATIONS_PER_COPY = TrackedMetric.InvocationsPerCopy.name();
  public static final String BACKLOG_SIZE = "ApproximateBacklogSize";
  public static final String BACKLOG_SIZE_PER_COPY = "ApproximateBacklogSizePerInstance";
  public static final String BACKLOG_WITHOUT_CAPACITY = "HasBacklogWithoutCapacity";
  public static final String GPU_UTILIZATION = "GPUUtilizationNormalized";
  public static final String GPU_MEMORY_UTILIZATION = "GPUMemoryUtilizationNormalized";

  static final String SAGEMAKER_NAMESPACE = "AWS/SageMaker";
  static final String INFERENCE_COMPONENTS_NAMESPACE = "/aws/sagemaker/InferenceComponents";

  private static final List<String> GATEWAY =
      List.of(CONCURRENT_REQUESTS_PER_COPY, INVOCATIONS_PER_COPY);
  private static final List<String> ASYNC_QUEUE =
      List.of(BACKLOG_SIZE, BACKLOG_SIZE_PER_COPY, BACKLOG_WITHOUT_CAPACITY);
  private static final List<String> GPU = List.of(GPU_UTILIZATION, GPU_MEMORY_UTILIZATION);

  private LocalMetricCatalog() {}

  /** What measures one metric; {@link #key} is the name the engine reads it under. */
  public sealed interface Source {
    String key();
  }

  /** Published by the gateway every second. */
  public record Gateway(String key) implements Source {}

  /** Published by the gateway's asynchronous queue every second. */
  public record AsyncQueue(String key) implements Source {}

  /** Read from a DCGM exporter for the copies' GPUs. */
  public record Gpu(String key) implements Source {}

  /**
   * Scraped from the copies' Prometheus endpoint: the series named {@code metric} whose labels
   * include {@code labels}, combined over copies with {@code statistic}.
   */
  public record ModelServer(
      String metric, SortedMap<String, String> labels, MetricRef.Statistic statistic)
      implements Source {
    /**
     * As a person reads it in a scaling activity: {@code name{label="value"}}, and a statistic
     * other than Average.
     */
    @Override
    public String key() {
      return metric
          + (labels.isEmpty()
              ? ""
              : labels.entrySet().stream()
                  .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                  .collect(Collectors.joining(",", "{", "}")))
          + (statistic == MetricRef.Statistic.Average ? "" : " (" + statistic + ")");
    }
  }

  /** Nothing on backend local measures it. */
  public record Unmeasured(String key, String why) implements Source {}

  /** The source of a tracked metric ({@code custom} is set for Custom). */
  public static Source of(TrackedMetric metric, Optional<Metric> custom) {
    if (metric == TrackedMetric.Custom) {
      return of(custom.orElseThrow());
    }
    return metric.measuredLocally()
        ? new Gateway(metric.name())
        : new Unmeasured(
            metric.name(),
            metric.name() + " scales an endpoint variant's instances, which backend local has not");
  }

  /** The source of a CloudWatch metric reference. */
  public static Source of(Metric metric) {
    String name = metric.name();
    if (metric.namespace().equals(SAGEMAKER_NAMESPACE)) {
      if (GATEWAY.contains(name)) {
        return new Gateway(name);
      }
      if (ASYNC_QUEUE.contains(name)) {
        return new AsyncQueue(name);
      }
      return unmeasured(metric, concat(GATEWAY, ASYNC_QUEUE));
    }
    if (metric.namespace().equals(INFERENCE_COMPONENTS_NAMESPACE)) {
      if (GPU.contains(name)) {
        return new Gpu(name);
      }
      return unmeasured(metric, GPU);
    }
    return new ModelServer(name, metric.dimensions(), metric.statistic());
  }

  private static Unmeasured unmeasured(Metric metric, List<String> measured) {
    return new Unmeasured(
        metric.namespace() + "/" + metric.name(),
        "backend local measures only "
            + String.join(", ", measured)
            + " in "
            + metric.namespace()
            + ", not "
            + metric.name());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Every metric {@code policy} reads, with the field that names it. */
  public static List<Named> sources(EffectivePolicy policy) {
    List<Named> all = new ArrayList<>();
    for (int i = 0; i < policy.targetTracking().size(); i++) {
      var t = policy.targetTracking().get(i);
      all.add(new Named("spec.targetTracking[" + i + "]", of(t.metric(), t.custom())));
    }
    for (var s : policy.stepScaling()) {
      all.add(new Named("spec.stepScaling[" + s.name() + "].alarm.metric", of(s.alarm().metric())));
    }
    return all;
  }

  /** A source and the field of the policy that names it. */
  public record Named(String field, Source source) {}

  /**
   * Why backend local cannot evaluate a policy on a component, naming the field; empty when every
   * metric it reads ({@code sources}, from {@link #sources}) is measured.
   *
   * @param componentMetrics whether the component declares {@code spec.local.metrics}
   * @param gpuExporter whether a DCGM exporter is configured
   */
  public static Optional<String> unavailable(
      List<Named> sources, String component, boolean componentMetrics, boolean gpuExporter) {
    for (Named named : sources) {
      Source source = named.source();
      if (source instanceof Unmeasured u) {
        return Optional.of(named.field() + ": " + u.why() + ".");
      }
      if (source instanceof ModelServer m && !componentMetrics) {
        return Optional.of(
            named.field()
                + ": "
                + m.metric()
                + " is read from the model server's Prometheus endpoint, and InferenceComponent "
                + component
                + " declares none (spec.local.metrics).");
      }
      if (source instanceof Gpu && !gpuExporter) {
        return Optional.of(
            named.field()
                + ": GPU metrics are read from a DCGM exporter, and none is configured"
                + " (ebb.local.gpu-metrics.exporter-selector).");
      }
    }
    return Optional.empty();
  }

  /** Which of {@code sources} a scraper measures: model-server series and GPU metrics. */
  public static List<Source> scraped(List<Named> sources) {
    return sources.stream()
        .map(Named::source)
        .filter(s -> s instanceof ModelServer || s instanceof Gpu)
        .distinct()
        .toList();
  }
}
