package dev.ebb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.ScalingActivity;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The component {@code tiny} of {@link LocalManifests} and its ScalingPolicy {@code tiny}, in one
 * test namespace, as the local ITs read and wait on them on the API server. Every wait is bounded
 * by the namespace's timeout, so each IT keeps its own.
 */
public final class TinyComponent {
  private static final String NAME = "tiny";

  private final TestNamespace ns;

  public TinyComponent(TestNamespace ns) {
    this.ns = ns;
  }

  public TinyComponent(KubernetesClient client, String namespace, Duration timeout) {
    this(TestNamespace.of(client, namespace, timeout));
  }

  /** Server-side applies a (multi-document) YAML in the namespace. */
  public void apply(String yaml) {
    ns.apply(yaml);
  }

  /** The Deployment's replicas, or -1 while there is no Deployment. */
  public int replicas() {
    Deployment d = ns.get(Deployment.class, NAME);
    return d == null ? -1 : d.getSpec().getReplicas();
  }

  public void awaitReplicas(int expected) {
    await().atMost(ns.timeout()).until(() -> replicas() == expected);
  }

  /**
   * Asserts the replicas stay at {@code expected} for {@code during} (the check must hold from
   * start to end, and is over by {@code atMost}): that nothing scales when it must not.
   */
  public void awaitReplicasStay(int expected, Duration during, Duration atMost) {
    await().during(during).atMost(atMost).until(() -> replicas() == expected);
  }

  public ScalingPolicy policy() {
    return ns.get(ScalingPolicy.class, NAME);
  }

  /** Waits for the policy to exist, have a status and match {@code condition}. */
  public ScalingPolicy awaitPolicy(Predicate<ScalingPolicy> condition) {
    return ns.awaitStatus(ScalingPolicy.class, NAME, condition);
  }

  /** Waits for the policy's last scaling activity to match {@code condition}; returns it. */
  public ScalingActivity awaitActivity(Predicate<ScalingActivity> condition) {
    return awaitPolicy(
            p ->
                p.getStatus().lastScalingActivity() != null
                    && condition.test(p.getStatus().lastScalingActivity()))
        .getStatus()
        .lastScalingActivity();
  }

  /**
   * Deletes every ScalingPolicy of the namespace and waits until they are gone: that stops the
   * autoscaling loop evaluating them, so a test may then move the operator's clock.
   */
  public void deletePolicies() {
    ns.resources(ScalingPolicy.class).delete();
    await()
        .atMost(ns.timeout())
        .until(() -> ns.resources(ScalingPolicy.class).list().getItems().isEmpty());
  }

  /** Waits for the component to exist, have a status and match {@code condition}. */
  public InferenceComponent awaitComponent(Predicate<InferenceComponent> condition) {
    // 100 ms is Awaitility's default interval, stated: the status-latency checks rely on it.
    return await()
        .pollInterval(Duration.ofMillis(100))
        .atMost(ns.timeout())
        .until(
            () -> ns.get(InferenceComponent.class, NAME),
            c -> c != null && c.getStatus() != null && condition.test(c));
  }

  /**
   * Waits for the component to match {@code condition}, and asserts that came less than {@code
   * within} after {@code since} (when the node agent reported {@code what}); prints how long it
   * took.
   */
  public InferenceComponent awaitStatusWithin(
      Predicate<InferenceComponent> condition, Instant since, Duration within, String what) {
    InferenceComponent component = awaitComponent(condition);
    Duration took = Duration.between(since, Instant.now());
    System.out.printf(
        "[ebb-tests] %s -> the component's status says so in %d ms%n", what, took.toMillis());
    assertThat(took).isLessThan(within);
    return component;
  }

  /** The first pod of the component (the ITs that use it run one copy). */
  public Pod onlyPod() {
    return ns.resources(Pod.class)
        .withLabel("ebb.dev/inference-component", NAME)
        .list()
        .getItems()
        .get(0);
  }

  /**
   * The last transition time of the only pod's condition {@code type} with status {@code status},
   * as the API has it; fails if the pod has no such condition.
   */
  public Instant onlyPodConditionSince(String type, String status) {
    return onlyPod().getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(c -> Instant.parse(c.getLastTransitionTime()))
        .findFirst()
        .orElseThrow();
  }

  /** Waits for a Warning event on the component with {@code reason}, its message containing. */
  public void awaitWarning(String reason, String contained) {
    await()
        .atMost(ns.timeout())
        .until(
            () ->
                ns.resources(Event.class).list().getItems().stream()
                    .filter(
                        (Event e) ->
                            "InferenceComponent".equals(e.getInvolvedObject().getKind())
                                && NAME.equals(e.getInvolvedObject().getName()))
                    .anyMatch(
                        e ->
                            "Warning".equals(e.getType())
                                && reason.equals(e.getReason())
                                && e.getMessage().contains(contained)));
  }
}
