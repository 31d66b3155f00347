package dev.ebb.gateway.copies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.local.ComponentKey;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-component task of a copy source, on an in-process Vert.x's timers. */
class WhileHeldTest {
  private static final ComponentKey C = new ComponentKey("ns", "c");

  private final Vertx vertx = Vertx.vertx();
  private final AtomicBoolean holding = new AtomicBoolean(true);
  private final AtomicInteger starts = new AtomicInteger();
  private final AtomicInteger runs = new AtomicInteger();
  private final WhileHeld whileHeld =
      new WhileHeld(
          vertx,
          Duration.ofMillis(20),
          k -> holding.get(),
          k -> starts.incrementAndGet(),
          k -> runs.incrementAndGet());

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void startsOncePerSpellOfHoldingAndRunsUntilNothingIsHeld() {
    whileHeld.start(C);
    whileHeld.start(C);
    await().until(() -> runs.get() >= 3);
    assertThat(starts.get()).as("already running: not started twice").isEqualTo(1);

    holding.set(false);
    await().until(() -> !whileHeld.running(C));
    int ran = runs.get();

    holding.set(true);
    whileHeld.start(C);
    await().until(() -> runs.get() > ran);
    assertThat(starts.get()).as("a new spell starts it again").isEqualTo(2);
  }

  @Test
  void aStoppedComponentRunsNoMore() throws InterruptedException {
    whileHeld.start(C);
    await().until(() -> runs.get() >= 1);

    whileHeld.stop(C);
    int ran = runs.get();
    Thread.sleep(100);

    assertThat(whileHeld.running(C)).isFalse();
    assertThat(runs.get()).isLessThanOrEqualTo(ran + 1);
  }
}
