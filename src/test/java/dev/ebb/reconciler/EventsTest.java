package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventsTest {
  /** CopiesSchedulable before (absent: -) and after, to whether its turn is told as a Warning. */
  @ParameterizedTest(name = "{0} -> {1}: warning {2}")
  @CsvSource({
    "-,     False, true",
    "True,  False, true",
    "False, False, false",
    "False, True,  false",
    "-,     True,  false",
    "True,  -,     false",
  })
  void aConditionThatTurnsFalseOnAProblemIsAWarningOnce(
      String before, String after, boolean warning) {
    var found = Events.newWarning(status(before), status(after));

    assertThat(found.isPresent()).isEqualTo(warning);
    found.ifPresent(
        c -> {
          assertThat(c.type()).isEqualTo(Condition.COPIES_SCHEDULABLE);
          assertThat(c.reason()).isEqualTo(Reasons.UNSCHEDULABLE);
        });
  }

  private static ConditionedStatus status(String copiesSchedulable) {
    var conditions =
        new java.util.ArrayList<>(
            List.of(
                new Condition(
                    Condition.READY, "False", 1L, "2026-12-06T10:00:00Z", "CopiesStarting", "")));
    if (!copiesSchedulable.equals("-")) {
      conditions.add(
          new Condition(
              Condition.COPIES_SCHEDULABLE,
              copiesSchedulable,
              1L,
              "2026-12-06T10:00:00Z",
              copiesSchedulable.equals("False") ? Reasons.UNSCHEDULABLE : "CopiesStarting",
              "1 copy cannot be scheduled"));
    }
    return new ConditionedStatus() {
      @Override
      public Long observedGeneration() {
        return 1L;
      }

      @Override
      public List<Condition> conditions() {
        return List.copyOf(conditions);
      }
    };
  }
}
