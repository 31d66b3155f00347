package dev.ebb.whatif;

import dev.ebb.api.v1alpha1.InferenceComponent;
import java.util.OptionalDouble;

/**
 * What a copy-hour costs. On backend local a copy holds its GPUs ({@code
 * spec.resources.acceleratorCount}), so a copy-hour costs that many GPU-hours; a copy without a GPU
 * has no default price.
 */
public final class Prices {
  /**
   * USD per GPU-hour by default: Amazon EC2's on-demand list price of a g5.xlarge (one NVIDIA A10G
   * with 4 vCPUs and 16 GiB) in US East (N. Virginia), the smallest instance that runs the seed's
   * LLM samples; aws.amazon.com/ec2/pricing/on-demand. Prices change and differ by region and
   * commitment: pass your own with {@code --gpu-hour-price}.
   */
  public static final double DEFAULT_GPU_HOUR = 1.006;

  public static final String DEFAULT_GPU_HOUR_SOURCE =
      "EC2 g5.xlarge on-demand, us-east-1 (one A10G): USD 1.006 per GPU-hour";

  private Prices() {}

  /**
   * A copy-hour of {@code component}: {@code perCopyHour} when given, else its GPUs × {@code
   * gpuHour}; empty for a copy without GPUs and no price given.
   */
  public static OptionalDouble copyHour(
      InferenceComponent component, OptionalDouble perCopyHour, double gpuHour) {
    if (perCopyHour.isPresent()) {
      return perCopyHour;
    }
    var resources = component.getSpec().resources();
    Integer gpus = resources == null ? null : resources.acceleratorCount();
    if (gpus == null || gpus == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(gpus * gpuHour);
  }
}
