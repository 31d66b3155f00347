package dev.ebb.gateway.meters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.local.ComponentKey;
import dev.ebb.whatif.Trace;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The gateway's access log is a trace what-if reads as it comes out of {@code kubectl logs}. */
class AccessLogTest {
  static final ComponentKey CHAT = new ComponentKey("ml", "chat");

  @Test
  void aLineSaysWhenWhatBecameOfItHowLongItWaitedAndTook() {
    assertThat(
            AccessLog.line(
                CHAT,
                Instant.parse("2026-12-01T09:00:00.250Z"),
                "200",
                95_000_000_000L,
                1_520_412_000L,
                2048))
        .isEqualTo(
            "ebb-access time=2026-12-01T09:00:00.250Z namespace=ml component=chat outcome=200"
                + " waited_ms=95000.000 duration_ms=1520.412 bytes=2048");
  }

  @Test
  void whatIfReplaysTheLogOfOneComponentFromTheOperatorsOutput() throws IOException {
    String log =
        String.join(
            "\n",
            "2026-12-01 09:00:00,100 INFO  [io.quarkus] (main) ebb started in 2.1s",
            "2026-12-01 09:00:01,000 INFO  [dev.ebb.gateway.access] (vert.x-eventloop-thread-0) "
                + AccessLog.line(
                    CHAT, Instant.parse("2026-12-01T09:00:00.250Z"), "200", 0, 1_500_000_000L, 10),
            "2026-12-01 09:00:02,000 INFO  [dev.ebb.gateway.access] (vert.x-eventloop-thread-1) "
                + AccessLog.line(
                    new ComponentKey("ml", "other"),
                    Instant.parse("2026-12-01T09:00:01Z"),
                    "200",
                    0,
                    1_000_000,
                    10),
            "2026-12-01 09:00:03,000 INFO  [dev.ebb.gateway.access] (vert.x-eventloop-thread-0) "
                + AccessLog.line(CHAT, Instant.parse("2026-12-01T09:00:02Z"), "429", 0, 0, 20));

    Trace trace = Trace.read("ebb.log", new StringReader(log), Duration.ofSeconds(3), "ml/chat");

    assertThat(trace.requests()).hasSize(2);
    assertThat(trace.requests().get(0).at()).isEqualTo(Instant.parse("2026-12-01T09:00:00.250Z"));
    assertThat(trace.requests().get(0).duration()).isEqualTo(Duration.ofMillis(1500));
    // Refused at the time: what it would have taken at a copy is not known.
    assertThat(trace.requests().get(1).duration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(trace.requests().get(1).bytes()).isEqualTo(20);
  }
}
