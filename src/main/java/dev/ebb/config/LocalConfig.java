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
}
