package dev.ebb.reconciler.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.reconciler.endpoint.EndpointPlan.Adopt;
import dev.ebb.reconciler.endpoint.EndpointPlan.CheckComponents;
import dev.ebb.reconciler.endpoint.EndpointPlan.CheckOwnership;
import dev.ebb.reconciler.endpoint.EndpointPlan.CreateConfig;
import dev.ebb.reconciler.endpoint.EndpointPlan.CreateEndpoint;
import dev.ebb.reconciler.endpoint.EndpointPlan.CreateModel;
import dev.ebb.reconciler.endpoint.EndpointPlan.DeleteConfig;
import dev.ebb.reconciler.endpoint.EndpointPlan.DeleteEndpoint;
import dev.ebb.reconciler.endpoint.EndpointPlan.DeleteModel;
import dev.ebb.reconciler.endpoint.EndpointPlan.Desired;
import dev.ebb.reconciler.endpoint.EndpointPlan.Failed;
import dev.ebb.reconciler.endpoint.EndpointPlan.InSync;
import dev.ebb.reconciler.endpoint.EndpointPlan.NotOwned;
import dev.ebb.reconciler.endpoint.EndpointPlan.Observed;
import dev.ebb.reconciler.endpoint.EndpointPlan.ObservedEndpoint;
import dev.ebb.reconciler.endpoint.EndpointPlan.RollbackFailed;
import dev.ebb.reconciler.endpoint.EndpointPlan.RolledBack;
import dev.ebb.reconciler.endpoint.EndpointPlan.Step;
import dev.ebb.reconciler.endpoint.EndpointPlan.UpdateEndpoint;
import dev.ebb.reconciler.endpoint.EndpointPlan.UpdateWeights;
import dev.ebb.reconciler.endpoint.EndpointPlan.VariantsChanged;
import dev.ebb.reconciler.endpoint.EndpointPlan.Wait;
import dev.ebb.reconciler.endpoint.EndpointPlan.WaitForComponents;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointPlanTest {
  private static final Map<String, Double> AB = Map.of("A", 0.7, "B", 0.3);
  private static final Desired DESIRED =
      new Desired("ep", "ep-cfg2", Set.of("ep-a-m2", "ep-b-m1"), AB, false);
  private static final Desired ADOPTING =
      new Desired("ep", "ep-cfg2", Set.of("ep-a-m2", "ep-b-m1"), AB, true);

  private static Observed observed(
      ObservedEndpoint endpoint, Set<String> models, Set<String> configs) {
    return new Observed(Optional.ofNullable(endpoint), models, configs);
  }

  private static ObservedEndpoint endpoint(
      String status, String config, Map<String, Double> weights) {
    return new ObservedEndpoint(
        status, config, status.equals("Failed") ? "image not found" : null, weights, true);
  }

  static Stream<Arguments> rows() {
    Set<String> models = Set.of("ep-a-m2", "ep-b-m1");
    return Stream.of(
        Arguments.of(
            "nothing exists", observed(null, Set.of(), Set.of()), new CreateModel("ep-a-m2")),
        Arguments.of(
            "one model exists",
            observed(null, Set.of("ep-a-m2"), Set.of()),
            new CreateModel("ep-b-m1")),
        Arguments.of("models exist", observed(null, models, Set.of()), new CreateConfig("ep-cfg2")),
        Arguments.of(
            "config exists",
            observed(null, models, Set.of("ep-cfg2")),
            new CreateEndpoint("ep-cfg2")),
        Arguments.of(
            "creating",
            observed(endpoint("Creating", "ep-cfg2", AB), models, Set.of("ep-cfg2")),
            new Wait("Creating")),
        Arguments.of(
            "in service, in sync",
            observed(endpoint("InService", "ep-cfg2", AB), models, Set.of("ep-cfg2")),
            new InSync()),
        Arguments.of(
            "spec changed: new config rolls",
            observed(
                endpoint("InService", "ep-cfg1", AB),
                Set.of("ep-a-m1", "ep-a-m2", "ep-b-m1"),
                Set.of("ep-cfg1", "ep-cfg2")),
            new UpdateEndpoint("ep-cfg2")),
        Arguments.of(
            "rolling",
            observed(endpoint("Updating", "ep-cfg1", AB), models, Set.of("ep-cfg1", "ep-cfg2")),
            new Wait("Updating")),
        Arguments.of(
            "rolled: old config goes first",
            observed(
                endpoint("InService", "ep-cfg2", AB),
                Set.of("ep-a-m1", "ep-a-m2", "ep-b-m1"),
                Set.of("ep-cfg1", "ep-cfg2")),
            new DeleteConfig("ep-cfg1")),
        Arguments.of(
            "then the old model",
            observed(
                endpoint("InService", "ep-cfg2", AB),
                Set.of("ep-a-m1", "ep-a-m2", "ep-b-m1"),
                Set.of("ep-cfg2")),
            new DeleteModel("ep-a-m1")),
        Arguments.of(
            "weights only: no new config",
            observed(
                endpoint("InService", "ep-cfg2", Map.of("A", 0.5, "B", 0.5)),
                models,
                Set.of("ep-cfg2")),
            new UpdateWeights(AB)),
        Arguments.of(
            "weights equal as floats",
            observed(
                endpoint("InService", "ep-cfg2", Map.of("A", (double) 0.7f, "B", (double) 0.3f)),
                models,
                Set.of("ep-cfg2")),
            new InSync()),
        Arguments.of(
            "failed on the desired config: stalled",
            observed(endpoint("Failed", "ep-cfg2", AB), models, Set.of("ep-cfg2")),
            new Failed("image not found")),
        Arguments.of(
            "failed on an old config: replaced",
            observed(endpoint("Failed", "ep-cfg1", AB), models, Set.of("ep-cfg1", "ep-cfg2")),
            new DeleteEndpoint("endpoint failed; replacing it with config ep-cfg2")));
  }

  static Stream<Arguments> ownership() {
    Set<String> models = Set.of("ep-a-m2", "ep-b-m1");
    ObservedEndpoint theirs = endpoint("InService", "their-cfg", AB).withOwned(false);
    ObservedEndpoint unknown = new ObservedEndpoint("InService", "their-cfg", null, AB, null);
    return Stream.of(
        Arguments.of(
            "steady: ownership is not looked up",
            DESIRED,
            observed(
                new ObservedEndpoint("InService", "ep-cfg2", null, AB, null),
                models,
                Set.of("ep-cfg2")),
            new InSync()),
        Arguments.of(
            "a change to an endpoint of unknown owner: look first",
            DESIRED,
            observed(unknown, models, Set.of("ep-cfg2")),
            new CheckOwnership()),
        Arguments.of(
            "nothing is created for a name someone else holds",
            DESIRED,
            observed(unknown, Set.of(), Set.of()),
            new CheckOwnership()),
        Arguments.of(
            "someone else's endpoint, adopt false: left alone",
            DESIRED,
            observed(theirs, Set.of(), Set.of()),
            new NotOwned("ep")),
        Arguments.of(
            "someone else's endpoint, adopt true: taken over",
            ADOPTING,
            observed(theirs, models, Set.of("ep-cfg2")),
            new Adopt()),
        Arguments.of(
            "adopted: rolled to Ebb's config",
            ADOPTING,
            observed(theirs.withOwned(true), models, Set.of("ep-cfg2")),
            new UpdateEndpoint("ep-cfg2")));
  }

  /**
   * What Ebb deployed last (status) against what SageMaker shows: a rollback is never deployed
   * again until the spec changes, a failed rollback stalls, and a blue/green rollout keeps the
   * variant names.
   */
  static Stream<Arguments> deployments() {
    Set<String> models = Set.of("ep-a-m2", "ep-b-m1");
    Set<String> configs = Set.of("ep-cfg1", "ep-cfg2");
    Desired deployedCfg2 = DESIRED.withLastDeployment("ep-cfg2");
    Desired deployedCfg1 = DESIRED.withLastDeployment("ep-cfg1");
    ObservedEndpoint rolledBack =
        new ObservedEndpoint("InService", "ep-cfg1", "alarm ep-5xx in ALARM", AB, true);
    ObservedEndpoint rollbackFailed =
        new ObservedEndpoint("UpdateRollbackFailed", "ep-cfg1", "rollback failed", AB, true);
    return Stream.of(
        Arguments.of(
            "rolled back: not deployed again",
            deployedCfg2,
            observed(rolledBack, models, configs),
            new RolledBack("ep-cfg2", "alarm ep-5xx in ALARM", null)),
        Arguments.of(
            "rolled back, then the spec changed: deployed",
            deployedCfg1,
            observed(rolledBack, models, configs),
            new UpdateEndpoint("ep-cfg2")),
        Arguments.of(
            "another config live without a reason (changed outside Ebb): deployed again",
            deployedCfg2,
            observed(endpoint("InService", "ep-cfg1", AB), models, configs),
            new UpdateEndpoint("ep-cfg2")),
        Arguments.of(
            "rolling back: wait",
            deployedCfg2,
            observed(endpoint("RollingBack", "ep-cfg1", AB), models, configs),
            new Wait("RollingBack")),
        Arguments.of(
            "update and rollback failed on this spec: stalled, not waited on",
            deployedCfg2,
            observed(rollbackFailed, models, configs),
            new RollbackFailed("ep-cfg2", "rollback failed")),
        Arguments.of(
            "update and rollback failed, then the spec changed: deployed",
            deployedCfg1,
            observed(rollbackFailed, models, configs),
            new UpdateEndpoint("ep-cfg2")),
        Arguments.of(
            "blue/green rollout with the live variant names: deployed",
            DESIRED.withBlueGreenRollout(),
            observed(endpoint("InService", "ep-cfg1", AB), models, configs),
            new UpdateEndpoint("ep-cfg2")),
        Arguments.of(
            "blue/green rollout renaming a variant: refused",
            DESIRED.withBlueGreenRollout(),
            observed(endpoint("InService", "ep-cfg1", Map.of("A", 0.7, "C", 0.3)), models, configs),
            new VariantsChanged(new TreeSet<>(Set.of("A", "C")), new TreeSet<>(Set.of("A", "B")))),
        Arguments.of(
            "default deployment renaming a variant: deployed",
            DESIRED,
            observed(endpoint("InService", "ep-cfg1", Map.of("A", 0.7, "C", 0.3)), models, configs),
            new UpdateEndpoint("ep-cfg2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployments")
  void deploymentsRolledBackOrRefusedAreNotRepeated(
      String situation, Desired desired, Observed observed, Step expected) {
    assertThat(EndpointPlan.next(desired, observed)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownership")
  void ownershipDecidesWhetherEbbTouchesAnEndpoint(
      String situation, Desired desired, Observed observed, Step expected) {
    assertThat(EndpointPlan.next(desired, observed)).isEqualTo(expected);
  }

  @Test
  void teardownLeavesSomeoneElsesEndpointButRemovesWhatEbbCreated() {
    var theirs = endpoint("InService", "c1", AB).withOwned(false);
    assertThat(EndpointPlan.nextTeardown(observed(theirs, Set.of("m1"), Set.of("c1"))))
        .isEqualTo(new DeleteConfig("c1"));
    var unknown = new ObservedEndpoint("InService", "c1", null, AB, null);
    assertThat(EndpointPlan.nextTeardown(observed(unknown, Set.of(), Set.of())))
        .isEqualTo(new CheckOwnership());
  }

  @Test
  void teardownWaitsWhileComponentsRemainOnTheEndpoint() {
    var hosting = endpoint("InService", "c1", AB).withHostedComponents(List.of("ic-a", "ic-b"));
    assertThat(EndpointPlan.nextTeardown(observed(hosting, Set.of("m1"), Set.of("c1"))))
        .isEqualTo(new WaitForComponents(List.of("ic-a", "ic-b")));
    // Someone else's endpoint is never deleted, so its components are never waited for.
    var theirs = hosting.withOwned(false);
    assertThat(EndpointPlan.nextTeardown(observed(theirs, Set.of(), Set.of("c1"))))
        .isEqualTo(new DeleteConfig("c1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void nextStep(String situation, Observed observed, Step expected) {
    assertThat(EndpointPlan.next(DESIRED, observed)).isEqualTo(expected);
  }

  /**
   * A crash after any step leaves SageMaker in one of the states this walk passes through; because
   * the plan is computed from what exists, replaying from any of them reaches the same end with no
   * step repeated.
   */
  @Test
  void walkingThePlanFromAnyPointConvergesWithoutRepeatingAStep() {
    var models = new HashSet<String>();
    var configs = new HashSet<String>();
    ObservedEndpoint endpoint = null;
    var seen = new HashSet<Step>();
    for (int i = 0; i < 10; i++) {
      Step step =
          EndpointPlan.next(DESIRED, observed(endpoint, Set.copyOf(models), Set.copyOf(configs)));
      assertThat(seen.add(step)).as("step %s repeated", step).isTrue();
      if (step instanceof CreateModel m) {
        models.add(m.modelName());
      } else if (step instanceof CreateConfig c) {
        configs.add(c.configName());
      } else if (step instanceof CreateEndpoint e) {
        endpoint = endpoint("InService", e.configName(), AB);
      } else if (step instanceof InSync) {
        assertThat(models).isEqualTo(DESIRED.models());
        assertThat(configs).containsExactly("ep-cfg2");
        return;
      } else {
        throw new AssertionError("unexpected " + step);
      }
    }
    throw new AssertionError("did not converge");
  }

  @Test
  void teardownGoesEndpointThenConfigsThenModels() {
    var models = Set.of("m1");
    var configs = Set.of("c1");
    var inService = endpoint("InService", "c1", AB);
    assertThat(EndpointPlan.nextTeardown(observed(inService, models, configs)))
        .isEqualTo(new CheckComponents());
    assertThat(
            EndpointPlan.nextTeardown(
                observed(inService.withHostedComponents(List.of()), models, configs)))
        .isInstanceOf(DeleteEndpoint.class);
    assertThat(EndpointPlan.nextTeardown(observed(endpoint("Deleting", "c1", AB), models, configs)))
        .isEqualTo(new Wait("Deleting"));
    assertThat(EndpointPlan.nextTeardown(observed(null, models, configs)))
        .isEqualTo(new DeleteConfig("c1"));
    assertThat(EndpointPlan.nextTeardown(observed(null, models, Set.of())))
        .isEqualTo(new DeleteModel("m1"));
    assertThat(EndpointPlan.nextTeardown(observed(null, Set.of(), Set.of())))
        .isEqualTo(new InSync());
  }
}
