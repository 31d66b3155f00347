package dev.ebb.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.gateway.resolve.Resolution;
import dev.ebb.local.ComponentKey;
import dev.ebb.simulator.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SageMaker's copies as the copy router sees them, with a hand-written SageMaker, on an in-process
 * Vert.x: the wake when holding starts (the policy's alarm rung, once per cooldown), the poll for a
 * copy, and routable until a request finds the component at zero again.
 */
class SageMakerCopiesTest {
  private static final ComponentKey C = new ComponentKey("ns", "llama");
  private static final Resolution.Wake STEP =
      new Resolution.Wake("ebb-ns-llama-scale-from-zero", 4, Duration.ofSeconds(60), "llama");

  private final Vertx vertx = Vertx.vertx();
  private final FakeSageMaker sagemaker = new FakeSageMaker();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SageMakerCopies copies =
      new SageMakerCopies(vertx, sagemaker, new GatewayMeters(registry), clock);
  private final AtomicBoolean holding = new AtomicBoolean();
  private final List<ComponentKey> changed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    copies.start(k -> holding.get(), changed::add);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void holdingRingsThePolicysAlarmOnceThenAPolledCopyMakesItRoutable() {
    copies.noCopy(C, target(Optional.of(STEP)));
    holding.set(true);
    copies.probeWhileHolding(C);
    copies.probeWhileHolding(C);

    await().until(() -> !sagemaker.woken.isEmpty());
    assertThat(sagemaker.woken)
        .as("the alarm, not a copy count: Application Auto Scaling takes the step")
        .containsExactly(STEP.alarm());
    assertThat(copies.routable(C)).isEmpty();

    sagemaker.copies.set(1);

    await().until(() -> !changed.isEmpty());
    assertThat(copies.routable(C)).containsExactly(SageMakerCopies.RUNTIME);
    assertThat(copies.ready(C)).as("SageMaker counts its copies, not Ebb").isZero();
    assertThat(sagemaker.woken).as("woken once").hasSize(1);
    assertThat(registry.get("ebb.gateway.sagemaker.wakes").counter().count()).isEqualTo(1);
  }

  @Test
  void aRequestThatFindsItAtZeroAgainMakesItUnroutableAndTellsTheRouter() {
    copies.noCopy(C, target(Optional.of(STEP)));
    holding.set(true);
    sagemaker.copies.set(1);
    copies.probeWhileHolding(C);
    await().until(() -> copies.routable(C).size() == 1);
    changed.clear();

    copies.noCopy(C, target(Optional.of(STEP)));

    assertThat(copies.routable(C)).isEmpty();
    assertThat(changed).containsExactly(C);
  }

  @Test
  void aComponentIsWokenAtMostOncePerCooldown() throws InterruptedException {
    copies.noCopy(C, target(Optional.of(STEP)));
    holding.set(true);
    copies.probeWhileHolding(C);
    await().until(() -> sagemaker.woken.size() == 1);
    holding.set(false);
    await().until(() -> !copies.isPolling(C));

    holding.set(true);
    copies.probeWhileHolding(C);
    Thread.sleep(200);
    assertThat(sagemaker.woken).as("within the cooldown").hasSize(1);

    holding.set(false);
    await().until(() -> !copies.isPolling(C));
    clock.advance(STEP.cooldown());
    holding.set(true);
    copies.probeWhileHolding(C);
    await().until(() -> sagemaker.woken.size() == 2);
  }

  @Test
  void withoutAWakeStepNothingIsWokenButTheComponentIsStillPolled() {
    copies.noCopy(C, target(Optional.empty()));
    holding.set(true);
    copies.probeWhileHolding(C);

    await().until(() -> sagemaker.described.get() > 0);
    sagemaker.copies.set(1);
    await().until(() -> copies.routable(C).size() == 1);
    assertThat(sagemaker.woken).isEmpty();
  }

  @Test
  void aForgottenComponentIsNoLongerPolled() throws InterruptedException {
    copies.noCopy(C, target(Optional.empty()));
    holding.set(true);
    copies.probeWhileHolding(C);
    await().until(() -> sagemaker.described.get() > 0);

    copies.forget(C);
    int described = sagemaker.described.get();
    sagemaker.copies.set(1);
    Thread.sleep(SageMakerCopies.WAKE_POLL.toMillis() * 2);

    assertThat(copies.isPolling(C)).isFalse();
    assertThat(sagemaker.described.get()).isLessThanOrEqualTo(described + 1);
    assertThat(copies.routable(C)).isEmpty();
  }

  private static Resolution.SageMaker target(Optional<Resolution.Wake> wake) {
    return new Resolution.SageMaker(
        Optional.of("us-east-1"),
        "llm",
        Optional.of("ns-llama-1234"),
        wake,
        10,
        Duration.ofMinutes(10),
        Optional.empty(),
        Optional.of(C));
  }

  /** SageMaker's control plane as a test sets it. */
  static final class FakeSageMaker implements SageMakerControl {
    final AtomicInteger copies = new AtomicInteger();
    final AtomicInteger described = new AtomicInteger();
    final List<String> woken = new CopyOnWriteArrayList<>();
    volatile Optional<Integer> maxInForce = Optional.empty();

    @Override
    public Optional<Integer> copies(Resolution.SageMaker target) {
      described.incrementAndGet();
      return Optional.of(copies.get());
    }

    @Override
    public void wake(Resolution.SageMaker target, String alarm) {
      woken.add(alarm);
    }

    @Override
    public Optional<Integer> maxCapacity(Resolution.SageMaker target) {
      return maxInForce;
    }
  }
}
