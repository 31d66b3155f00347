package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.whatif.ScaleLogRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The autoscaler's scaling log is what {@code what-if --check} reads the copies from. */
class ScalingLogTest {
  @Test
  void aLineSaysWhenWhichComponentFromToAndWhyAndWhatIfReadsItBack() {
    String line =
        ScalingLog.line(
            new ComponentKey("ml", "chat"),
            Instant.parse("2026-12-01T09:00:01.250Z"),
            0,
            1,
            "Demand",
            "2 requests held at zero copies: scale from zero by 1");

    assertThat(line)
        .isEqualTo(
            "ebb-scale time=2026-12-01T09:00:01.250Z namespace=ml component=chat from=0 to=1"
                + " trigger=Demand reason=2 requests held at zero copies: scale from zero by 1");
    ScaleLogRecord read =
        ScaleLogRecord.parse("2026-12-01T09:00:01.251Z level=INFO msg=" + line, "ebb.log:1")
            .orElseThrow();
    assertThat(read)
        .isEqualTo(
            new ScaleLogRecord(Instant.parse("2026-12-01T09:00:01.250Z"), "ml", "chat", 0, 1));
    assertThat(read.isFor("ml/chat")).isTrue();
    assertThat(read.isFor("other/chat")).isFalse();
  }
}
