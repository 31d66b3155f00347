package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.ScalingActivity;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.LocalTimingsResource;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestClock;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

  private static final KubernetesClient client = EmbeddedApiServer.newClient();

  @Inject TestClock clock;
  @Inject LocalMetrics metrics;

  private String ns;
  private FakeNodeAgent agent;

  @BeforeEach
  void namespace() {
    ns = TestNamespace.create(client, "failing");
    agent =
        new FakeNodeAgent(
                client, ns, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100))
            .failFetches(NO_SUCH_KEY);
  }

  @AfterEach
  void cleanUp() {
    // Deleting the policies stops the loop evaluating them before the clock jumps.
    client.resources(ScalingPolicy.class).inNamespace(ns).delete();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.resources(ScalingPolicy.class).inNamespace(ns).list().getItems().isEmpty());
    clock.reset();
    agent.close();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void aFetchThatKeepsFailingIsInTheStatusWithTheFetchersLineWithinSecondsAndTheDataHealsIt() {
    apply(LocalManifests.fetchingComponent(1));

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
    awaitWarning("CopiesFailing", NO_SUCH_KEY);

    // As the API server has it: the line is the last termination's message, typed state beside.
    ContainerStatus fetch = onlyPod().getStatus().getInitContainerStatuses().get(0);
    assertThat(fetch.getRestartCount()).isPositive();
    assertThat(fetch.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(fetch.getLastState().getTerminated().getMessage()).isEqualTo(NO_SUCH_KEY + "\n");

    // The data is uploaded: the next attempt fetches it, and the copy serves.
    agent.failFetches(null);
    InferenceComponent serving =
        awaitComponent(c -> "Serving".equals(c.getStatus().condition(Condition.READY).reason()));
    assertThat(serving.getStatus().condition(Condition.READY).status()).isEqualTo("True");
    assertThat(serving.getStatus().condition(Condition.READY).message())
        .isEqualTo("1 of 1 copies ready on this cluster.");
    assertThat(serving.getStatus().condition(Condition.RECONCILING)).isNull();
    assertThat(replicas()).as("no policy: nothing was scaled").isEqualTo(1);
  }

  @Test
  void theIdleWindowTakesACopyThatKeepsFailingAfterTheBoundAndNotBefore() {
    // The last request will be 65 s old when the clock is moved back to the present below.
    clock.advance(Duration.ofSeconds(-65));
    apply(
        LocalManifests.fetchingComponent(0)
            + """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: tiny}
            spec:
              targetRef: {kind: InferenceComponent, name: tiny}
              minCapacity: 0
              maxCapacity: 2
              scaleFromZero: {adjustment: 1}
              idle: {scaleToZeroAfterSeconds: 60}
            """);
    LocalManifests.awaitPolicyTracked(client, ns, TIMEOUT);

    // A scale-out: demand at zero copies starts one, whose model fetch keeps failing.
    ComponentKey key = new ComponentKey(ns, "tiny");
    metrics.holding(key, 1);
    await().atMost(TIMEOUT).until(() -> replicas() == 1);
    metrics.holding(key, 0);
    InferenceComponent failing = awaitStatusSaysFailing(awaitFailedAgain());
    assertThat(failing.getStatus().condition(Condition.READY).status()).isEqualTo("False");

    // The operator's clock to 2 s before the copy stopped being ready (for a copy never ready,
    // when kubelet first reported it): the last request is over 60 s old, so the idle window has
    // passed, but the copy still counts as starting.
    Instant since = notReadySince();
    clock.setTo(since.minusSeconds(2));
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> replicas() == 1);
    assertThat(policy().getStatus().lastScalingActivity().to())
        .as("only the scale-out so far")
        .isEqualTo(1);

    // Once it has not been ready for the bound, the idle window takes it.
    await().atMost(TIMEOUT).until(() -> replicas() == 0);
    ScalingActivity idle =
        await()
            .atMost(TIMEOUT)
            .until(() -> policy().getStatus().lastScalingActivity(), a -> a.to() == 0);
    assertThat(idle.cause()).contains("no requests for 60 s");
    assertThat(Instant.parse(idle.time()))
        .as("not before the copy was failing and not ready for the bound")
        .isAfterOrEqualTo(since.plus(BOUND));
    assertThat(agent.failingCopiesRemoved()).isEqualTo(1);
    assertThat(agent.startingCopiesRemoved()).isZero();

    InferenceComponent scaled = awaitComponent(c -> "ScaledToZero".equals(c.getStatus().state()));
    assertThat(scaled.getStatus().condition(Condition.READY).reason()).isEqualTo("ScaledToZero");
  }

  // --- helpers -----------------------------------------------------------------------------

  /** Waits for Ready's reason CopiesFailing, and checks it came within seconds of {@code at}. */
  private InferenceComponent awaitStatusSaysFailing(Instant at) {
    InferenceComponent failing =
        awaitComponent(
            c -> "CopiesFailing".equals(c.getStatus().condition(Condition.READY).reason()));
    Duration took = Duration.between(at, Instant.now());
    System.out.printf(
        "[ebb-tests] fetch reported failed again -> the component's status says so in %d ms%n",
        took.toMillis());
    assertThat(took).isLessThan(STATUS_WITHIN);
    return failing;
  }

  private Instant awaitFailedAgain() {
    return await()
        .atMost(TIMEOUT)
        .until(agent::firstFailedAgain, java.util.Optional::isPresent)
        .orElseThrow();
  }

  private Pod onlyPod() {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("ebb.dev/inference-component", "tiny")
        .list()
        .getItems()
        .get(0);
  }

  /** The Ready=False transition time of the component's only pod, as the API has it. */
  private Instant notReadySince() {
    return onlyPod().getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()))
        .map(c -> Instant.parse(c.getLastTransitionTime()))
        .findFirst()
        .orElseThrow();
  }

  private void awaitWarning(String reason, String contained) {
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(
                        (Event e) ->
                            "InferenceComponent".equals(e.getInvolvedObject().getKind())
                                && "tiny".equals(e.getInvolvedObject().getName()))
                    .anyMatch(
                        e ->
                            "Warning".equals(e.getType())
                                && reason.equals(e.getReason())
                                && e.getMessage().contains(contained)));
  }

  private void apply(String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(ns)
        .serverSideApply();
  }

  private int replicas() {
    Deployment d = client.apps().deployments().inNamespace(ns).withName("tiny").get();
    return d == null ? -1 : d.getSpec().getReplicas();
  }

  private ScalingPolicy policy() {
    return client.resources(ScalingPolicy.class).inNamespace(ns).withName("tiny").get();
  }

  private InferenceComponent awaitComponent(Predicate<InferenceComponent> condition) {
    return await()
        .pollInterval(Duration.ofMillis(100))
        .atMost(TIMEOUT)
        .until(
            () -> client.resources(InferenceComponent.class).inNamespace(ns).withName("tiny").get(),
            c -> c != null && c.getStatus() != null && condition.test(c));
  }
}
