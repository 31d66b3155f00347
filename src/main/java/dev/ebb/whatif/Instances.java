package dev.ebb.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The instances under a SageMaker component's copies, which are what SageMaker bills: with managed
 * instance scaling the endpoint has as many instances as its copies need ({@code copiesPerInstance}
 * each), within the variant's min and max instance count. A new instance comes with the copy that
 * needs it (its provisioning is part of the copy's cold start); an instance no longer needed is
 * kept for {@link #SCALE_IN_DELAY} before SageMaker removes it.
 *
 * @param instanceSeconds instances × seconds over the trace
 * @param peak the most instances at once
 * @param perMinute the average instances in each minute of the trace, for the report
 * @param basis how copies map to instances, for the report
 */
public record Instances(
    String instanceType,
    int copiesPerInstance,
    double instanceSeconds,
    int peak,
    double[] perMinute,
    String basis) {

  /**
   * How long an instance outlives the last copy on it:
   * aws-samples/sagemaker-genai-hosting-examples, scale-to-zero notebook (2024-11-29): "After 10
   * additional minutes of inactivity, SageMaker automatically terminates all underlying instances
   * of the endpoint".
   */
  static final Duration SCALE_IN_DELAY = Duration.ofMinutes(10);

  public double instanceHours() {
    return instanceSeconds / 3600;
  }

  /**
   * The instances of a run whose copies changed as {@code activities} say, starting from {@code
   * initialCopies} at {@code start}, averaged over {@code minutes} minutes from {@code start} (the
   * run's timeline).
   */
  static Instances of(
      SageMakerScenario.InstanceShape shape,
      List<Activity> activities,
      int initialCopies,
      Instant start,
      Instant end,
      int minutes) {
    int copiesPerInstance = shape.copiesPerInstance();
    int min = shape.minInstances();
    int max = shape.maxInstances();
    int seconds = (int) Math.max(1, Duration.between(start, end).toSeconds());
    int[] needed = new int[seconds];
    int copies = initialCopies;
    int next = 0;
    for (int s = 0; s < seconds; s++) {
      Instant at = start.plusSeconds(s);
      while (next < activities.size() && !activities.get(next).time().isAfter(at)) {
        copies = activities.get(next++).to();
      }
      int n = (copies + copiesPerInstance - 1) / copiesPerInstance;
      needed[s] = Math.max(min, Math.min(max, n));
    }
    // An instance stays while it was needed within the last SCALE_IN_DELAY: a sliding maximum.
    int window = (int) SCALE_IN_DELAY.toSeconds();
    Deque<Integer> maxima = new ArrayDeque<>();
    double[] perMinute = new double[minutes];
    double total = 0;
    int peak = 0;
    int running = 0;
    for (int s = 0; s < seconds; s++) {
      while (!maxima.isEmpty() && needed[maxima.peekLast()] <= needed[s]) {
        maxima.pollLast();
      }
      maxima.addLast(s);
      if (maxima.peekFirst() < s - window) {
        maxima.pollFirst();
      }
      running = needed[maxima.peekFirst()];
      total += running;
      peak = Math.max(peak, running);
      if (s / 60 < minutes) {
        perMinute[s / 60] += running;
      }
    }
    for (int m = 0; m < minutes; m++) {
      int length = Math.min(60, seconds - m * 60);
      // A last minute the trace does not reach shows the instances at its end.
      perMinute[m] = length > 0 ? perMinute[m] / length : running;
    }
    return new Instances(
        shape.instanceType(), copiesPerInstance, total, peak, perMinute, shape.basis());
  }
}
