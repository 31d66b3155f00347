package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Backend local. Properties {@code ebb.local.*}; environment {@code EBB_LOCAL_*}. */
@ConfigMapping(prefix = "ebb.local")
public interface LocalConfig {
  /**
   * Image of the init container that copies a component's model data from S3 into /opt/ml/model
   * before the model server starts (it runs {@code aws s3 sync} or {@code aws s3 cp}, with the
   * pod's service account credentials, e.g. IRSA).
   */
  @WithDefault("amazon/aws-cli:2.22.35")
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
   */
  @WithDefault("10m")
  Duration unschedulableTimeout();
}
