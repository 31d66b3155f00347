package dev.ebb.reconciler.component;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides the next step that brings a SageMaker inference component to its desired state. Pure,
 * like the endpoint plan. Two rules shape it:
 *
 * <ul>
 *   <li>SageMaker refuses CopyCount 0 at creation, so a component asked to start at 0 is created
 *       with 1 copy and then set to 0.
 *   <li>When a ScalingPolicy targets the component, the live copy count is the policy's: the plan
 *       never sets copies after creation, and never reads them back into the spec.
 * </ul>
 */
public final class ComponentPlan {
  private ComponentPlan() {}

  /**
   * @param specHash content hash of everything in the component's specification except copies
   * @param copies the copies the spec asks for (the initial count when a policy owns them)
   * @param policyOwnsCopies whether a ScalingPolicy targets the component
   */
  public record Desired(
      String componentName,
      String modelName,
      String specHash,
      int copies,
      boolean policyOwnsCopies) {}

  /** What SageMaker reported; {@code component} empty means confirmed absent. */
  public record Observed(Optional<ObservedComponent> component, Set<String> ownedModels) {}

  /**
   * The component as DescribeInferenceComponent reports it, with the spec hash Ebb tagged it with
   * when it last created or updated it.
   */
  public record ObservedComponent(
      String status,
      String modelName,
      String specHash,
      Integer desiredCopies,
      String failureReason) {}

  public sealed interface Step {}

  public record CreateModel(String modelName) implements Step {}

  /** Create with at least one copy (SageMaker refuses 0). */
  public record CreateComponent(int copies) implements Step {}

  public record UpdateComponent(String modelName) implements Step {}

  public record SetCopies(int copies) implements Step {}

  public record DeleteModel(String modelName) implements Step {}

  public record DeleteComponent() implements Step {}

  public record Wait(String status) implements Step {}

  public record Failed(String reason) implements Step {}

  public record InSync() implements Step {}

  static final Set<String> TRANSITIONING = Set.of("Creating", "Updating", "Deleting");

  public static Step next(Desired desired, Observed observed) {
    if (!observed.ownedModels().contains(desired.modelName())) {
      return new CreateModel(desired.modelName());
    }
    if (observed.component().isEmpty()) {
      return new CreateComponent(Math.max(1, desired.copies()));
    }
    ObservedComponent component = observed.component().get();
    if (TRANSITIONING.contains(component.status())) {
      return new Wait(component.status());
    }
    boolean specCurrent = desired.specHash().equals(component.specHash());
    if ("Failed".equals(component.status())) {
      return specCurrent
          ? new Failed(component.failureReason())
          : new UpdateComponent(desired.modelName());
    }
    if (!specCurrent) {
      return new UpdateComponent(desired.modelName());
    }
    // Copies are set only when no policy owns them: the live count is otherwise the policy's.
    Integer live = component.desiredCopies();
    boolean copiesOurs = !desired.policyOwnsCopies();
    if (copiesOurs && live != null && live != desired.copies()) {
      return new SetCopies(desired.copies());
    }
    for (String model : new TreeSet<>(observed.ownedModels())) {
      if (!model.equals(desired.modelName()) && !model.equals(component.modelName())) {
        return new DeleteModel(model);
      }
    }
    return new InSync();
  }

  /** Teardown order: the component, then its models. */
  public static Step nextTeardown(Observed observed) {
    if (observed.component().isPresent()) {
      String status = observed.component().get().status();
      return "Deleting".equals(status) ? new Wait(status) : new DeleteComponent();
    }
    return observed.ownedModels().stream()
        .sorted()
        .findFirst()
        .<Step>map(DeleteModel::new)
        .orElse(new InSync());
  }
}
