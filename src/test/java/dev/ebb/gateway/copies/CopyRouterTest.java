package dev.ebb.gateway.copies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.meters.GatewayMeters;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.LocalMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The copy router with a hand-written copy source, on an in-process Vert.x (timers and contexts, no
 * sockets): sending, holding, hold timeouts, the client leaving, copies arriving, deletion.
 */
class CopyRouterTest {
  private static final ComponentKey C = new ComponentKey("ns", "c");
  private static final Duration LONG = Duration.ofMinutes(10);

  private final Vertx vertx = Vertx.vertx();
  private final FakeCopies copies = new FakeCopies();
  private final LocalMetrics metrics = new LocalMetrics(Clock.systemUTC());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<HeldDemand> demand = new CopyOnWriteArrayList<>();
  private final CopyRouter router =
      new CopyRouter(vertx, copies, metrics, new GatewayMeters(registry), demand::add);

  @AfterEach
  void stop() {
    router.stop();
    vertx.close();
  }

  @Test
  void aReadyCopyTakesTheRequestAtOnceTheLeastBusyFirst() {
    copies.are("10.0.0.1", "10.0.0.2");
    router.start();
    Waiter first = new Waiter();
    Waiter second = new Waiter();

    assertThat(router.route(C, 10, LONG, first)).isInstanceOf(CopyRouter.Sent.class);
    assertThat(router.route(C, 10, LONG, second)).isInstanceOf(CopyRouter.Sent.class);

    assertThat(first.sentTo).hasSize(1);
    assertThat(second.sentTo).hasSize(1).doesNotContainAnyElementsOf(first.sentTo);
    assertThat(demand).as("nothing held, nothing woken").isEmpty();
  }

  @Test
  void atZeroCopiesARequestIsHeldAndWakesTheComponentThenGoesToTheFirstCopy() {
    router.start();
    Waiter waiter = new Waiter();

    assertThat(router.route(C, 10, LONG, waiter)).isInstanceOf(CopyRouter.Held.class);
    assertThat(demand).containsExactly(new HeldDemand(C, 1));
    assertThat(metrics.of(C).ownHeld()).isEqualTo(1);
    assertThat(copies.probing).containsExactly(C);
    assertThat(registry.get("ebb.gateway.wakes").counter().count()).isEqualTo(1);
    assertThat(registry.get("ebb.gateway.held.requests").gauge().value()).isEqualTo(1);

    copies.are("10.0.0.7");
    copies.changed(C);

    await().until(() -> !waiter.sentTo.isEmpty());
    assertThat(waiter.sentTo).containsExactly("10.0.0.7");
    assertThat(demand).last().isEqualTo(new HeldDemand(C, 0));
    assertThat(waiter.expired).isEmpty();
  }

  @Test
  void overTheBoundARequestIsRefused() {
    router.start();

    assertThat(router.route(C, 1, LONG, new Waiter())).isInstanceOf(CopyRouter.Held.class);
    assertThat(router.route(C, 1, LONG, new Waiter()))
        .isEqualTo(new CopyRouter.Full(CopyRouter.Bound.COUNT));
  }

  /**
   * Held bodies are bounded in bytes over every component and both planes: a request that would
   * pass the bound is refused, and bytes come back as holds end (handed out, expired, cancelled,
   * component gone). A request a ready copy takes holds nothing, whatever its size.
   */
  @Test
  void heldBodiesAreBoundedInBytesAcrossComponentsAndPlanes() {
    HeldBytes budget = new HeldBytes(100);
    var local = new CopyRouter(vertx, copies, Demand.NONE, new GatewayMeters(registry), budget);
    var sagemaker =
        new CopyRouter(vertx, new FakeCopies(), Demand.NONE, new GatewayMeters(registry), budget);
    ComponentKey other = new ComponentKey("ns", "other");
    local.start();
    sagemaker.start();
    Waiter handedOut = new Waiter(60);

    assertThat(local.route(C, 10, LONG, handedOut)).isInstanceOf(CopyRouter.Held.class);
    assertThat(sagemaker.route(other, 10, LONG, new Waiter(41)))
        .isEqualTo(new CopyRouter.Full(CopyRouter.Bound.BYTES));
    var expiring = sagemaker.route(other, 10, Duration.ofMillis(50), new Waiter(40));
    assertThat(expiring).isInstanceOf(CopyRouter.Held.class);
    assertThat(budget.held()).isEqualTo(100);
    await().until(() -> budget.held() == 60);

    var cancelled = (CopyRouter.Held) sagemaker.route(other, 10, LONG, new Waiter(40));
    cancelled.cancel();
    assertThat(budget.held()).isEqualTo(60);
    var gone = sagemaker.route(other, 10, LONG, new Waiter(40));
    assertThat(gone).isInstanceOf(CopyRouter.Held.class);
    sagemaker.componentGone(other);
    assertThat(budget.held()).isEqualTo(60);

    copies.are("10.0.0.7");
    copies.changed(C);
    await().until(() -> !handedOut.sentTo.isEmpty());
    assertThat(budget.held()).isZero();
    assertThat(local.route(C, 10, LONG, new Waiter(1_000))).isInstanceOf(CopyRouter.Sent.class);
    assertThat(budget.held()).isZero();
    local.stop();
    sagemaker.stop();
  }

