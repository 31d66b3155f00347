package dev.ebb.gateway.copies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bookkeeping behind the gateway's probes of starting copies. */
class ProbedCopiesTest {
  private final ProbedCopies copies = new ProbedCopies();
  private final StartingCopy a = copy("a", "10.0.0.1", 0);
  private final StartingCopy b = copy("b", "10.0.0.2", 0);

  @Test
  void eachStartingCopyIsProbedOnceAtATimeUntilItAnswers() {
    assertThat(copies.toProbe(List.of(a, b))).containsExactly(a, b);
    assertThat(copies.toProbe(List.of(a, b))).as("both still in flight").isEmpty();

    assertThat(copies.probed(a, false)).isFalse();
    assertThat(copies.toProbe(List.of(a, b))).as("a failed: asked again").containsExactly(a);

    assertThat(copies.probed(b, true)).as("b answered: routable now").isTrue();
    assertThat(copies.toProbe(List.of(a, b))).as("b is not asked again").isEmpty();
    assertThat(copies.probed(a, true)).isTrue();
    assertThat(copies.probed(a, true)).as("only the first answer counts").isFalse();
  }

  @Test
  void aCopyThatAnsweredIsRoutableWhileItIsStillStarting() {
    copies.toProbe(List.of(a, b));
    copies.probed(a, true);
    copies.probed(b, false);

    assertThat(copies.routable(List.of(), List.of(a, b))).containsExactly("10.0.0.1");
    assertThat(copies.routable(List.of("10.0.0.9"), List.of(a, b)))
        .containsExactly("10.0.0.9", "10.0.0.1");
  }

  @Test
  void kubeletsReadyChangesNothingAndTheCopyIsThenForgotten() {
    copies.toProbe(List.of(a));
    copies.probed(a, true);

    assertThat(copies.routable(List.of("10.0.0.1"), List.of()))
        .as("now Ready: the same address, once")
        .containsExactly("10.0.0.1");
    assertThat(copies.routable(List.of(), List.of(a)))
        .as("Ready then lost it: the probe has to find it again")
        .isEmpty();
    assertThat(copies.toProbe(List.of(a))).containsExactly(a);
  }

  @Test
  void aCopyThatStopsBeingStartingLeaves() {
    copies.toProbe(List.of(a, b));
    copies.probed(a, true);
    copies.probed(b, true);

    assertThat(copies.routable(List.of(), List.of(b)))
        .as("a deleted, or its container stopped")
        .containsExactly("10.0.0.2");
    StartingCopy bRestarted = copy("b", "10.0.0.2", 60);
    assertThat(copies.routable(List.of(), List.of(bRestarted)))
        .as("b's container restarted: it has to answer again")
        .isEmpty();
    assertThat(copies.toProbe(List.of(bRestarted))).containsExactly(bRestarted);
  }

  private static StartingCopy copy(String pod, String address, int startedSecond) {
    return new StartingCopy(
        pod, address, Instant.parse("2026-12-02T10:00:00Z").plusSeconds(startedSecond));
  }
}
