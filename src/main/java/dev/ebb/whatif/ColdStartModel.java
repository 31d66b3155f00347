package dev.ebb.whatif;

import dev.ebb.api.v1alpha1.InferenceComponent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long a new copy takes from the scale command to serving, and where that number comes from.
 * Every copy started in a simulation takes this long.
 *
 * @param phases the parts of {@code total}, in order, when they are known (display only)
 * @param source where the number comes from, for the report
 */
public record ColdStartModel(Duration total, Map<String, Duration> phases, String source) {
  public ColdStartModel {
    if (total.isNegative()) {
      throw new IllegalArgumentException("a cold start cannot take negative time");
    }
    phases = Map.copyOf(phases);
  }

  /** A cold start given by hand. */
  public static ColdStartModel given(Duration total) {
    return new ColdStartModel(total, Map.of(), "given with --cold-start");
  }

  /**
   * The cold start the operator measured last for {@code component}: its {@code
   * status.lastColdStart}, from the pod's creation to the copy being ready, phase by phase.
   */
  public static Optional<ColdStartModel> measured(InferenceComponent component) {
    var status = component.getStatus();
    if (status == null
        || status.lastColdStart() == null
        || status.lastColdStart().seconds() == null) {
      return Optional.empty();
    }
    var last = status.lastColdStart();
    Map<String, Duration> phases = new LinkedHashMap<>();
    if (last.phases() != null) {
      last.phases().forEach((phase, seconds) -> phases.put(phase, seconds(seconds)));
    }
    return Optional.of(
        new ColdStartModel(
            seconds(last.seconds()),
            phases,
            "measured: status.lastColdStart of "
                + component.getMetadata().getName()
                + " (pod "
                + last.pod()
                + ", started "
                + last.startedAt()
                + ")"));
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
