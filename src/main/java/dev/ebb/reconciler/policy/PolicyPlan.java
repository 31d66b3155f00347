package dev.ebb.reconciler.policy;

import dev.ebb.sagemaker.SageMakerScaling.Bounds;
import dev.ebb.sagemaker.SageMakerScaling.Found;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides the next step that brings Application Auto Scaling and CloudWatch to a ScalingPolicy's
 * recipe on SageMaker, from what was read. Pure, like the endpoint and component plans: every path
 * (first registration, an edited step, a schedule removed, a crash between any two calls) is a
 * table row in a test. Order: the target, then the policies, then the alarms that fire them (they
 * name the policies' ARNs), then the scheduled actions; what Ebb made that the recipe no longer has
 * goes afterwards, alarms before the policies they fire.
 */
public final class PolicyPlan {
  private PolicyPlan() {}

  /**
   * What the recipe asks for, by name.
   *
   * @param applyBounds whether to register the bounds again when the target is registered already:
   *     only after a spec change, since scheduled actions move the bounds between edits
   * @param alarms each alarm's name and the policy it fires, in the recipe's order
   */
  public record Desired(
      Bounds bounds,
      boolean applyBounds,
      List<String> policies,
      Map<String, String> alarms,
      List<String> actions) {}

  /** One step. */
  public sealed interface Step {}

  public record Register(Bounds bounds) implements Step {}

  public record PutPolicy(String name) implements Step {}

  /** Puts alarm {@code name} firing {@code policyArn}. */
  public record PutAlarm(String name, String policyArn) implements Step {}

  public record PutAction(String name) implements Step {}

  public record DeleteAlarms(List<String> names) implements Step {}

  public record DeletePolicy(String name) implements Step {}

  public record DeleteAction(String name) implements Step {}

  public record Deregister() implements Step {}

  /** Nothing to do. */
  public record InSync() implements Step {}

  public static Step next(Desired desired, Found observed) {
    if (observed.bounds().isEmpty()
        || (desired.applyBounds() && !observed.bounds().get().equals(desired.bounds()))) {
      return new Register(desired.bounds());
    }
    for (String policy : desired.policies()) {
      Found.Policy existing = observed.policies().get(policy);
      if (existing == null || !existing.matches()) {
        return new PutPolicy(policy);
      }
    }
    for (Map.Entry<String, String> alarm : desired.alarms().entrySet()) {
      Found.Policy fired = observed.policies().get(alarm.getValue());
      if (fired == null) {
        throw new IllegalArgumentException(
            "alarm " + alarm.getKey() + " fires " + alarm.getValue() + ", not in the recipe");
      }
      Found.Alarm existing = observed.alarms().get(alarm.getKey());
      if (existing == null
          || !existing.matches()
          || !List.of(fired.arn()).equals(existing.actions())) {
        return new PutAlarm(alarm.getKey(), fired.arn());
      }
    }
    for (String action : desired.actions()) {
      if (!Boolean.TRUE.equals(observed.actions().get(action))) {
        return new PutAction(action);
      }
    }
    List<String> staleAlarms =
        observed.alarms().keySet().stream().filter(n -> !desired.alarms().containsKey(n)).toList();
    if (!staleAlarms.isEmpty()) {
      return new DeleteAlarms(staleAlarms);
    }
    for (String policy : observed.policies().keySet()) {
      if (!desired.policies().contains(policy)) {
        return new DeletePolicy(policy);
      }
    }
    for (String action : observed.actions().keySet()) {
      if (!desired.actions().contains(action)) {
        return new DeleteAction(action);
      }
    }
    return new InSync();
  }

  /** Teardown: alarms, then policies and scheduled actions, then the target. */
  public static Step nextTeardown(Found observed) {
    if (!observed.alarms().isEmpty()) {
      return new DeleteAlarms(List.copyOf(observed.alarms().keySet()));
    }
    if (!observed.policies().isEmpty()) {
      return new DeletePolicy(observed.policies().keySet().iterator().next());
    }
    if (!observed.actions().isEmpty()) {
      return new DeleteAction(observed.actions().keySet().iterator().next());
    }
    return observed.bounds().isPresent() ? new Deregister() : new InSync();
  }

  /**
   * What exists after {@code step} succeeded. These APIs are synchronous, so every step's effect is
   * certain; {@code put} is what PutScalingPolicy answered, for a PutPolicy.
   */
  public static Found assume(Found observed, Step step, Optional<Found.Policy> put) {
    var bounds = observed.bounds();
    var policies = new TreeMap<>(observed.policies());
    var alarms = new LinkedHashMap<>(observed.alarms());
    var actions = new TreeMap<>(observed.actions());
    if (step instanceof Register r) {
      bounds = Optional.of(r.bounds());
    } else if (step instanceof PutPolicy p) {
      policies.put(p.name(), put.orElseThrow());
    } else if (step instanceof PutAlarm a) {
      String state =
          Optional.ofNullable(observed.alarms().get(a.name())).map(Found.Alarm::state).orElse(null);
      alarms.put(a.name(), new Found.Alarm(true, List.of(a.policyArn()), state));
    } else if (step instanceof PutAction a) {
      actions.put(a.name(), true);
    } else if (step instanceof DeleteAlarms d) {
      d.names().forEach(alarms::remove);
    } else if (step instanceof DeletePolicy d) {
      policies.remove(d.name());
    } else if (step instanceof DeleteAction d) {
      actions.remove(d.name());
    } else if (step instanceof Deregister) {
      bounds = Optional.empty();
    }
    return new Found(bounds, policies, alarms, actions);
  }

  /** Names of the alarms to report: the recipe's, then those AWS made for target tracking. */
  public static List<String> reportedAlarms(Desired desired, Found observed) {
    List<String> names = new ArrayList<>(desired.alarms().keySet());
    desired.policies().stream()
        .map(observed.policies()::get)
        .filter(p -> p != null)
        .forEach(p -> names.addAll(p.alarms()));
    return names;
  }
}
