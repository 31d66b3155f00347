package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.sagemaker.AwsErrorKind;
import dev.ebb.sagemaker.AwsFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetriesTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Retries RETRIES =
      new Retries(
          new PollSchedule(Duration.ofSeconds(30), Duration.ofMinutes(10), 0),
          Duration.ofMinutes(10));

  @ParameterizedTest(name = "failure {0} -> wait {1} s")
  @CsvSource({"1, 30", "2, 60", "3, 120", "4, 240", "5, 480", "6, 600", "40, 600"})
  void theWaitDoublesUpToTheCap(int failures, long seconds) {
    assertThat(RETRIES.delay(failures, "uid")).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void jitterAddsUpToItsFractionAndDiffersByObjectAndAttempt() {
    var jittered =
        new Retries(
            new PollSchedule(Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2),
            Duration.ofMinutes(10));
    for (String uid : new String[] {"a", "b", "c"}) {
      for (int failures = 1; failures <= 8; failures++) {
        Duration plain = RETRIES.delay(failures, uid);
        assertThat(jittered.delay(failures, uid))
            .isBetween(plain, plain.plusMillis(plain.toMillis() / 5));
      }
    }
    assertThat(jittered.delay(3, "a")).isNotEqualTo(jittered.delay(3, "b"));
  }

  /** Which pass ends make a retry, and how the count carries over. */
  @ParameterizedTest(name = "{0}, previous {1} of generation {2} -> failures {3}")
  @CsvSource({
    "THROTTLED, , , 1",
    "SERVICE_ERROR, 3, 7, 4",
    "CONFLICT, 3, 6, 1", // the spec changed since: start afresh
    "ACCESS_DENIED, 1, 7, 2",
    "VALIDATION, 3, 7, ", // Stalled: nothing is retried until the spec changes
    "NONE, 3, 7, ", // the pass did not fail
  })
  void aRetryFollowsOnlyAFailureARetryCanMend(
      String kind, Integer previous, Long previousGeneration, Integer failures) {
    var end =
        new PassEnd(
            "NONE".equals(kind)
                ? Optional.empty()
                : Optional.of(
                    new AwsFailure(AwsErrorKind.valueOf(kind), "Code", "message", "CreateModel")),
            false,
            false);
    var before = previous == null ? null : new RetryStatus(previous, NOW.toString());

    RetryStatus after = RETRIES.after(end, before, previousGeneration, 7L, NOW, "uid");

    if (failures == null) {
      assertThat(after).isNull();
      return;
    }
    assertThat(after.failures()).isEqualTo(failures);
    assertThat(Instant.parse(after.nextAttemptTime()))
        .isEqualTo(NOW.plus(RETRIES.delay(failures, "uid")));
  }

  @Test
  void aPassWaitsForTheNextAttemptUnlessTheSpecChanged() {
    var retry = new RetryStatus(2, NOW.plusSeconds(60).toString());

    assertThat(Retries.waiting(retry, 7L, 7L, NOW)).contains(Duration.ofSeconds(60));
    assertThat(Retries.waiting(retry, 6L, 7L, NOW)).as("spec changed").isEmpty();
    assertThat(Retries.waiting(retry, 7L, 7L, NOW.plusSeconds(60))).as("its time").isEmpty();
    assertThat(Retries.waiting(null, 7L, 7L, NOW)).isEmpty();
  }
}
