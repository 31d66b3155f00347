package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The instances under a SageMaker component's copies: as many as the copies need, within the
 * variant's managed instance scaling, each kept 10 minutes after its last copy left.
 */
class InstancesTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant HOUR = T0.plusSeconds(3600);

  private static SageMakerScenario.InstanceShape shape(int perInstance, int min, int max) {
    return new SageMakerScenario.InstanceShape("ml.g5.12xlarge", perInstance, min, max, "test");
  }

  private static Activity at(int second, int from, int to) {
    return new Activity(T0.plusSeconds(second), from, to, "test", "Alarm");
  }

  @Test
  void anInstanceComesWithTheCopyAndStaysTenMinutesAfterIt() {
    // One copy from 10:10 to 10:20.
    Instances i =
        Instances.of(shape(1, 0, 2), List.of(at(600, 0, 1), at(1200, 1, 0)), 0, T0, HOUR, 61);

    assertThat(i.peak()).isEqualTo(1);
    assertThat(i.instanceHours())
        .as("10 minutes of copy, 10 of idle instance")
        .isCloseTo(20.0 / 60, within(1e-9));
    assertThat(i.perMinute()[9]).isZero();
    assertThat(i.perMinute()[10]).isEqualTo(1.0);
    assertThat(i.perMinute()[29]).isEqualTo(1.0);
    assertThat(i.perMinute()[30]).isZero();
    assertThat(i.perMinute()).hasSize(61);
  }

  @Test
  void copiesShareInstancesAndTheVariantBoundsThem() {
    // 5 copies at 4 per instance need 2; the variant allows at most 1 and keeps at least 1.
    Instances two = Instances.of(shape(4, 0, 3), List.of(at(0, 0, 5)), 0, T0, HOUR, 61);
    Instances bounded = Instances.of(shape(4, 1, 1), List.of(at(0, 0, 5)), 0, T0, HOUR, 61);
    Instances floor = Instances.of(shape(4, 1, 1), List.of(), 0, T0, HOUR, 61);

    assertThat(two.peak()).isEqualTo(2);
    assertThat(two.instanceHours()).isCloseTo(2.0, within(1e-9));
    assertThat(bounded.peak()).isEqualTo(1);
    assertThat(floor.instanceHours())
        .as("min instances stay without copies")
        .isCloseTo(1.0, within(1e-9));
  }

  @Test
  void aCopyBackWithinTheTenMinutesFindsItsInstanceStillThere() {
    // Off at 10:10, back at 10:15: the instance never left.
    Instances i =
        Instances.of(
            shape(1, 0, 1),
            List.of(at(0, 0, 1), at(600, 1, 0), at(900, 0, 1), at(1200, 1, 0)),
            0,
            T0,
            HOUR,
            61);

    assertThat(i.instanceHours()).as("10:00 to 10:30").isCloseTo(0.5, within(1e-9));
  }
}