  @Test
  void aRequestHeldPastItsHoldTimeExpiresAndNoLongerCounts() {
    router.start();
    Waiter waiter = new Waiter();

    router.route(C, 10, Duration.ofMillis(50), waiter);

    await().until(() -> !waiter.expired.isEmpty());
    assertThat(waiter.expired).containsExactly(Duration.ofMillis(50));
    assertThat(demand).last().isEqualTo(new HeldDemand(C, 0));
    copies.are("10.0.0.7");
    copies.changed(C);
    assertThat(waiter.sentTo).as("an expired request is not sent later").isEmpty();
  }

  @Test
  void aClientThatLeavesIsNeitherSentNorExpired() throws InterruptedException {
    router.start();
    Waiter waiter = new Waiter();

    var held = (CopyRouter.Held) router.route(C, 10, Duration.ofMillis(50), waiter);
    held.cancel();

    assertThat(demand).last().isEqualTo(new HeldDemand(C, 0));
    Thread.sleep(150);
    copies.are("10.0.0.7");
    copies.changed(C);
    assertThat(waiter.sentTo).isEmpty();
    assertThat(waiter.expired).isEmpty();
  }

  @Test
  void aDeletedComponentAnswersItsHeldRequestsAtOnceAndForgetsEverything() {
    router.start();
    Waiter waiter = new Waiter();
    router.route(C, 10, LONG, waiter);

    router.componentGone(C);

    await().until(() -> waiter.gone);
    assertThat(copies.forgotten).containsExactly(C);
    assertThat(registry.find("ebb.gateway.held.requests").gauges()).isEmpty();
  }

  @Test
  void aReleasedLeaseFreesItsCopyOnceHoweverOftenReleased() {
    copies.are("10.0.0.1", "10.0.0.2");
    router.start();
    Waiter first = new Waiter();
    router.route(C, 10, LONG, first);
    first.leases.get(0).release();
    first.leases.get(0).release();

    Waiter second = new Waiter();
    Waiter third = new Waiter();
    router.route(C, 10, LONG, second);
    router.route(C, 10, LONG, third);

    assertThat(List.of(second.sentTo.get(0), third.sentTo.get(0)))
        .as("both copies idle again: one each")
        .containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
  }

  /**
   * A plane whose demand nobody hears (backend sagemaker) holds in the same queue: the same bound,
   * the same hand-out once a copy comes, the same meters; only the policy engine and the peers hear
   * nothing of it.
   */
  @Test
  void aPlaneWhoseDemandNobodyHearsHoldsAlike() {
    var plane = new CopyRouter(vertx, copies, Demand.NONE, new GatewayMeters(registry));
    plane.start();
    Waiter waiter = new Waiter();

    assertThat(plane.route(C, 1, LONG, waiter)).isInstanceOf(CopyRouter.Held.class);
    assertThat(plane.route(C, 1, LONG, new Waiter())).isInstanceOf(CopyRouter.Full.class);
    assertThat(registry.get("ebb.gateway.held.requests").gauge().value()).isEqualTo(1);
    assertThat(registry.get("ebb.gateway.wakes").counter().count()).isEqualTo(1);
    assertThat(copies.probing).as("its copy source looks for a copy").containsExactly(C);

    copies.are("upstream");
    copies.changed(C);

    await().until(() -> !waiter.sentTo.isEmpty());
    assertThat(waiter.sentTo).containsExactly("upstream");
    assertThat(demand).isEmpty();
    assertThat(metrics.all()).isEmpty();
    plane.stop();
  }

  /** What happened to one request. */
  private static final class Waiter implements CopyRouter.Waiter {
    final long bytes;
    final List<String> sentTo = new CopyOnWriteArrayList<>();
    final List<CopyRouter.Lease> leases = new CopyOnWriteArrayList<>();
    final List<Duration> expired = new CopyOnWriteArrayList<>();
    volatile boolean gone;

    Waiter() {
      this(0);
    }

    Waiter(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public long bytes() {
      return bytes;
    }

    @Override
    public void send(CopyRouter.Lease lease) {
      leases.add(lease);
      sentTo.add(lease.address());
    }

    @Override
    public void expired(Duration heldFor) {
      expired.add(heldFor);
    }

    @Override
    public void componentGone() {
      gone = true;
    }
  }

  /** Copies as a test sets them. */
  private static final class FakeCopies implements CopySource {
    volatile List<String> routable = List.of();
    final List<ComponentKey> probing = new CopyOnWriteArrayList<>();
    final List<ComponentKey> forgotten = new CopyOnWriteArrayList<>();
    final Map<ComponentKey, Integer> ready = new ConcurrentHashMap<>();
    Consumer<ComponentKey> onChange;

    void are(String... addresses) {
      routable = List.of(addresses);
    }

    void changed(ComponentKey component) {
      onChange.accept(component);
    }

    @Override
    public void start(Predicate<ComponentKey> holding, Consumer<ComponentKey> onChange) {
      this.onChange = onChange;
    }

    @Override
    public List<String> routable(ComponentKey component) {
      return routable;
    }

    @Override
    public int ready(ComponentKey component) {
      return ready.getOrDefault(component, routable.size());
    }

    @Override
    public void probeWhileHolding(ComponentKey component) {
      if (!probing.contains(component)) {
        probing.add(component);
      }
    }

    @Override
    public void forget(ComponentKey component) {
      forgotten.add(component);
    }
  }
}
