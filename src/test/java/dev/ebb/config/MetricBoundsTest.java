package dev.ebb.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.junit.jupiter.api.Test;

class MetricBoundsTest {
  @Test
  void aMeterTaggedWithAComponentHasNoHistogramUnlessAskedFor() {
    assertThat(histogram(false, "component", "llama")).as("per object, by default").isFalse();
    assertThat(histogram(true, "component", "llama")).as("per object, opted in").isTrue();
    assertThat(histogram(false, "phase", "ready")).as("fleet-wide").isTrue();
  }

  private static boolean histogram(boolean perComponent, String tag, String value) {
    var id = new Meter.Id("t", Tags.of(tag, value), null, null, Meter.Type.TIMER);
    var asked =
        DistributionStatisticConfig.builder()
            .percentilesHistogram(true)
            .build()
            .merge(DistributionStatisticConfig.DEFAULT);
    return Boolean.TRUE.equals(
        MetricBounds.perObjectHistograms(perComponent)
            .configure(id, asked)
            .isPercentileHistogram());
  }
}
