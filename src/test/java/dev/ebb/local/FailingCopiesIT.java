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
import io.fabric8.kubernetes.api.model.ContainerStatus;
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
 * Copies whose model fetch keeps failing, on the real API server: the fake node agent fails every
 * fetch with the line Ebb's fetcher prints when the data is missing, and reports it as kubelet does
 * (the line as the termination's message, CrashLoopBackOff, the restart count growing). The
 * component's status says so within seconds, with the fetcher's line; uploading the data heals it;
 * and such a copy holds back the idle window only for {@code ebb.local.unschedulable-timeout}
 * ({@link LocalTimingsResource#UNSCHEDULABLE_TIMEOUT} here), like a copy no node can take.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
@QuarkusTestResource(LocalTimingsResource.class)
class FailingCopiesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** How soon after the fetch failed again the component's status must say so. */
  private static final Duration STATUS_WITHIN = Duration.ofSeconds(10);

  private static final Duration BOUND = LocalTimingsResource.UNSCHEDULABLE_TIMEOUT;

  /** What Ebb's fetcher prints when the object is missing. */
  private static final String NO_SUCH_KEY =
      "fetch-model: "
          + LocalManifests.MODEL_DATA_URL
          + ": NoSuchKey: The specified key does not exist. (HTTP 404)";

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("failing", TIMEOUT);

  @Inject TestClock clock;
  @Inject LocalMetrics metrics;

  private FakeNodeAgent agent;
  private TinyComponent tiny;

  @BeforeEach
  void namespace() {
    agent =
        new FakeNodeAgent(
                ns.client(),
                ns.name(),
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ofMillis(100))
            .failFetches(NO_SUCH_KEY);
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
  void aFetchThatKeepsFailingIsInTheStatusWithTheFetchersLineWithinSecondsAndTheDataHealsIt() {
    tiny.apply(LocalManifests.fetchingComponent(1));

    Instant failedAgain = awaitFailedAgain();
    InferenceComponent failing = awaitStatusSaysFailing(failedAgain);
    Condition ready = failing.getStatus().condition(Condition.READY);
    assertThat(ready.status()).isEqualTo("False");
    assertThat(ready.message())
        .startsWith("0 of 1 copies ready; 1 failing: container fetch-model ")
        .contains(", last exit 1: " + NO_SUCH_KEY);
    assertThat(failing.getStatus().condition(Condition.RECONCILING))
        .returns("True", Condition::status)
        .returns("CopiesFailing", Condition::reason);
    assertThat(failing.getStatus().condition(Condition.STALLED))
        .as("kubelet keeps retrying; uploading the data heals it")
        .isNull();
    assertThat(failing.getStatus().state()).isEqualTo("Pending");
    assertThat(failing.getStatus().condition(Condition.COPIES_SCHEDULABLE).status())
        .as("the copy has a node")
        .isEqualTo("True");
    tiny.awaitWarning("CopiesFailing", NO_SUCH_KEY);

    // As the API server has it: the line is the last termination's message, typed state beside.
    ContainerStatus fetch = tiny.onlyPod().getStatus().getInitContainerStatuses().get(0);
    assertThat(fetch.getRestartCount()).isPositive();
    assertThat(fetch.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(fetch.getLastState().getTerminated().getMessage()).isEqualTo(NO_SUCH_KEY + "\n");

    // The data is uploaded: the next attempt fetches it, and the copy serves.
    agent.failFetches(null);
    InferenceComponent serving =
        tiny.awaitComponent(
            c -> "Serving".equals(c.getStatus().condition(Condition.READY).reason()));
    assertThat(serving.getStatus().condition(Condition.READY).status()).isEqualTo("True");
    assertThat(serving.getStatus().condition(Condition.READY).message())
        .isEqualTo("1 of 1 copies ready on this cluster.");
    assertThat(serving.getStatus().condition(Condition.RECONCILING)).isNull();
    assertThat(tiny.replicas()).as("no policy: nothing was scaled").isEqualTo(1);
  }

  @Test
  void theIdleWindowTakesACopyThatKeepsFailingAfterTheBoundAndNotBefore() {
    // The last request will be 65 s old when the clock is moved back to the present below.
    clock.advance(Duration.ofSeconds(-65));
    tiny.apply(LocalManifests.fetchingComponent(0) + LocalManifests.wakePolicy(2, 60));
    LocalManifests.awaitPolicyTracked(ns);

    // A scale-out: demand at zero copies starts one, whose model fetch keeps failing.
    ComponentKey key = new ComponentKey(ns.name(), "tiny");
    metrics.holding(key, 1);
    tiny.awaitReplicas(1);
    metrics.holding(key, 0);
    InferenceComponent failing = awaitStatusSaysFailing(awaitFailedAgain());
    assertThat(failing.getStatus().condition(Condition.READY).status()).isEqualTo("False");

    // The operator's clock to 2 s before the copy stopped being ready (for a copy never ready,
    // when kubelet first reported it): the last request is over 60 s old, so the idle window has
    // passed, but the copy still counts as starting; once it has not been ready for the bound, the
    // idle window takes it.
    StuckCopyBound.assertIdleWindowWaitsForTheBound(
        tiny, clock, tiny.onlyPodConditionSince("Ready", "False"), BOUND, "failing and not ready");
    assertThat(agent.failingCopiesRemoved()).isEqualTo(1);
    assertThat(agent.startingCopiesRemoved()).isZero();

    InferenceComponent scaled =
        tiny.awaitComponent(c -> "ScaledToZero".equals(c.getStatus().state()));
    assertThat(scaled.getStatus().condition(Condition.READY).reason()).isEqualTo("ScaledToZero");
  }

  // --- helpers -----------------------------------------------------------------------------

  /** Waits for Ready's reason CopiesFailing, and checks it came within seconds of {@code at}. */
  private InferenceComponent awaitStatusSaysFailing(Instant at) {
    return tiny.awaitStatusWithin(
        c -> "CopiesFailing".equals(c.getStatus().condition(Condition.READY).reason()),
        at,
        STATUS_WITHIN,
        "fetch reported failed again");
  }

  private Instant awaitFailedAgain() {
    return await()
        .atMost(TIMEOUT)
        .until(agent::firstFailedAgain, Optional::isPresent)
        .orElseThrow();
  }
}
