package dev.ebb.gateway.meters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.local.ComponentKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayMetersTest {
  /** Creating and deleting components must not grow a scrape forever. */
  @Test
  void aDeletedComponentTakesEveryMeterTaggedWithItAlong() {
    var registry = new SimpleMeterRegistry();
    var meters = new GatewayMeters(registry);
    var gone = new ComponentKey("ml", "gone");
    var stays = new ComponentKey("ml", "stays");
    var namesake = new ComponentKey("other", "gone");
    for (var component : new ComponentKey[] {gone, stays, namesake}) {
      meters.woke(component);
      meters.answered(component, "200", System.nanoTime());
      meters.probedCopy(component, Duration.ofSeconds(3));
    }
    Counter.builder("ebb.scaling.activities")
        .tags("namespace", "ml", "component", "gone", "direction", "ScaledOut")
        .register(registry)
        .increment();

    meters.forget(gone);

    assertThat(registry.getMeters())
        .extracting(GatewayMetersTest::object)
        .containsOnly("ml/stays", "other/gone")
        .hasSize(6);
  }

  private static String object(Meter meter) {
    return meter.getId().getTag("namespace") + "/" + meter.getId().getTag("component");
  }
}
