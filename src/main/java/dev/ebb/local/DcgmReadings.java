package dev.ebb.local;

import dev.ebb.local.PrometheusText.Sample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The GPU metrics of components, from what NVIDIA's DCGM exporters serve: the pure part of {@link
 * GpuScraper}.
 *
 * <p>In its Kubernetes mode (on by default) the exporter asks kubelet which pod holds each GPU and
 * labels that GPU's series with {@code pod}, {@code namespace} and {@code container} ({@code
 * pod_name}, {@code pod_namespace}, {@code container_name} with {@code --use-old-namespace}); see
 * {@code podAttribute}, {@code namespaceAttribute} and {@code oldPodAttribute} in NVIDIA's
 * dcgm-exporter, {@code internal/pkg/transformation/const.go}. A GPU no pod holds has none of them
 * (or empty ones). Every GPU series also carries {@code gpu}, the GPU's index on its node, and a
 * MIG instance {@code GPU_I_ID} ({@code internal/pkg/rendermetrics/render_metrics.go}). The metrics
 * read are in the exporter's default counters ({@code etc/default-counters.csv}): {@code
 * DCGM_FI_DEV_GPU_UTIL} (GPU utilization, %), {@code DCGM_FI_DEV_FB_USED} and {@code
 * DCGM_FI_DEV_FB_FREE} (framebuffer memory used and free, MiB).
 *
 * <p>As SageMaker's {@code /aws/sagemaker/InferenceComponents} metrics, normalized over the
 * component's GPUs: {@code GPUUtilizationNormalized} is the average of {@code DCGM_FI_DEV_GPU_UTIL}
 * over them, {@code GPUMemoryUtilizationNormalized} the average of 100 × used ÷ (used + free). A
 * GPU is counted once even when several copies share it (time-slicing gives each holder its own
 * series). A component none of whose GPUs is reported gets no value, not zero.
 */
public final class DcgmReadings {
  static final String GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL";
  static final String FB_USED = "DCGM_FI_DEV_FB_USED";
  static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";

  private static final List<String> READ = List.of(GPU_UTIL, FB_USED, FB_FREE);

  private DcgmReadings() {}

  /** One GPU's (or MIG instance's) readings. */
  private static final class Gpu {
    final Map<String, Double> values = new HashMap<>();

    Double utilization() {
      return values.get(GPU_UTIL);
    }

    Double memoryUtilization() {
      Double used = values.get(FB_USED);
      Double free = values.get(FB_FREE);
      if (used == null || free == null || used + free <= 0) {
        return null;
      }
      return 100 * used / (used + free);
    }
  }

  /**
   * Each component's GPU metrics ({@link LocalMetricCatalog#GPU_UTILIZATION}, {@link
   * LocalMetricCatalog#GPU_MEMORY_UTILIZATION}) from the exporters' pages.
   *
   * @param exporters the body each exporter served (one per GPU node)
   * @param copies each component's copies' pod names (in its namespace)
   * @return per component, the metrics some of its GPUs report; a component with none is absent
   */
  public static Map<ComponentKey, Map<String, Double>> of(
      List<String> exporters, Map<ComponentKey, Set<String>> copies) {
    Map<PodRef, ComponentKey> owners = new HashMap<>();
    copies.forEach(
        (component, pods) ->
            pods.forEach(pod -> owners.put(new PodRef(component.namespace(), pod), component)));
    Map<ComponentKey, Map<String, Gpu>> gpus = new LinkedHashMap<>();
    for (int exporter = 0; exporter < exporters.size(); exporter++) {
      for (Sample sample : PrometheusText.parse(exporters.get(exporter))) {
        if (!READ.contains(sample.name()) || Double.isNaN(sample.value())) {
          continue;
        }
        ComponentKey owner = owners.get(holder(sample.labels()));
        if (owner == null) {
          continue;
        }
        // The index is the GPU's on its node, and each exporter serves one node.
        String gpu =
            exporter
                + "/"
                + sample.labels().getOrDefault("gpu", "")
                + "/"
                + sample.labels().getOrDefault("GPU_I_ID", "");
        gpus.computeIfAbsent(owner, c -> new LinkedHashMap<>())
            .computeIfAbsent(gpu, g -> new Gpu())
            .values
            .put(sample.name(), sample.value());
      }
    }
    Map<ComponentKey, Map<String, Double>> metrics = new LinkedHashMap<>();
    gpus.forEach(
        (component, its) -> {
          Map<String, Double> values = new LinkedHashMap<>();
          average(its.values().stream().map(Gpu::utilization).toList())
              .ifPresent(v -> values.put(LocalMetricCatalog.GPU_UTILIZATION, v));
          average(its.values().stream().map(Gpu::memoryUtilization).toList())
              .ifPresent(v -> values.put(LocalMetricCatalog.GPU_MEMORY_UTILIZATION, v));
          if (!values.isEmpty()) {
            metrics.put(component, values);
          }
        });
    return metrics;
  }

  private record PodRef(String namespace, String name) {}

  /** The pod the exporter says holds the series' GPU; null names for none. */
  private static PodRef holder(Map<String, String> labels) {
    String pod = labels.getOrDefault("pod", labels.get("pod_name"));
    String namespace = labels.getOrDefault("namespace", labels.get("pod_namespace"));
    return new PodRef(namespace, pod);
  }

  private static OptionalDouble average(List<Double> values) {
    return values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).average();
  }
}
