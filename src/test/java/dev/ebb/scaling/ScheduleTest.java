package dev.ebb.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static Schedule schedule(String expression, ZoneId zone) {
    return new Schedule(
        "s",
        expression,
        zone,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.of(0),
        OptionalInt.empty());
  }

  @ParameterizedTest(name = "{0} in {1} fires in ({2}, {3}] at {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Friday 18:00 in Paris is 17:00 UTC in winter...
        "cron(0 18 ? * FRI *)|Europe/Paris|2026-12-04T16:00:00Z|2026-12-04T18:00:00Z|2026-12-04T17:00:00Z",
        // ... and 16:00 UTC in summer.
        "cron(0 18 ? * FRI *)|Europe/Paris|2026-07-03T15:00:00Z|2026-07-03T17:00:00Z|2026-07-03T16:00:00Z",
        "cron(0 7 ? * MON *)|Europe/Paris|2026-12-06T00:00:00Z|2026-12-08T00:00:00Z|2026-12-07T06:00:00Z",
        "cron(30 9 1 * ? *)|UTC|2026-11-30T00:00:00Z|2026-12-02T00:00:00Z|2026-12-01T09:30:00Z",
        "cron(0 */12 ? * MON-FRI *)|UTC|2026-12-04T11:00:00Z|2026-12-05T13:00:00Z|2026-12-04T12:00:00Z",
        "cron(0 0 ? JAN,DEC 7 2026)|UTC|2026-12-04T00:00:00Z|2026-12-06T00:00:00Z|2026-12-05T00:00:00Z",
        "rate(6 hours)|UTC|2026-12-01T05:00:00Z|2026-12-01T07:00:00Z|2026-12-01T06:00:00Z",
        "at(2026-12-24T18:00:00)|Europe/Paris|2026-12-24T00:00:00Z|2026-12-25T00:00:00Z|2026-12-24T17:00:00Z",
      })
  void firesAtTheLocalTimeInItsZone(
      String expression, String zone, String after, String upTo, String expected) {
    assertThat(
            schedule(expression, ZoneId.of(zone))
                .firesIn(Instant.parse(after), Instant.parse(upTo)))
        .containsExactly(Instant.parse(expected));
  }

  @org.junit.jupiter.api.Test
  void theIntervalIsOpenAtItsStartAndClosedAtItsEnd() {
    Schedule friday = schedule("cron(0 18 ? * FRI *)", PARIS);
    Instant at = Instant.parse("2026-12-04T17:00:00Z");
    assertThat(friday.firesIn(at, at.plusSeconds(3600))).isEmpty();
    assertThat(friday.firesIn(at.minusSeconds(2), at)).containsExactly(at);
  }

  @org.junit.jupiter.api.Test
  void startAndEndLimitFirings() {
    Schedule daily =
        new Schedule(
            "d",
            "cron(0 12 * * ? *)",
            ZoneId.of("UTC"),
            Optional.of(Instant.parse("2026-12-02T00:00:00Z")),
            Optional.of(Instant.parse("2026-12-03T23:00:00Z")),
            OptionalInt.of(1),
            OptionalInt.empty());
    assertThat(
            daily.firesIn(
                Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-05T00:00:00Z")))
        .containsExactly(
            Instant.parse("2026-12-02T12:00:00Z"), Instant.parse("2026-12-03T12:00:00Z"));
  }

  @org.junit.jupiter.api.Test
  void anActionMovingOneBoundPastTheOtherMovesBoth() {
    Schedule raiseMin =
        new Schedule(
            "m",
            "rate(1 day)",
            ZoneId.of("UTC"),
            Optional.empty(),
            Optional.empty(),
            OptionalInt.of(5),
            OptionalInt.empty());
    assertThat(raiseMin.apply(new Bounds(0, 4))).isEqualTo(new Bounds(5, 5));
    Schedule off =
        new Schedule(
            "o",
            "rate(1 day)",
            ZoneId.of("UTC"),
            Optional.empty(),
            Optional.empty(),
            OptionalInt.empty(),
            OptionalInt.of(0));
    assertThat(off.apply(new Bounds(2, 4))).isEqualTo(new Bounds(0, 0));
    assertThat(List.of(raiseMin, off)).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cron(0 18 * * FRI *)",
        "cron(0 18 ? * ? *)",
        "cron(0 18 L * ? *)",
        "cron(0 18 ? * 6#3 *)",
        "cron(61 18 ? * FRI *)",
        "cron(0 18 ? *)",
        "rate(0 minutes)",
        "every friday"
      })
  void expressionsEbbCannotEvaluateAreRefused(String expression) {
    assertThatThrownBy(() -> schedule(expression, PARIS))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
