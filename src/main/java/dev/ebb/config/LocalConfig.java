package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Backend local. Properties {@code ebb.local.*}; environment {@code EBB_LOCAL_*}. */
@ConfigMapping(prefix = "ebb.local")
public interface LocalConfig {
  /**
   * Image of the init container that copies a component's model data from S3 into /opt/ml/model
   * before the model server starts, with the pod's ServiceAccount credentials (IRSA, Pod Identity).
   * It runs Ebb's own fetcher ({@code dev.ebb.sagemaker.ModelFetch}) with plain {@code java}, so it
   * must be Ebb's image of this version, or a mirror of it. The Helm chart sets it to the chart's
   * own image.
   */
  @WithDefault("ghcr.io/ebb-dev/ebb:${quarkus.application.version}")
  String modelFetcherImage();

  /**
   * How often the autoscaling loop evaluates every ScalingPolicy on backend local (schedules, idle
   * scale to zero, target tracking, step alarms). Demand at zero copies does not wait for it: it is
   * evaluated the moment the gateway reports it.
   */
  @WithDefault("2s")
  Duration autoscalingTick();

  /**
   * How long a copy the scheduler cannot place (its pod PodScheduled=False, reason Unschedulable,
   * e.g. every GPU taken) still counts as starting. Until then nothing is scaled in and the idle
   * window does not take the last copy, so a node a cluster autoscaler or Karpenter is adding is
   * waited for; after it, scale-in and the idle window may remove the copy (Kubernetes removes
   * unscheduled pods first). The component's CopiesSchedulable condition reports such copies at
   * once either way.
   *
   * <p>The same bound applies to any copy that is not coming: one that keeps failing (its model
   * fetch or model server in CrashLoopBackOff, an image kubelet cannot pull...) counts as starting
   * until it has not been ready for this long. The component's reason CopiesFailing reports it at
   * once either way.
   */
  @WithDefault("10m")
  Duration unschedulableTimeout();

  /**
   * How often the copies' Prometheus endpoints ({@code spec.local.metrics}) and the DCGM exporters
   * are scraped, for the ScalingPolicies that read metrics from them. Only the leader scrapes, and
   * only components whose policy names such a metric. 10 s is Prometheus' usual fastest interval: a
   * target tracking policy reads a one-minute average, so faster adds load, not accuracy.
   */
  @WithDefault("10s")
  Duration metricsScrapeInterval();

  /** GPU metrics on backend local: where NVIDIA's DCGM exporter runs. */
  GpuMetrics gpuMetrics();

  /** Properties {@code ebb.local.gpu-metrics.*}. */
  interface GpuMetrics {
    /**
     * Label selector of the DCGM exporter's pods (for example {@code app=nvidia-dcgm-exporter}, as
     * NVIDIA's GPU operator labels them). Unset: GPU metrics are not measured, and a policy that
     * reads them is Stalled with MetricUnavailable. The exporter must map GPUs to pods (its
     * Kubernetes mode, on by default), so its series carry pod and namespace labels.
     */
    java.util.Optional<String> exporterSelector();

    /** Namespace of the exporter's pods; unset: every namespace. */
    java.util.Optional<String> exporterNamespace();

    /** Port of the exporter's metrics (DCGM exporter's default). */
    @WithDefault("9400")
    int exporterPort();

    /** Path of the exporter's metrics. */
    @WithDefault("/metrics")
    String exporterPath();
  }

  /**
   * The NetworkPolicy of each component's copies: properties {@code ebb.local.network-policy.*}.
   */
  NetworkPolicy networkPolicy();

  /**
   * Each local component's copies get a NetworkPolicy that admits ingress only from Ebb's own pods
   * (the gateway), so nothing calls a model around {@code spec.access}. Written only when enabled
   * and both the gateway's namespace and selector are set (the Helm chart sets them).
   */
  interface NetworkPolicy {
    /** Off: no policy is written (one written before stays until its component is deleted). */
    @WithDefault("true")
    boolean enabled();

    /** The namespace Ebb's pods run in (the chart sets it from the downward API). */
    java.util.Optional<String> gatewayNamespace();

    /**
     * Labels that select Ebb's pods, as an equality selector {@code key=value[,key=value...]} (the
     * chart's selector labels).
     */
    java.util.Optional<String> gatewaySelector();
  }
}
