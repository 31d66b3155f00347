package dev.ebb.whatif;

import java.time.Duration;
import java.util.List;

/**
 * One policy replayed against one trace on one plane.
 *
 * @param label the policy as the report names it
 * @param plane what was simulated, e.g. "local (Ebb's engine and gateway)"
 * @param copySeconds copies × seconds they existed (starting or ready): what is paid for
 * @param copyStarts copies started during the run
 * @param wakes copies started while the component had none: each one is a cold start users wait on
 * @param instances on backend sagemaker, the instances under the copies (what SageMaker bills)
 */
public record PlaneRun(
    String label,
    String plane,
    Trace trace,
    List<Outcome> outcomes,
    List<Minute> timeline,
    List<Activity> activities,
    double copySeconds,
    int copyStarts,
    int wakes,
    java.util.Optional<Instances> instances) {

  public double copyHours() {
    return copySeconds / 3600;
  }

  public Duration span() {
    return trace.span();
  }
}
