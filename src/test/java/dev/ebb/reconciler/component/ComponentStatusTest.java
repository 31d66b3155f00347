package dev.ebb.reconciler.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.local.FailingCopies;
import dev.ebb.local.UnschedulableCopies;
import dev.ebb.reconciler.Reasons;
import dev.ebb.testing.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComponentStatusTest {
  private static final String COMPONENT_YAML =
      """
      apiVersion: ebb.dev/v1alpha1
      kind: InferenceComponent
      metadata: {name: llama}
      spec:
        endpointRef: {name: llm}
        variant: AllTraffic
        model: {image: tgi:latest}
        resources: {memoryMb: 1024}
      """;
  private static final InferenceComponent COMPONENT =
      Manifests.parse(InferenceComponent.class, COMPONENT_YAML, 2);

  /** endpoint: none, or a variant declaration for endpoint llm. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "none                                               | EndpointNotFound | Pending | false",
        "{name: Other, instanceType: ml.g5.xlarge}          | VariantNotFound | Invalid | true",
        "{name: AllTraffic, serverless: {memorySizeMb: 2048, maxConcurrency: 5}} | IncompatibleVariant | Invalid | true",
      })
  void placement(String variant, String reason, String state, boolean stalled) {
    Optional<InferenceEndpoint> endpoint =
        variant.equals("none")
            ? Optional.empty()
            : Optional.of(
                Manifests.parse(
                    InferenceEndpoint.class,
                    """
                    apiVersion: ebb.dev/v1alpha1
                    kind: InferenceEndpoint
                    metadata: {name: llm}
                    spec: {backend: sagemaker, variants: [%s]}
                    """
                        .formatted(variant),
                    1));

    var status = ComponentStatus.desired(COMPONENT, endpoint, Instant.EPOCH);

    assertThat(status.observedGeneration()).isEqualTo(2L);
    assertThat(status.state()).isEqualTo(state);
    assertThat(status.condition(Condition.READY))
        .returns("False", Condition::status)
        .returns(reason, Condition::reason);
    assertThat(status.condition(Condition.STALLED) != null).isEqualTo(stalled);
    assertThat(status.copies().current()).as("nothing runs yet").isZero();
    assertThat(status.selector()).isEqualTo("ebb.dev/inference-component=llama");
  }

  /** A field the endpoint's backend would ignore is refused by name, on either backend. */
  @ParameterizedTest(name = "{1} on backend {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "local     | sagemaker: {inferenceComponentName: llama-ic}",
        "sagemaker | local: {metrics: {port: 9000}}",
      })
  void aFieldTheBackendDoesNotReadIsRefused(String backend, String field) {
    InferenceEndpoint endpoint =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm}
            spec: {backend: %s, variants: [{name: AllTraffic%s}]}
            """
                .formatted(
                    backend, backend.equals("sagemaker") ? ", instanceType: ml.g5.xlarge" : ""),
            1);
    InferenceComponent component =
        Manifests.parse(InferenceComponent.class, COMPONENT_YAML + "  " + field + "\n", 2);

    assertThat(ComponentStatus.placeable(component, Optional.of(endpoint))).isFalse();
    var status = ComponentStatus.desired(component, Optional.of(endpoint), Instant.EPOCH);
    assertThat(status.condition(Condition.STALLED))
        .returns("True", Condition::status)
        .returns(Reasons.UNSUPPORTED_FIELD, Condition::reason);
    assertThat(status.condition(Condition.STALLED).message())
        .startsWith("spec." + field.substring(0, field.indexOf(':')) + " is only read on backend ");
  }

  @Test
  void aMissingEndpointIsNamedWithItsNamespace() {
    var status = ComponentStatus.desired(COMPONENT, Optional.empty(), Instant.EPOCH);
    assertThat(status.condition(Condition.READY).reason()).isEqualTo(Reasons.ENDPOINT_NOT_FOUND);
    assertThat(status.condition(Condition.READY).message())
        .isEqualTo(
            "InferenceEndpoint llm does not exist in namespace ml; the component waits for it.");
  }

  /**
   * status.models is the only record of the models Ebb made (nothing lists them): a pass that does
   * not look at SageMaker (endpoint missing or not in service) keeps it as it was.
   */
  @Test
  void passesThatDoNotLookAtSageMakerKeepTheModelsRecorded() {
    InferenceComponent component = Manifests.parse(InferenceComponent.class, COMPONENT_YAML, 2);
    component.setStatus(
        new dev.ebb.api.v1alpha1.InferenceComponentStatus(
            2L,
            List.of(),
            "InService",
            "llama",
            null,
            null,
            null,
            null,
            null,
            null,
            "k",
            null,
            List.of("llama-0a1b2c3d", "llama-9f8e7d6c")));

    assertThat(ComponentStatus.desired(component, Optional.empty(), NOW).models())
        .containsExactly("llama-0a1b2c3d", "llama-9f8e7d6c");
    assertThat(ComponentStatus.endpointNotReady(component, "llm", NOW).models())
        .containsExactly("llama-0a1b2c3d", "llama-9f8e7d6c");
  }

  private static final Duration BOUND = Duration.ofMinutes(10);
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final String NO_GPU = "0/1 nodes are available: 1 Insufficient nvidia.com/gpu.";

  /**
   * Backend local: copies ready and asked for, how many the scheduler cannot place (each waiting
   * since 09:58:00 and later), and how many keep failing, to the state and the conditions.
   */
  @ParameterizedTest(name = "{0} ready of {1}, {2} unschedulable, {3} failing -> {5}")
  @CsvSource(
      delimiter = '|',
      value = {
        // ready | desired | unschedulable | failing | state | Ready | reason | Reconciling |
        // CopiesSchedulable
        "0 | 0 | 0 | 0 | ScaledToZero | True  | ScaledToZero   | -    | True",
        "2 | 2 | 0 | 0 | Serving      | True  | Serving        | -    | True",
        "0 | 1 | 0 | 0 | Pending      | False | CopiesStarting | True | True",
        "1 | 2 | 0 | 0 | Serving      | True  | CopiesStarting | True | True",
        "0 | 1 | 1 | 0 | Pending      | False | Unschedulable  | True | False",
        "1 | 2 | 1 | 0 | Serving      | True  | Unschedulable  | True | False",
        "1 | 3 | 2 | 0 | Serving      | True  | Unschedulable  | True | False",
        "2 | 2 | 1 | 0 | Serving      | True  | Serving        | -    | False",
        // A copy that keeps failing: not Stalled, kubelet keeps retrying.
        "0 | 1 | 0 | 1 | Pending      | False | CopiesFailing  | True | True",
        "1 | 2 | 0 | 1 | Serving      | True  | CopiesFailing  | True | True",
        "0 | 3 | 1 | 1 | Pending      | False | CopiesFailing  | True | False",
        "1 | 3 | 1 | 1 | Serving      | True  | CopiesFailing  | True | False",
        // Every copy asked for serves; the failing one is a rollout's extra pod.
        "1 | 1 | 0 | 1 | Serving      | True  | Serving        | -    | True",
        // Scaled to zero by choice: a failing pod on its way out changes nothing.
        "0 | 0 | 0 | 1 | ScaledToZero | True  | ScaledToZero   | -    | True",
      })
  void local(
      int ready,
      int desired,
      int unschedulable,
      int failing,
      String state,
      String readyStatus,
      String reason,
      String reconciling,
      String schedulable) {
    var status =
        ComponentStatus.local(
            COMPONENT,
            ready,
            desired,
            waiting(unschedulable),
            failing(failing, 6),
            BOUND,
            null,
            NOW);

    assertThat(status.state()).isEqualTo(state);
    assertThat(status.condition(Condition.READY))
        .returns(readyStatus, Condition::status)
        .returns(reason, Condition::reason);
    if (reconciling.equals("-")) {
      assertThat(status.condition(Condition.RECONCILING)).isNull();
    } else {
      assertThat(status.condition(Condition.RECONCILING))
          .returns(reconciling, Condition::status)
          .returns(reason, Condition::reason);
    }
    Condition copiesSchedulable = status.condition(Condition.COPIES_SCHEDULABLE);
    assertThat(copiesSchedulable.status()).isEqualTo(schedulable);
    assertThat(copiesSchedulable.reason())
        .isEqualTo(schedulable.equals("False") ? Reasons.UNSCHEDULABLE : reason);
    assertThat(status.condition(Condition.STALLED))
        .as("a node may yet be added, the data or image fixed")
        .isNull();
    assertThat(status.copies().current()).isEqualTo(ready);
    assertThat(status.copies().desired()).isEqualTo(desired);
  }

  @Test
  void atZeroCopiesTheStatusSaysWhatARequestWillDo() {
    var wakes =
        ComponentStatus.local(
            COMPONENT,
            0,
            0,
            List.of(),
            List.of(),
            BOUND,
            null,
            new dev.ebb.local.WakeRule.Wakes("llama", 1, 1, java.time.Duration.ofSeconds(60)),
            NOW);
    assertThat(wakes.condition(Condition.SCALED_TO_ZERO).message())
        .isEqualTo(
            "Scaled to zero copies; the next request starts one (ScalingPolicy llama,"
                + " scaleFromZero).");
    var parked =
        ComponentStatus.local(
            COMPONENT,
            0,
            0,
            List.of(),
            List.of(),
            BOUND,
            null,
            new dev.ebb.local.WakeRule.ParkedBySchedule("llama"),
            NOW);
    assertThat(parked.condition(Condition.READY).message())
        .isEqualTo(
            "Scaled to zero copies; requests are refused while ScalingPolicy llama holds max"
                + " capacity at 0 (a scheduled action).");
    var noPolicy = ComponentStatus.local(COMPONENT, 0, 0, List.of(), List.of(), BOUND, null, NOW);
    assertThat(noPolicy.condition(Condition.READY).message())
        .contains("no ScalingPolicy targets it")
        .doesNotContain("starts one");
  }

  @Test
  void aFailingCopyIsToldWithItsContainerItsStateAndTheEndOfItsLastWords() {
    var one = ComponentStatus.local(COMPONENT, 0, 1, List.of(), failing(1, 6), BOUND, null, NOW);
    assertThat(one.condition(Condition.READY).message())
        .isEqualTo(
            "0 of 1 copies ready; 1 failing: container fetch-model CrashLoopBackOff after 6"
                + " restarts, last exit 1: "
                + NO_SUCH_KEY
                + ".");
    assertThat(one.condition(Condition.RECONCILING).message())
        .isEqualTo(one.condition(Condition.READY).message());
    assertThat(one.condition(Condition.SCALED_TO_ZERO).message())
        .isEqualTo("Copies are asked for.");

    var mixed = ComponentStatus.local(COMPONENT, 1, 4, waiting(1), failing(1, 6), BOUND, null, NOW);
    assertThat(mixed.condition(Condition.READY).message())
        .isEqualTo(
            "1 of 4 copies ready; 1 failing: container fetch-model CrashLoopBackOff after 6"
                + " restarts, last exit 1: "
                + NO_SUCH_KEY
                + "; 1 cannot be scheduled: "
                + NO_GPU
                + " The others are starting.");

    var extra = ComponentStatus.local(COMPONENT, 1, 1, List.of(), failing(1, 2), BOUND, null, NOW);
    assertThat(extra.condition(Condition.READY).message())
        .isEqualTo(
            "1 of 1 copies ready on this cluster; 1 more failing: container fetch-model"
                + " CrashLoopBackOff after 2 restarts, last exit 1: "
                + NO_SUCH_KEY
                + ".");
  }

  @Test
  void aBackOffRewritesTheMessageButNotTheTransitionTime() {
    var component = Manifests.parse(InferenceComponent.class, COMPONENT_YAML, 2);
    var failing =
        ComponentStatus.local(component, 0, 1, List.of(), failing(1, 6), BOUND, null, NOW);
    component.setStatus(failing);
    var again =
        ComponentStatus.local(
            component, 0, 1, List.of(), failing(1, 6), BOUND, null, NOW.plusSeconds(30));
    assertThat(again).as("an unchanged situation is an unchanged status").isEqualTo(failing);

    var later =
        ComponentStatus.local(
            component, 0, 1, List.of(), failing(1, 7), BOUND, null, NOW.plusSeconds(300));
    assertThat(later.condition(Condition.READY).message()).contains("after 7 restarts");
    assertThat(later.condition(Condition.READY).lastTransitionTime())
        .isEqualTo(failing.condition(Condition.READY).lastTransitionTime());
    assertThat(later.condition(Condition.READY).reason()).isEqualTo(Reasons.COPIES_FAILING);
  }

  @Test
  void anUnschedulableCopyIsToldWithTheSchedulersMessageSinceWhenAndUntilWhenItCountsAsStarting() {
    var one = ComponentStatus.local(COMPONENT, 0, 1, waiting(1), List.of(), BOUND, null, NOW);

    assertThat(one.condition(Condition.COPIES_SCHEDULABLE).message())
        .isEqualTo(
            "1 copy cannot be scheduled since 2026-12-06T09:58:00Z: "
                + NO_GPU
                + " It counts as starting until 2026-12-06T10:08:00Z"
                + " (ebb.local.unschedulable-timeout): a ScalingPolicy does not scale it away"
                + " before then.");
    assertThat(one.condition(Condition.READY).message())
        .isEqualTo("0 of 1 copies ready; 1 cannot be scheduled: " + NO_GPU);

    var three = ComponentStatus.local(COMPONENT, 0, 3, waiting(2), List.of(), BOUND, null, NOW);
    assertThat(three.condition(Condition.COPIES_SCHEDULABLE).message())
        .startsWith("2 copies cannot be scheduled, the first since 2026-12-06T09:58:00Z: " + NO_GPU)
        .contains("The first counts as starting until 2026-12-06T10:08:00Z");
    assertThat(three.condition(Condition.READY).message())
        .isEqualTo(
            "0 of 3 copies ready; 2 cannot be scheduled: " + NO_GPU + " The others are starting.");
  }

  @Test
  void theConditionTurnsTrueAgainWhenTheCopiesAreScheduledAndOnlyThenChangesItsTransitionTime() {
    var component = Manifests.parse(InferenceComponent.class, COMPONENT_YAML, 2);
    var waiting = ComponentStatus.local(component, 0, 1, waiting(1), List.of(), BOUND, null, NOW);
    component.setStatus(waiting);
    var later =
        ComponentStatus.local(
            component, 0, 1, waiting(1), List.of(), BOUND, null, NOW.plusSeconds(30));
    assertThat(later).as("an unchanged situation is an unchanged status").isEqualTo(waiting);

    component.setStatus(later);
    var scheduled =
        ComponentStatus.local(
            component, 0, 1, List.of(), List.of(), BOUND, null, NOW.plusSeconds(60));
    assertThat(scheduled.condition(Condition.COPIES_SCHEDULABLE))
        .returns("True", Condition::status)
        .returns(Reasons.COPIES_STARTING, Condition::reason)
        .returns("2026-12-06T10:01:00Z", Condition::lastTransitionTime);
    assertThat(scheduled.condition(Condition.READY).lastTransitionTime())
        .as("Ready stayed False")
        .isEqualTo("2026-12-06T10:00:00Z");
  }

  private static final String NO_SUCH_KEY =
      "fetch-model: s3://models/llama/model.tar.gz: NoSuchKey: The specified key does not exist."
          + " (HTTP 404)";

  /**
   * {@code n} copies whose model fetch keeps failing with NoSuchKey after {@code restarts}, not
   * ready since 09:59:00 and later.
   */
  private static List<FailingCopies.Failing> failing(int n, int restarts) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(
            i ->
                new FailingCopies.Failing(
                    "llama-f" + i,
                    Instant.parse("2026-12-06T09:59:00Z").plusSeconds(60L * i),
                    "fetch-model",
                    true,
                    "CrashLoopBackOff",
                    restarts,
                    1,
                    "Error",
                    NO_SUCH_KEY))
        .toList();
  }

  /** {@code n} copies waiting for a node, the first since 09:58:00, the others a minute apart. */
  private static List<UnschedulableCopies.Waiting> waiting(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(
            i ->
                new UnschedulableCopies.Waiting(
                    "llama-" + i,
                    Instant.parse("2026-12-06T09:58:00Z").plusSeconds(60L * i),
                    NO_GPU))
        .toList();
  }
}
