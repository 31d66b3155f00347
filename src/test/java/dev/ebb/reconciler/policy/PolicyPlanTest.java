package dev.ebb.reconciler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.reconciler.policy.PolicyPlan.DeleteAction;
import dev.ebb.reconciler.policy.PolicyPlan.DeleteAlarms;
import dev.ebb.reconciler.policy.PolicyPlan.DeletePolicy;
import dev.ebb.reconciler.policy.PolicyPlan.Deregister;
import dev.ebb.reconciler.policy.PolicyPlan.Desired;
import dev.ebb.reconciler.policy.PolicyPlan.InSync;
import dev.ebb.reconciler.policy.PolicyPlan.PutAction;
import dev.ebb.reconciler.policy.PolicyPlan.PutAlarm;
import dev.ebb.reconciler.policy.PolicyPlan.PutPolicy;
import dev.ebb.reconciler.policy.PolicyPlan.Register;
import dev.ebb.reconciler.policy.PolicyPlan.Step;
import dev.ebb.sagemaker.SageMakerScaling.Bounds;
import dev.ebb.sagemaker.SageMakerScaling.Found;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyPlanTest {
  private static final Bounds SPEC = new Bounds(0, 4);

  /** The scale-to-zero recipe: target tracking, scale from zero (a step policy and its alarm). */
  private static final Desired RECIPE =
      new Desired(
          SPEC,
          false,
          List.of("ebb-target-tracking", "ebb-scale-from-zero"),
          new LinkedHashMap<>(Map.of("ebb-ns-p-1a2b3c4d-scale-from-zero", "ebb-scale-from-zero")),
          List.of("ebb-weekend-off"));

  private static final Found.Policy TRACKING =
      new Found.Policy(
          "arn:tt", true, List.of("TargetTracking-AlarmHigh", "TargetTracking-AlarmLow"));
  private static final Found.Policy FROM_ZERO = new Found.Policy("arn:z", true, List.of());
  private static final Found.Alarm ALARM = new Found.Alarm(true, List.of("arn:z"), "OK");

  private static Found found(
      Bounds bounds,
      Map<String, Found.Policy> policies,
      Map<String, Found.Alarm> alarms,
      Map<String, Boolean> actions) {
    return new Found(Optional.ofNullable(bounds), policies, alarms, actions);
  }

  private static final Found IN_SYNC =
      found(
          SPEC,
          Map.of("ebb-target-tracking", TRACKING, "ebb-scale-from-zero", FROM_ZERO),
          Map.of("ebb-ns-p-1a2b3c4d-scale-from-zero", ALARM),
          Map.of("ebb-weekend-off", true));

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("nothing yet: the target first", RECIPE, Found.nothing(), new Register(SPEC)),
        Arguments.of(
            "registered: the policies",
            RECIPE,
            found(SPEC, Map.of(), Map.of(), Map.of()),
            new PutPolicy("ebb-target-tracking")),
        Arguments.of(
            "policies in place: the alarm, firing the policy's ARN",
            RECIPE,
            found(
                SPEC,
                Map.of("ebb-target-tracking", TRACKING, "ebb-scale-from-zero", FROM_ZERO),
                Map.of(),
                Map.of()),
            new PutAlarm("ebb-ns-p-1a2b3c4d-scale-from-zero", "arn:z")),
        Arguments.of(
            "then the scheduled actions",
            RECIPE,
            found(
                SPEC,
                Map.of("ebb-target-tracking", TRACKING, "ebb-scale-from-zero", FROM_ZERO),
                Map.of("ebb-ns-p-1a2b3c4d-scale-from-zero", ALARM),
                Map.of()),
            new PutAction("ebb-weekend-off")),
        Arguments.of("all there: in sync", RECIPE, IN_SYNC, new InSync()),
        Arguments.of(
            "a schedule moved the bounds: left alone between edits",
            RECIPE,
            withBounds(IN_SYNC, new Bounds(0, 0)),
            new InSync()),
        Arguments.of(
            "after a spec change, the spec's bounds again",
            new Desired(SPEC, true, RECIPE.policies(), RECIPE.alarms(), RECIPE.actions()),
            withBounds(IN_SYNC, new Bounds(0, 0)),
            new Register(SPEC)),
        Arguments.of(
            "an edited policy is put again",
            RECIPE,
            withPolicy(
                IN_SYNC, "ebb-target-tracking", new Found.Policy("arn:tt", false, List.of())),
            new PutPolicy("ebb-target-tracking")),
        Arguments.of(
            "an alarm firing another ARN is put again",
            RECIPE,
            withAlarm(IN_SYNC, new Found.Alarm(true, List.of("arn:old"), "OK")),
            new PutAlarm("ebb-ns-p-1a2b3c4d-scale-from-zero", "arn:z")),
        Arguments.of(
            "what the recipe no longer has: the alarm first",
            new Desired(SPEC, false, List.of("ebb-target-tracking"), Map.of(), List.of()),
            IN_SYNC,
            new DeleteAlarms(List.of("ebb-ns-p-1a2b3c4d-scale-from-zero"))),
        Arguments.of(
            "then the policy it fired",
            new Desired(SPEC, false, List.of("ebb-target-tracking"), Map.of(), List.of()),
            found(
                SPEC,
                Map.of("ebb-target-tracking", TRACKING, "ebb-scale-from-zero", FROM_ZERO),
                Map.of(),
                Map.of()),
            new DeletePolicy("ebb-scale-from-zero")),
        Arguments.of(
            "then a schedule removed",
            new Desired(SPEC, false, List.of("ebb-target-tracking"), Map.of(), List.of()),
            found(SPEC, Map.of("ebb-target-tracking", TRACKING), Map.of(), Map.of("ebb-old", true)),
            new DeleteAction("ebb-old")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void nextStep(String situation, Desired desired, Found found, Step expected) {
    assertThat(PolicyPlan.next(desired, found)).isEqualTo(expected);
  }

  /**
   * Whatever a crash left behind, the walk from it reaches the same end, with each write at most
   * once: take the plan's steps from nothing, assuming each one's effect.
   */
  @Test
  void fromNothingEveryObjectIsWrittenOnceInOrder() {
    Found found = Found.nothing();
    List<Step> steps = new ArrayList<>();
    for (Step step = PolicyPlan.next(RECIPE, found);
        !(step instanceof InSync);
        step = PolicyPlan.next(RECIPE, found)) {
      steps.add(step);
      Optional<Found.Policy> put =
          step instanceof PutPolicy p
              ? Optional.of(p.name().equals("ebb-scale-from-zero") ? FROM_ZERO : TRACKING)
              : Optional.empty();
      found = PolicyPlan.assume(found, step, put);
    }
    assertThat(steps)
        .containsExactly(
            new Register(SPEC),
            new PutPolicy("ebb-target-tracking"),
            new PutPolicy("ebb-scale-from-zero"),
            new PutAlarm("ebb-ns-p-1a2b3c4d-scale-from-zero", "arn:z"),
            new PutAction("ebb-weekend-off"));
    assertThat(PolicyPlan.reportedAlarms(RECIPE, found))
        .containsExactly(
            "ebb-ns-p-1a2b3c4d-scale-from-zero",
            "TargetTracking-AlarmHigh",
            "TargetTracking-AlarmLow");
  }

  @Test
  void teardownRemovesAlarmsThenPoliciesThenActionsThenTheTarget() {
    Found found = IN_SYNC;
    List<Step> steps = new ArrayList<>();
    for (Step step = PolicyPlan.nextTeardown(found);
        !(step instanceof InSync);
        step = PolicyPlan.nextTeardown(found)) {
      steps.add(step);
      found = PolicyPlan.assume(found, step, Optional.empty());
    }
    assertThat(steps)
        .containsExactly(
            new DeleteAlarms(List.of("ebb-ns-p-1a2b3c4d-scale-from-zero")),
            new DeletePolicy("ebb-scale-from-zero"),
            new DeletePolicy("ebb-target-tracking"),
            new DeleteAction("ebb-weekend-off"),
            new Deregister());
  }

  private static Found withBounds(Found f, Bounds bounds) {
    return new Found(Optional.of(bounds), f.policies(), f.alarms(), f.actions());
  }

  private static Found withPolicy(Found f, String name, Found.Policy policy) {
    var policies = new LinkedHashMap<>(f.policies());
    policies.put(name, policy);
    return new Found(f.bounds(), policies, f.alarms(), f.actions());
  }

  private static Found withAlarm(Found f, Found.Alarm alarm) {
    return new Found(
        f.bounds(), f.policies(), Map.of("ebb-ns-p-1a2b3c4d-scale-from-zero", alarm), f.actions());
  }
}
