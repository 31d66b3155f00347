package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.LocalTimingsResource;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.StuckCopyBound;
import dev.ebb.testing.TestClock;
import dev.ebb.testing.TestNamespaceExtension;
import dev.ebb.testing.TinyComponent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Copies no node can take, on the real API server: the fake node agent has fewer GPUs than the
 * copies ask for and reports the rest as the scheduler does (PodScheduled=False, Unschedulable).
 * The component's status says so within seconds; such a copy holds back scale-in and the idle
 * window only for {@code ebb.local.unschedulable-timeout} ({@link
 * LocalTimingsResource#UNSCHEDULABLE_TIMEOUT} here).
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
@QuarkusTestResource(LocalTimingsResource.class)
class UnschedulableCopiesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** How soon after the pod is marked unschedulable the component's status must say so. */
  private static final Duration STATUS_WITHIN = Duration.ofSeconds(10);

  private static final Duration BOUND = LocalTimingsResource.UNSCHEDULABLE_TIMEOUT;

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("unschedulable", TIMEOUT);

  @Inject TestClock clock;
  @Inject LocalMetrics metrics;

  private FakeNodeAgent agent;
  private TinyComponent tiny;

  @BeforeEach
  void namespace() {
    agent =
        new FakeNodeAgent(
            ns.client(), ns.name(), Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(100));
    tiny = new TinyComponent(ns);
  }

  @AfterEach
  void cleanUp() {
    // Deleting the policies stops the loop evaluating them before the clock jumps.
    tiny.deletePolicies();
    clock.reset();
    agent.close();
  }

  @Test
  void aCopyNoNodeCanTakeIsInTheStatusWithinSecondsAndTheComponentStaysReadyOnTheOther() {
    agent.gpus(1);
    tiny.apply(LocalManifests.gpuComponent(2));

    Instant marked = awaitMarkedUnschedulable();
    InferenceComponent waiting = awaitStatusSaysUnschedulable(marked);
    assertThat(schedulable(waiting).reason()).isEqualTo("Unschedulable");
    assertThat(schedulable(waiting).message())
        .startsWith("1 copy cannot be scheduled since ")
        .contains(FakeNodeAgent.INSUFFICIENT_GPU)
        .contains("(ebb.local.unschedulable-timeout)");
    assertThat(waiting.getStatus().condition(Condition.STALLED))
        .as("a node may yet be added")
        .isNull();

    // The copy that got the GPU serves: the component is Ready, and says why not all copies are.
    InferenceComponent oneServing =
        tiny.awaitComponent(c -> c.getStatus().copies().current() == 1 && "True".equals(ready(c)));
    assertThat(oneServing.getStatus().condition(Condition.READY).reason())
        .isEqualTo("Unschedulable");
    assertThat(oneServing.getStatus().condition(Condition.READY).message())
        .isEqualTo("1 of 2 copies ready; 1 cannot be scheduled: " + FakeNodeAgent.INSUFFICIENT_GPU);
    assertThat(oneServing.getStatus().condition(Condition.RECONCILING).status()).isEqualTo("True");
    assertThat(oneServing.getStatus().state()).isEqualTo("Serving");
    tiny.awaitWarning("Unschedulable", FakeNodeAgent.INSUFFICIENT_GPU);

    // A node with another GPU: the waiting copy is placed, and the condition turns True.
    agent.gpus(2);
    InferenceComponent serving =
        tiny.awaitComponent(
            c -> "Serving".equals(c.getStatus().condition(Condition.READY).reason()));
    assertThat(schedulable(serving).status()).isEqualTo("True");
    assertThat(serving.getStatus().copies().current()).isEqualTo(2);
    assertThat(tiny.replicas()).as("no policy: nothing was scaled").isEqualTo(2);
  }

  @Test
  void withEveryGpuTakenTheIdleWindowTakesTheStuckCopyAwayAfterTheBoundAndNotBefore() {
    agent.gpus(0);
    // The last request will be 65 s old when the clock is moved back to the present below.
    clock.advance(Duration.ofSeconds(-65));
    tiny.apply(LocalManifests.gpuComponent(0) + LocalManifests.wakePolicy(2, 60));
    LocalManifests.awaitPolicyTracked(ns);

    // A scale-out: demand at zero copies starts one, which no node can take.
    ComponentKey key = new ComponentKey(ns.name(), "tiny");
    metrics.holding(key, 1);
    tiny.awaitReplicas(1);
    metrics.holding(key, 0);
    Instant marked = awaitMarkedUnschedulable();
    InferenceComponent waiting = awaitStatusSaysUnschedulable(marked);
    assertThat(ready(waiting)).as("no copy serves").isEqualTo("False");
    assertThat(waiting.getStatus().condition(Condition.READY).reason()).isEqualTo("Unschedulable");
    assertThat(waiting.getStatus().state()).isEqualTo("Pending");

    // The operator's clock to 2 s before the copy became unschedulable: the last request is over
    // 60 s old, so the idle window has passed, but the copy still counts as starting; once it has
    // been unschedulable for the bound, the idle window takes it.
    StuckCopyBound.assertIdleWindowWaitsForTheBound(
        tiny, clock, tiny.onlyPodConditionSince("PodScheduled", "False"), BOUND, "unschedulable");
    assertThat(agent.unscheduledCopiesRemoved()).isEqualTo(1);
    assertThat(agent.startingCopiesRemoved()).isZero();

    InferenceComponent scaled =
        tiny.awaitComponent(c -> "ScaledToZero".equals(c.getStatus().state()));
    assertThat(schedulable(scaled).status()).isEqualTo("True");
  }

  // --- helpers -----------------------------------------------------------------------------

  /** Waits for CopiesSchedulable=False, and checks it came within seconds of {@code marked}. */
  private InferenceComponent awaitStatusSaysUnschedulable(Instant marked) {
    return tiny.awaitStatusWithin(
        c -> "False".equals(schedulable(c).status()),
        marked,
        STATUS_WITHIN,
        "pod marked Unschedulable");
  }

  private Instant awaitMarkedUnschedulable() {
    return await()
        .atMost(TIMEOUT)
        .until(agent::lastMarkedUnschedulable, Optional::isPresent)
        .orElseThrow();
  }

  private static Condition schedulable(InferenceComponent c) {
    Condition condition = c.getStatus().condition(Condition.COPIES_SCHEDULABLE);
    return condition == null
        ? new Condition(Condition.COPIES_SCHEDULABLE, "Unknown", null, "", "-", null)
        : condition;
  }

  private static String ready(InferenceComponent c) {
    Condition condition = c.getStatus().condition(Condition.READY);
    return condition == null ? null : condition.status();
  }
}
