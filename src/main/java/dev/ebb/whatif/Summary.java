package dev.ebb.whatif;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What one run comes to: what it costs, and how users waited.
 *
 * @param copyHours copies × hours they existed (starting or ready)
 * @param instanceHours on backend sagemaker, instances × hours they existed; empty on local
 * @param cost on backend sagemaker with an instance price, {@code instanceHours} × it; else {@code
 *     copyHours} × the price of a copy-hour; empty without a price
 * @param alwaysOnCopies the copies that serve the run's peak: what would run all the time without
 *     scaling
 * @param alwaysOnInstances on backend sagemaker, the instances under the run's peak (0 on local)
 * @param alwaysOnCost the peak's copies (or instances) for the whole trace; empty without a price
 * @param wakes cold starts from zero copies, the ones users wait on
 * @param waited requests that waited for a copy and were then sent
 * @param waitP50Seconds percentiles of the wait over every request sent (those sent at once waited
 *     0)
 * @param failedBy failed requests, by why
 */
public record Summary(
    String label,
    int requests,
    double copyHours,
    OptionalDouble instanceHours,
    OptionalDouble cost,
    int alwaysOnCopies,
    int alwaysOnInstances,
    OptionalDouble alwaysOnCost,
    int copyStarts,
    int wakes,
    int waited,
    double waitP50Seconds,
    double waitP95Seconds,
    double waitP99Seconds,
    double waitMaxSeconds,
    int failed,
    Map<Outcome.Failure, Integer> failedBy) {

  /** The run summed up, with {@code copyHourPrice} in USD when known. */
  public static Summary of(PlaneRun run, OptionalDouble copyHourPrice) {
    return of(run, copyHourPrice, OptionalDouble.empty());
  }

  /**
   * The run summed up: priced by the instance-hour when the run has instances (backend sagemaker)
   * and {@code instanceHourPrice} is known, else by {@code copyHourPrice} when known.
   */
  public static Summary of(
      PlaneRun run, OptionalDouble copyHourPrice, OptionalDouble instanceHourPrice) {
    double[] waits =
        run.outcomes().stream()
            .filter(o -> !o.failed())
            .mapToDouble(o -> LocalPlane.seconds(o.waited()))
            .sorted()
            .toArray();
    Map<Outcome.Failure, Integer> failedBy = new EnumMap<>(Outcome.Failure.class);
    run.outcomes().stream()
        .filter(Outcome::failed)
        .forEach(o -> failedBy.merge(o.failure().orElseThrow(), 1, Integer::sum));
    int waited = (int) Arrays.stream(waits).filter(w -> w > 0).count();
    // The copies that serve the run's peak: the most it scaled to, or started with.
    double mostInAMinute = run.timeline().stream().mapToDouble(Minute::copies).max().orElse(0);
    int alwaysOn =
        Math.max(
            1,
            Math.max(
                run.activities().stream().mapToInt(Activity::to).max().orElse(0),
                (int) Math.ceil(mostInAMinute)));
    double spanHours = LocalPlane.seconds(run.span()) / 3600;
    OptionalDouble instanceHours =
        run.instances().isPresent()
            ? OptionalDouble.of(run.instances().get().instanceHours())
            : OptionalDouble.empty();
    // Always-on instances: those the peak's copies need (at least one).
    int alwaysOnInstances =
        run.instances()
            .map(
                i ->
                    Math.max(
                        i.peak(),
                        Math.max(1, -Math.floorDiv(-alwaysOn, Math.max(1, i.copiesPerInstance())))))
            .orElse(0);
    boolean byInstance = instanceHours.isPresent() && instanceHourPrice.isPresent();
    return new Summary(
        run.label(),
        run.outcomes().size(),
        run.copyHours(),
        instanceHours,
        byInstance
            ? price(instanceHourPrice, instanceHours.getAsDouble())
            : price(copyHourPrice, run.copyHours()),
        alwaysOn,
        alwaysOnInstances,
        byInstance
            ? price(instanceHourPrice, alwaysOnInstances * spanHours)
            : price(copyHourPrice, alwaysOn * spanHours),
        run.copyStarts(),
        run.wakes(),
        waited,
        percentile(waits, 0.50),
        percentile(waits, 0.95),
        percentile(waits, 0.99),
        waits.length == 0 ? 0 : waits[waits.length - 1],
        failedBy.values().stream().mapToInt(Integer::intValue).sum(),
        Map.copyOf(failedBy));
  }

  /** Cost as a fraction of always-on's (0.25: a quarter of it); empty without a price. */
  public OptionalDouble costVersusAlwaysOn() {
    if (cost.isEmpty() || alwaysOnCost.isEmpty() || alwaysOnCost.getAsDouble() == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(cost.getAsDouble() / alwaysOnCost.getAsDouble());
  }

  private static OptionalDouble price(OptionalDouble perHour, double hours) {
    return perHour.isPresent()
        ? OptionalDouble.of(perHour.getAsDouble() * hours)
        : OptionalDouble.empty();
  }

  /** Nearest-rank percentile of sorted values; 0 without any. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static String seconds(double s) {
    if (s == 0) {
      return "0 s";
    }
    if (s < 10) {
      return String.format(java.util.Locale.ROOT, "%.2f s", s);
    }
    return String.format(java.util.Locale.ROOT, "%.0f s", s);
  }

  static Duration duration(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
