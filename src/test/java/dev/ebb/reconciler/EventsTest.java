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

  /**
   * Ready before (status/reason, absent: -) and after, to the event told: its type, or - for none.
   * Entering CopiesFailing is a Warning, whether or not another copy still serves.
   */
  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
    "-,                    False/CopiesStarting, Normal",
    "False/CopiesStarting, False/CopiesFailing,  Warning",
    "True/CopiesStarting,  True/CopiesFailing,   Warning",
    "True/CopiesFailing,   False/CopiesFailing,  Warning",
    "False/CopiesFailing,  False/CopiesFailing,  -",
    "False/CopiesFailing,  False/CopiesStarting, Normal",
    "False/CopiesFailing,  True/Serving,         Normal",
    "False/CopiesStarting, False/Unschedulable,  Normal",
  })
  void readyEnteringCopiesFailingIsAWarning(String before, String after, String type) {
    var told = Events.readyTransition(ready(before), ready(after));

    if (type.equals("-")) {
      assertThat(told).isEmpty();
    } else {
      assertThat(told)
          .hasValueSatisfying(
              e -> {
                assertThat(e.type()).isEqualTo(type);
                assertThat(e.reason()).isEqualTo(after.split("/")[1]);
                assertThat(e.message()).isEqualTo("message of " + after);
              });
    }
  }

  private static ConditionedStatus ready(String statusAndReason) {
    if (statusAndReason.equals("-")) {
      return null;
    }
    String[] parts = statusAndReason.split("/");
    return conditioned(
        List.of(
            new Condition(
                Condition.READY,
                parts[0],
                1L,
                "2026-12-06T10:00:00Z",
                parts[1],
                "message of " + statusAndReason)));
  }

  private static ConditionedStatus conditioned(List<Condition> conditions) {
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

  /**
   * A schedule in a daylight-saving gap is told once, as a Warning, when the policy first says so.
   */
  @org.junit.jupiter.api.Test
  void aScheduleTimeTheClocksSkipIsAWarningOnce() {
    ConditionedStatus skipped =
        withConditions(
            new Condition(
                Condition.SCHEDULES_FIRE_AS_WRITTEN,
                "False",
                1L,
                "2026-12-06T10:00:00Z",
                Reasons.SCHEDULE_TIME_SKIPPED,
                "spec.schedule night (Europe/Paris) at 2027-03-28T02:30 ..."));

    assertThat(Events.newWarning(null, skipped))
        .hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo(Reasons.SCHEDULE_TIME_SKIPPED));
    assertThat(Events.newWarning(skipped, skipped)).as("not again while it stays False").isEmpty();
  }

  private static ConditionedStatus withConditions(Condition... conditions) {
    return new ConditionedStatus() {
      @Override
      public Long observedGeneration() {
        return 1L;
      }

      @Override
      public List<Condition> conditions() {
        return List.of(conditions);
      }
    };
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
    return withConditions(conditions.toArray(Condition[]::new));
  }
}
