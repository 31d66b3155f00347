package dev.ebb.reconciler.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.reconciler.component.ComponentPlan.Adopt;
import dev.ebb.reconciler.component.ComponentPlan.CheckOwnership;
import dev.ebb.reconciler.component.ComponentPlan.CreateComponent;
import dev.ebb.reconciler.component.ComponentPlan.CreateModel;
import dev.ebb.reconciler.component.ComponentPlan.DeleteComponent;
import dev.ebb.reconciler.component.ComponentPlan.DeleteModel;
import dev.ebb.reconciler.component.ComponentPlan.Desired;
import dev.ebb.reconciler.component.ComponentPlan.Failed;
import dev.ebb.reconciler.component.ComponentPlan.InSync;
import dev.ebb.reconciler.component.ComponentPlan.NotOwned;
import dev.ebb.reconciler.component.ComponentPlan.Observed;
import dev.ebb.reconciler.component.ComponentPlan.ObservedComponent;
import dev.ebb.reconciler.component.ComponentPlan.RolledBack;
import dev.ebb.reconciler.component.ComponentPlan.SetCopies;
import dev.ebb.reconciler.component.ComponentPlan.Step;
import dev.ebb.reconciler.component.ComponentPlan.UpdateComponent;
import dev.ebb.reconciler.component.ComponentPlan.Wait;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ComponentPlanTest {
  private static Desired desired(int copies, boolean policy) {
    return new Desired("ic", "m2", "h2", copies, policy, false);
  }

  private static Observed observed(ObservedComponent component, String... models) {
    return new Observed(Optional.ofNullable(component), Set.of(models));
  }

  private static ObservedComponent component(String status, String model, String hash, int copies) {
    return new ObservedComponent(
        status, model, hash, copies, status.equals("Failed") ? "OOM" : null, true);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("no model yet", desired(2, false), observed(null), new CreateModel("m2")),
        Arguments.of(
            "create with the spec's copies",
            desired(2, false),
            observed(null, "m2"),
            new CreateComponent(2)),
        Arguments.of(
            "0 copies is created with 1 (SageMaker refuses 0)",
            desired(0, false),
            observed(null, "m2"),
            new CreateComponent(1)),
        Arguments.of(
            "... then set to 0",
            desired(0, false),
            observed(component("InService", "m2", "h2", 1), "m2"),
            new SetCopies(0)),
        Arguments.of(
            "creating",
            desired(1, false),
            observed(component("Creating", "m2", "h2", 1), "m2"),
            new Wait("Creating")),
        Arguments.of(
            "in sync",
            desired(1, false),
            observed(component("InService", "m2", "h2", 1), "m2"),
            new InSync()),
        Arguments.of(
            "kubectl scale without a policy",
            desired(3, false),
            observed(component("InService", "m2", "h2", 1), "m2"),
            new SetCopies(3)),
        Arguments.of(
            "a policy owns the live count: never reset",
            desired(1, true),
            observed(component("InService", "m2", "h2", 4), "m2"),
            new InSync()),
        Arguments.of(
            "a policy scaled to zero: left at zero",
            desired(1, true),
            observed(component("InService", "m2", "h2", 0), "m2"),
            new InSync()),
        Arguments.of(
            "spec changed: update to the new model",
            desired(1, true),
            observed(component("InService", "m1", "h1", 3), "m1", "m2"),
            new UpdateComponent("m2")),
        Arguments.of(
            "updated: the old model goes",
            desired(1, true),
            observed(component("InService", "m2", "h2", 3), "m1", "m2"),
            new DeleteModel("m1")),
        Arguments.of(
            "failed on the desired spec: stalled",
            desired(1, false),
            observed(component("Failed", "m2", "h2", 1), "m2"),
            new Failed("OOM")),
        Arguments.of(
            "failed on an old spec: a new spec retries",
            desired(1, false),
            observed(component("Failed", "m1", "h1", 1), "m1", "m2"),
            new UpdateComponent("m2")));
  }

  /** An update SageMaker rolled back is not repeated; a new spec is deployed. */
  static Stream<Arguments> rollbackRows() {
    ObservedComponent rolledBack =
        new ObservedComponent("InService", "m1", "h1", 1, "alarm p99 in ALARM", true);
    return Stream.of(
        Arguments.of(
            "rolled back from this spec: stalled, not updated again",
            desired(1, false).withLastDeployment("h2"),
            observed(rolledBack, "m1", "m2"),
            new RolledBack("alarm p99 in ALARM")),
        Arguments.of(
            "rolled back from an earlier spec: this one is deployed",
            desired(1, false).withLastDeployment("h1b"),
            observed(rolledBack, "m1", "m2"),
            new UpdateComponent("m2")),
        Arguments.of(
            "another spec live without a reason (changed outside Ebb): updated back",
            desired(1, false).withLastDeployment("h2"),
            observed(component("InService", "m1", "h1", 1), "m1", "m2"),
            new UpdateComponent("m2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rollbackRows")
  void aRolledBackUpdateIsNotRepeated(
      String situation, Desired desired, Observed observed, Step expected) {
    assertThat(ComponentPlan.next(desired, observed)).isEqualTo(expected);
  }

  /** Rows for a component someone else created under the name the spec gives. */
  static Stream<Arguments> ownershipRows() {
    Desired keep = desired(1, false);
    Desired adopt = new Desired("ic", "m2", "h2", 1, false, true);
    ObservedComponent theirs = component("InService", "their-model", "their-hash", 1);
    return Stream.of(
        Arguments.of(
            "unknown owner: look before creating the model",
            keep,
            observed(theirs.withOwned(null)),
            new CheckOwnership()),
        Arguments.of(
            "someone else's, adopt false: leave it",
            keep,
            observed(theirs.withOwned(false)),
            new NotOwned("ic")),
        Arguments.of(
            "someone else's, adopt true: tag it",
            adopt,
            observed(theirs.withOwned(false), "m2"),
            new Adopt()),
        Arguments.of(
            "adopted: converge it in place, never recreate",
            adopt,
            observed(theirs, "m2"),
            new UpdateComponent("m2")),
        Arguments.of(
            "unknown owner but already as specified: nothing to change, nothing to look up",
            keep,
            observed(component("InService", "m2", "h2", 1).withOwned(null), "m2"),
            new InSync()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownershipRows")
  void ownershipGatesEveryChange(
      String situation, Desired desired, Observed observed, Step expected) {
    assertThat(ComponentPlan.next(desired, observed)).isEqualTo(expected);
  }

  @Test
  void teardownLeavesSomeoneElsesComponentButRemovesWhatEbbCreated() {
    ObservedComponent component = component("InService", "m1", "h1", 1);
    assertThat(ComponentPlan.nextTeardown(observed(component.withOwned(null), "m2")))
        .isEqualTo(new CheckOwnership());
    assertThat(ComponentPlan.nextTeardown(observed(component.withOwned(false), "m2")))
        .isEqualTo(new DeleteModel("m2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void nextStep(String situation, Desired desired, Observed observed, Step expected) {
    assertThat(ComponentPlan.next(desired, observed)).isEqualTo(expected);
  }

  @Test
  void teardownGoesComponentThenModels() {
    assertThat(ComponentPlan.nextTeardown(observed(component("InService", "m2", "h2", 1), "m2")))
        .isEqualTo(new DeleteComponent());
    assertThat(ComponentPlan.nextTeardown(observed(component("Deleting", "m2", "h2", 1), "m2")))
        .isEqualTo(new Wait("Deleting"));
    assertThat(ComponentPlan.nextTeardown(observed(null, "m1", "m2")))
        .isEqualTo(new DeleteModel("m1"));
    assertThat(ComponentPlan.nextTeardown(observed(null))).isEqualTo(new InSync());
  }
}
