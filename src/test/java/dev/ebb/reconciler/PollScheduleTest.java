package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
  private final PollSchedule schedule =
      new PollSchedule(Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2);

  @Test
  void transitioningObjectsAreDescribedAtMostEvery30sAndAtLeastEvery36s() {
    for (int i = 0; i < 1000; i++) {
      Duration delay = schedule.whileTransitioning(UUID.randomUUID().toString());
      assertThat(delay).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(36));
    }
  }

  @Test
  void steadyObjectsAreCheckedForDriftEvery10To12Minutes() {
    Duration delay = schedule.whileSteady("8b0f1a8e-2f4e-4a47-9d5e-0c7f6f0b1c2d");
    assertThat(delay).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(12));
  }

  @Test
  void eachObjectKeepsItsRhythmAndObjectsAreSpreadOut() {
    String uid = UUID.randomUUID().toString();
    assertThat(schedule.whileTransitioning(uid)).isEqualTo(schedule.whileTransitioning(uid));
    Set<Duration> delays =
        IntStream.range(0, 100)
            .mapToObj(i -> schedule.whileTransitioning(UUID.randomUUID().toString()))
            .collect(Collectors.toSet());
    assertThat(delays)
        .as("100 objects created together poll at different moments")
        .hasSizeGreaterThan(50);
  }

  @Test
  void jitterOutsideZeroToOneIsRejected() {
    assertThatThrownBy(() -> new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
