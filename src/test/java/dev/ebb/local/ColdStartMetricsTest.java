package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponentStatus.ColdStart;
import dev.ebb.simulator.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartMetricsTest {
  private static final Instant STARTED = Instant.parse("2026-12-02T10:00:00Z");
  private static final ComponentKey TINY = new ComponentKey("ml", "tiny");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ColdStartMetrics metrics = new ColdStartMetrics(registry, new ManualClock(STARTED));

  @Test
  void eachCopyIsRecordedOnceHoweverOftenItIsSeen() {
    var a = copy("a", STARTED.plusSeconds(30), 12.0);
    var b = copy("b", STARTED.plusSeconds(90), 20.0);

    metrics.recordNew(TINY, List.of(a));
    metrics.recordNew(TINY, List.of(a));
    metrics.recordNew(TINY, List.of(a, b));

    var total = registry.find(ColdStartMetrics.NAME).tag("component", "tiny").summary();
    assertThat(total.count()).isEqualTo(2);
    assertThat(total.totalAmount()).isEqualTo(32.0);
    var ready = registry.find(ColdStartMetrics.PHASE_NAME).tag("phase", "ready").summary();
    assertThat(ready.count()).isEqualTo(2);
    assertThat(ready.getId().getTag("component")).as("phases are fleet-wide").isNull();
  }

  @Test
  void copiesReadyBeforeTheOperatorStartedWereRecordedByItsPredecessor() {
    metrics.recordNew(TINY, List.of(copy("old", STARTED.minusSeconds(60), 12.0)));

    assertThat(registry.find(ColdStartMetrics.NAME).summary()).isNull();
  }

  private static ColdStarts.Measured copy(String uid, Instant ready, double seconds) {
    return new ColdStarts.Measured(
        uid,
        ready,
        new ColdStart(
            uid, ready.minusSeconds((long) seconds).toString(), seconds, Map.of("ready", seconds)));
  }
}
