package dev.ebb.gateway.resolve;

import dev.ebb.local.ComponentKey;
import java.time.Duration;
import java.util.Optional;

/** Where a request goes, or why it cannot go anywhere. */
public sealed interface Resolution {
  /**
   * A local component: its copies, its variant, and how long requests may wait for a copy. {@code
   * parked}: why nothing will start a copy (the component is at zero and no ScalingPolicy may wake
   * it), in which case requests are answered at once rather than held.
   */
  record Local(
      ComponentKey component,
      String variant,
      int maxQueuedRequests,
      Duration coldStartTimeout,
      Optional<String> parked)
      implements Resolution {

    public Local(
        ComponentKey component, String variant, int maxQueuedRequests, Duration coldStartTimeout) {
      this(component, variant, maxQueuedRequests, coldStartTimeout, Optional.empty());
    }
  }

  /**
   * An endpoint on SageMaker: the request is passed to SageMaker Runtime, and a component found at
   * zero copies is woken by {@code wake} (when a ScalingPolicy gives it a scale-from-zero step).
   *
   * @param component the SageMaker inference component name, when the request names one
   * @param object the InferenceComponent object named, when Ebb manages the component: requests
   *     held for it are answered when it is deleted, and counted under its name
   */
  record SageMaker(
      Optional<String> region,
      String endpointName,
      Optional<String> component,
      Optional<Wake> wake,
      int maxQueuedRequests,
      Duration coldStartTimeout,
      Optional<String> parked,
      Optional<ComponentKey> object)
      implements Resolution {

    public SageMaker(
        Optional<String> region,
        String endpointName,
        Optional<String> component,
        Optional<Wake> wake,
        int maxQueuedRequests,
        Duration coldStartTimeout) {
      this(
          region,
          endpointName,
          component,
          wake,
          maxQueuedRequests,
          coldStartTimeout,
          Optional.empty(),
          Optional.empty());
    }
  }

  /**
   * How to wake a SageMaker component from zero: ring its policy's scale-from-zero {@code alarm},
   * at most once per the step's {@code cooldown}; Application Auto Scaling then takes the step
   * within the max capacity in force. {@code maxCapacity} is the spec's, for when the max in force
   * cannot be read (a schedule may have moved it).
   */
  record Wake(String alarm, int maxCapacity, Duration cooldown, String policy) {}

  /** The request names something that does not exist, or is ambiguous (a ValidationError). */
  record Invalid(String message) implements Resolution {}
}
