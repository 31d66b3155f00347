package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TraceTest {
  static Trace csv(String text) throws IOException {
    return Trace.readCsv("t.csv", new StringReader(text), Duration.ofSeconds(1));
  }

  @Test
  void readsInstantsOrEpochSecondsWithOptionalColumnsInAnyOrder() throws IOException {
    Trace trace =
        csv(
            """
            # exported from the gateway
            bytes,time,duration_ms,model
            2048,2026-12-01T09:00:00.250Z,1500,chat
            ,1796115601.5,,chat

            """);

    assertThat(trace.requests()).hasSize(2);
    assertThat(trace.requests().get(0).at()).isEqualTo(Instant.parse("2026-12-01T09:00:00.250Z"));
    assertThat(trace.requests().get(0).duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(trace.requests().get(0).bytes()).isEqualTo(2048);
    assertThat(trace.requests().get(1).at()).isEqualTo(Instant.parse("2026-12-01T09:00:01.500Z"));
    assertThat(trace.requests().get(1).duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(trace.requests().get(1).bytes()).isZero();
  }

  @Test
  void requestsAreReplayedInTimeOrderWhateverTheFileOrder() throws IOException {
    Trace trace = csv("time\n2026-12-01T09:00:05Z\n2026-12-01T09:00:01Z\n");

    assertThat(trace.requests().get(0).at()).isEqualTo(Instant.parse("2026-12-01T09:00:01Z"));
    assertThat(trace.span()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void aBadLineIsNamedWithItsNumber() {
    assertThatThrownBy(() -> csv("time,duration_ms\n2026-12-01T09:00:00Z,10\nyesterday,5\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t.csv:3")
        .hasMessageContaining("yesterday");
    assertThatThrownBy(() -> csv("time,duration_ms\n2026-12-01T09:00:00Z,-4\n"))
        .hasMessageContaining("t.csv:2");
    assertThatThrownBy(() -> csv("when\n2026-12-01T09:00:00Z\n"))
        .hasMessageContaining("no time column");
  }

  @Test
  void theBuiltInWeekIsTheSameEveryTimeAndHasItsShape() {
    Trace week = SyntheticTrace.week();

    assertThat(SyntheticTrace.week().requests()).isEqualTo(week.requests());
    assertThat(week.span()).isEqualTo(Duration.ofDays(7));
    long weekday =
        week.requests().stream()
            .filter(r -> r.at().atZone(SyntheticTrace.ZONE).getDayOfWeek() == DayOfWeek.TUESDAY)
            .count();
    long saturday =
        week.requests().stream()
            .filter(r -> r.at().atZone(SyntheticTrace.ZONE).getDayOfWeek() == DayOfWeek.SATURDAY)
            .count();
    assertThat(saturday).isLessThan(weekday / 5);
    // Nights are quiet enough for an idle window of 15 minutes to pass.
    long night =
        week.requests().stream()
            .filter(
                r -> {
                  int hour = r.at().atZone(SyntheticTrace.ZONE).getHour();
                  return hour >= 1 && hour < 5;
                })
            .count();
    assertThat(night).isLessThan(7 * 4 * 60 / 15);
  }
}
