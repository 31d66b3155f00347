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

  /**
   * Daylight-saving changes, in both directions and both hemispheres, follow EventBridge
   * Scheduler's rule: a wall-clock time the clocks skip does not fire; a wall-clock time the clocks
   * repeat fires once, at its first occurrence. (Walking UTC minutes and matching local fields used
   * to fire a repeated time twice.)
   */
  @ParameterizedTest(name = "{0} in {1} over ({2}, {3}]")
  @CsvSource(
      delimiter = '|',
      value = {
        // Paris springs forward 02:00 -> 03:00 on 2026-03-29: 02:30 does not exist.
        "cron(30 2 ? * SUN *)|Europe/Paris|2026-03-28T00:00:00Z|2026-03-30T00:00:00Z|",
        // Paris falls back 03:00 -> 02:00 on 2026-10-25: 02:30 CEST, not also 02:30 CET.
        "cron(30 2 ? * SUN *)|Europe/Paris|2026-10-24T00:00:00Z|2026-10-26T00:00:00Z|2026-10-25T00:30:00Z",
        // Hourly across the repeat: 02:00 once (CEST), then 03:00 CET.
        "cron(0 * * * ? *)|Europe/Paris|2026-10-24T23:30:00Z|2026-10-25T02:30:00Z|2026-10-25T00:00:00Z,2026-10-25T02:00:00Z",
        // New York springs forward on 2027-03-14 and falls back (02:00 -> 01:00) on 2027-11-07.
        "cron(30 2 * * ? *)|America/New_York|2027-03-14T00:00:00Z|2027-03-15T00:00:00Z|",
        "cron(30 1 * * ? *)|America/New_York|2027-11-07T00:00:00Z|2027-11-08T00:00:00Z|2027-11-07T05:30:00Z",
        // Sydney, the other way round: forward on 2026-10-04, back on 2027-04-04.
        "cron(30 2 * * ? *)|Australia/Sydney|2026-10-03T12:00:00Z|2026-10-04T12:00:00Z|",
        "cron(30 2 * * ? *)|Australia/Sydney|2027-04-03T12:00:00Z|2027-04-04T12:00:00Z|2027-04-03T15:30:00Z",
        // A one-time action in a gap is not lost: it runs shifted by the gap (03:30 CEST).
        "at(2026-03-29T02:30:00)|Europe/Paris|2026-03-28T00:00:00Z|2026-03-30T00:00:00Z|2026-03-29T01:30:00Z",
      })
  void daylightSavingChangesSkipMissingTimesAndRunRepeatedTimesOnce(
      String expression, String zone, String after, String upTo, String expected) {
    List<Instant> fires =
        schedule(expression, ZoneId.of(zone)).firesIn(Instant.parse(after), Instant.parse(upTo));

    assertThat(fires)
        .containsExactlyElementsOf(
            expected == null
                ? List.of()
                : java.util.Arrays.stream(expected.split(",")).map(Instant::parse).toList());
  }

  @org.junit.jupiter.api.Test
  void theWallClockTimesAGapSkipsAreReportedForAWarning() {
    Schedule sunday = schedule("cron(30 2 ? * SUN *)", PARIS);

    assertThat(
            sunday.skippedIn(
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")))
        .containsExactly(java.time.LocalDateTime.parse("2026-03-29T02:30"));
    assertThat(
            schedule("cron(0 18 ? * FRI *)", PARIS)
                .skippedIn(
                    Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")))
        .as("a time no change touches")
        .isEmpty();
    assertThat(
            schedule("cron(*/15 2 * * ? *)", ZoneId.of("America/New_York"))
                .skippedIn(
                    Instant.parse("2027-03-01T00:00:00Z"), Instant.parse("2027-04-01T00:00:00Z")))
        .hasSize(4);
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
