package dev.ebb.reconciler.policy;

import dev.ebb.reconciler.policy.PolicyPlan.DeleteAction;
import dev.ebb.reconciler.policy.PolicyPlan.DeleteAlarms;
import dev.ebb.reconciler.policy.PolicyPlan.DeletePolicy;
import dev.ebb.reconciler.policy.PolicyPlan.Deregister;
import dev.ebb.reconciler.policy.PolicyPlan.InSync;
import dev.ebb.reconciler.policy.PolicyPlan.PutAction;
import dev.ebb.reconciler.policy.PolicyPlan.PutAlarm;
import dev.ebb.reconciler.policy.PolicyPlan.PutPolicy;
import dev.ebb.reconciler.policy.PolicyPlan.Register;
import dev.ebb.reconciler.policy.PolicyPlan.Step;
import dev.ebb.sagemaker.AwsCallException;
import dev.ebb.sagemaker.SageMakerScaling;
import dev.ebb.sagemaker.SageMakerScaling.Found;
import dev.ebb.sagemaker.SageMakerScaling.Outcome;
import dev.ebb.sagemaker.ScalingRecipes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One pass for a ScalingPolicy on SageMaker, shaped like the endpoint's and the component's: read
 * what exists (one look per kind of object), then take the plan's steps until it is in sync. These
 * APIs are synchronous, so every step's effect is assumed rather than read again.
 */
final class SageMakerPolicyConverger {
  /** Bounds one pass (a recipe has a handful of objects; a bug must not loop forever). */
  static final int MAX_STEPS = 64;

  private SageMakerPolicyConverger() {}

  /**
   * Converges AWS to {@code recipe}.
   *
   * @param applyBounds whether to register the spec's bounds again: only after a spec change, as
   *     scheduled actions move them between edits
   */
  static Outcome converge(
      ScalingRecipes.Desired recipe, String alarmBase, boolean applyBounds, SageMakerScaling ops) {
    PolicyPlan.Desired desired = desired(recipe, applyBounds);
    Map<String, ScalingRecipes.DesiredPolicy> policies = byName(recipe.policies(), p -> p.name());
    Map<String, ScalingRecipes.DesiredAlarm> alarms = byName(recipe.alarms(), a -> a.name());
    Map<String, ScalingRecipes.DesiredAction> actions = byName(recipe.actions(), a -> a.name());
    ScalingRecipes.Target target = recipe.target();
    return run(
        target,
        () -> ops.find(target, alarmBase, recipe),
        found -> PolicyPlan.next(desired, found),
        step -> {
          if (step instanceof PutPolicy p) {
            return Optional.of(ops.putPolicy(target, policies.get(p.name())));
          }
          if (step instanceof PutAlarm a) {
            ops.putAlarm(alarms.get(a.name()), a.policyArn());
          } else if (step instanceof PutAction a) {
            ops.putAction(target, actions.get(a.name()));
          } else {
            execute(step, target, ops);
          }
          return Optional.empty();
        },
        found -> ops.alarmStates(PolicyPlan.reportedAlarms(desired, found)));
  }

  /** Removes everything Ebb made for a policy; needs only names, so it works after the target. */
  static Outcome teardown(ScalingRecipes.Target target, String alarmBase, SageMakerScaling ops) {
    return run(
        target,
        () -> ops.find(target, alarmBase, null),
        PolicyPlan::nextTeardown,
        step -> {
          execute(step, target, ops);
          return Optional.empty();
        },
        found -> List.of());
  }

  private static Outcome run(
      ScalingRecipes.Target target,
      Supplier<Found> read,
      Function<Found, Step> plan,
      Function<Step, Optional<Found.Policy>> execute,
      Function<Found, List<SageMakerScaling.AlarmState>> report) {
    List<String> changes = new ArrayList<>();
    Found found = Found.nothing();
    try {
      found = read.get();
      for (int i = 0; i < MAX_STEPS; i++) {
        Step step = plan.apply(found);
        if (step instanceof InSync) {
          return new Outcome(
              found.applied(target.resourceId(), report.apply(found)), changes, Optional.empty());
        }
        Optional<Found.Policy> put = execute.apply(step);
        changes.add(describe(step, target));
        found = PolicyPlan.assume(found, step, put);
      }
      throw new IllegalStateException("no end after " + MAX_STEPS + " steps: " + changes);
    } catch (AwsCallException e) {
      return new Outcome(
          found.applied(target.resourceId(), found.alarmStates()),
          changes,
          Optional.of(e.failure()));
    }
  }

  private static void execute(Step step, ScalingRecipes.Target target, SageMakerScaling ops) {
    if (step instanceof Register r) {
      ops.register(target, r.bounds());
    } else if (step instanceof DeleteAlarms d) {
      ops.deleteAlarms(d.names());
    } else if (step instanceof DeletePolicy d) {
      ops.deletePolicy(target, d.name());
    } else if (step instanceof DeleteAction d) {
      ops.deleteAction(target, d.name());
    } else if (step instanceof Deregister) {
      ops.deregister(target);
    } else {
      throw new IllegalStateException("not a step of this pass: " + step);
    }
  }

  /** The write, as status and logs show it: operation and name. */
  static String describe(Step step, ScalingRecipes.Target target) {
    if (step instanceof Register) {
      return "RegisterScalableTarget " + target.resourceId();
    } else if (step instanceof PutPolicy p) {
      return "PutScalingPolicy " + p.name();
    } else if (step instanceof PutAlarm a) {
      return "PutMetricAlarm " + a.name();
    } else if (step instanceof PutAction a) {
      return "PutScheduledAction " + a.name();
    } else if (step instanceof DeleteAlarms d) {
      return "DeleteAlarms " + d.names();
    } else if (step instanceof DeletePolicy d) {
      return "DeleteScalingPolicy " + d.name();
    } else if (step instanceof DeleteAction d) {
      return "DeleteScheduledAction " + d.name();
    }
    return "DeregisterScalableTarget " + target.resourceId();
  }

  static PolicyPlan.Desired desired(ScalingRecipes.Desired recipe, boolean applyBounds) {
    Map<String, String> alarms = new LinkedHashMap<>();
    recipe.alarms().forEach(a -> alarms.put(a.name(), a.policyName()));
    return new PolicyPlan.Desired(
        new SageMakerScaling.Bounds(recipe.minCapacity(), recipe.maxCapacity()),
        applyBounds,
        recipe.policies().stream().map(ScalingRecipes.DesiredPolicy::name).toList(),
        alarms,
        recipe.actions().stream().map(ScalingRecipes.DesiredAction::name).toList());
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    Map<String, T> out = new LinkedHashMap<>();
    items.forEach(i -> out.put(name.apply(i), i));
    return out;
  }
}
