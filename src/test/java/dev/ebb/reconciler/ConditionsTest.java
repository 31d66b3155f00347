package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.api.v1alpha1.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");
  private static final Instant T1 = Instant.parse("2026-11-23T10:05:00Z");

  @Test
  void newConditionsTransitionNowTruncatedToSeconds() {
    List<Condition> conditions =
        Conditions.after(null, 3L, T0).set(Condition.READY, false, "A", "a").list();
    assertThat(conditions)
        .containsExactly(new Condition("Ready", "False", 3L, "2026-11-23T10:00:00Z", "A", "a"));
  }

  @Test
  void unchangedStatusKeepsItsTransitionTimeEvenWhenReasonChanges() {
    List<Condition> before =
        Conditions.after(null, 1L, T0).set(Condition.READY, false, "A", "a").list();
    List<Condition> after =
        Conditions.after(before, 2L, T1).set(Condition.READY, false, "B", "b").list();
    assertThat(after.get(0).lastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(after.get(0).reason()).isEqualTo("B");
    assertThat(after.get(0).observedGeneration()).isEqualTo(2L);
  }

  @Test
  void flippedStatusTransitionsNow() {
    List<Condition> before =
        Conditions.after(null, 1L, T0).set(Condition.READY, false, "A", "a").list();
    List<Condition> after =
        Conditions.after(before, 1L, T1).set(Condition.READY, true, "Ok", "ok").list();
    assertThat(after.get(0).lastTransitionTime()).isEqualTo("2026-11-23T10:05:00Z");
  }

  @Test
  void identicalInputsBuildAnEqualListSoNoPatchIsNeeded() {
    List<Condition> before =
        Conditions.after(null, 1L, T0)
            .set(Condition.STALLED, true, "S", "s")
            .set(Condition.READY, false, "A", "a")
            .list();
    List<Condition> again =
        Conditions.after(before, 1L, T1)
            .set(Condition.STALLED, true, "S", "s")
            .set(Condition.READY, false, "A", "a")
            .list();
    assertThat(again).isEqualTo(before);
    assertThat(again.get(0).type()).as("Ready comes first").isEqualTo("Ready");
  }

  @Test
  void conditionsNotSetAreDropped() {
    List<Condition> before =
        Conditions.after(null, 1L, T0)
            .set(Condition.READY, false, "A", "a")
            .set(Condition.STALLED, true, "S", "s")
            .list();
    List<Condition> after =
        Conditions.after(before, 1L, T1).set(Condition.READY, false, "A", "a").list();
    assertThat(after).extracting(Condition::type).containsExactly("Ready");
  }

  @Test
  void readyIsMandatory() {
    assertThatThrownBy(() -> Conditions.after(null, 1L, T0).set("Stalled", true, "S", "s").list())
        .isInstanceOf(IllegalStateException.class);
  }
}
