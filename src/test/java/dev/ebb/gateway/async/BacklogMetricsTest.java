package dev.ebb.gateway.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.local.ComponentKey;
import dev.ebb.local.LocalMetricCatalog;
import dev.ebb.local.LocalMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacklogMetricsTest {
  private static final ComponentKey WHISPER = new ComponentKey("team", "whisper");
  private final LocalMetrics metrics = new LocalMetrics(Clock.systemUTC());

  @Test
  void theBacklogIsPublishedUnderSageMakersNames() {
    BacklogMetrics.publish(Map.of(WHISPER, 6), c -> 2, metrics);

    assertThat(value(LocalMetricCatalog.BACKLOG_SIZE)).isEqualTo(6);
    assertThat(value(LocalMetricCatalog.BACKLOG_SIZE_PER_COPY)).isEqualTo(3);
    assertThat(value(LocalMetricCatalog.BACKLOG_WITHOUT_CAPACITY)).isZero();
  }

  @Test
  void atZeroCopiesThereIsABacklogWithoutCapacityAndNoPerCopyValue() {
    BacklogMetrics.publish(Map.of(WHISPER, 4), c -> 0, metrics);

    assertThat(value(LocalMetricCatalog.BACKLOG_WITHOUT_CAPACITY)).isEqualTo(1);
    assertThat(
            metrics
                .of(WHISPER)
                .average(LocalMetricCatalog.BACKLOG_SIZE_PER_COPY, Duration.ofMinutes(1)))
        .isEmpty();
  }

  private double value(String key) {
    return metrics.of(WHISPER).average(key, Duration.ofMinutes(1)).orElseThrow();
  }
}
