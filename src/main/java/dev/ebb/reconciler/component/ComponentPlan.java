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
   * @param adopt whether to take over a component of that name Ebb did not create
   * @param lastDeployment the specHash Ebb last asked SageMaker to deploy (status), null if
   *     unknown: a component back in service on another specification, with a FailureReason, rolled
   *     it back
   */
  public record Desired(
      String componentName,
      String modelName,
      String specHash,
      int copies,
      boolean policyOwnsCopies,
      boolean adopt,
      String lastDeployment) {

    public Desired(
        String componentName,
        String modelName,
        String specHash,
        int copies,
        boolean policyOwnsCopies,
        boolean adopt) {
      this(componentName, modelName, specHash, copies, policyOwnsCopies, adopt, null);
    }

    public Desired withLastDeployment(String specHash) {
      return new Desired(
          componentName, modelName, this.specHash, copies, policyOwnsCopies, adopt, specHash);
    }
  }

  /** What SageMaker reported; {@code component} empty means confirmed absent. */
  public record Observed(Optional<ObservedComponent> component, Set<String> ownedModels) {}

  /**
   * The component as DescribeInferenceComponent reports it, with the key of its specification.
   * {@code owned}: whether its {@code ebb.dev/uid} tag names this object; null while not looked up
   * (tags are read only before Ebb changes or deletes the component).
   */
  public record ObservedComponent(
      String status,
      String modelName,
      String specHash,
      Integer desiredCopies,
      String failureReason,
      Boolean owned) {

    public ObservedComponent withOwned(Boolean owned) {
      return new ObservedComponent(
          status, modelName, specHash, desiredCopies, failureReason, owned);
    }
  }

  public sealed interface Step {}

  public record CreateModel(String modelName) implements Step {}

  /** Create with at least one copy (SageMaker refuses 0). */
  public record CreateComponent(int copies) implements Step {}

  public record UpdateComponent(String modelName) implements Step {}

  public record SetCopies(int copies) implements Step {}

  public record DeleteModel(String modelName) implements Step {}

  public record DeleteComponent() implements Step {}

  /** Ebb must know whether it owns the component before changing it: read its tags. */
  public record CheckOwnership() implements Step {}

  /** Take over a component Ebb did not create ({@code adopt: true}): tag it as this object's. */
  public record Adopt() implements Step {}

  /** The component exists but belongs to someone else, and adopt is false. */
  public record NotOwned(String componentName) implements Step {}

  public record Wait(String status) implements Step {}

  public record Failed(String reason) implements Step {}

  /**
   * SageMaker rolled the update to this spec back (a rollback alarm fired, or the new copies
   * failed): the component runs its previous specification. Ebb does not update to the same spec
   * again; a spec change does.
   */
  public record RolledBack(String failureReason) implements Step {}

  public record InSync() implements Step {}

  static final Set<String> TRANSITIONING = Set.of("Creating", "Updating", "Deleting");

  public static Step next(Desired desired, Observed observed) {
    if (!observed.ownedModels().contains(desired.modelName())) {
      // Nothing is created for a component name someone else holds.
      return observed
          .component()
          .flatMap(c -> ownershipGate(desired, c))
          .orElse(new CreateModel(desired.modelName()));
    }
    if (observed.component().isEmpty()) {
      return new CreateComponent(Math.max(1, desired.copies()));
    }
    ObservedComponent component = observed.component().get();
    if (TRANSITIONING.contains(component.status())) {
      return new Wait(component.status());
    }
    boolean specCurrent = desired.specHash().equals(component.specHash());
    if (!specCurrent
        && desired.specHash().equals(desired.lastDeployment())
        && component.failureReason() != null
        && !component.failureReason().isBlank()) {
      // Updating to the same spec again would loop on the same rollback.
      return new RolledBack(component.failureReason());
    }
    if ("Failed".equals(component.status()) && specCurrent) {
      return new Failed(component.failureReason());
    }
    Step change = null;
    if (!specCurrent) {
      change = new UpdateComponent(desired.modelName());
    } else if (!desired.policyOwnsCopies()
        && component.desiredCopies() != null
        && component.desiredCopies() != desired.copies()) {
      // Copies are set only when no policy owns them: the live count is otherwise the policy's.
      change = new SetCopies(desired.copies());
    }
    if (change != null) {
      return ownershipGate(desired, component).orElse(change);
    }
    for (String model : new TreeSet<>(observed.ownedModels())) {
      if (!model.equals(desired.modelName()) && !model.equals(component.modelName())) {
        return new DeleteModel(model);
      }
    }
    return new InSync();
  }

  /**
   * Before Ebb changes an existing component: unknown ownership is looked up first; a component of
   * someone else's is adopted when asked to, and otherwise left alone.
   */
  private static Optional<Step> ownershipGate(Desired desired, ObservedComponent component) {
    if (component.owned() == null) {
      return Optional.of(new CheckOwnership());
    }
    if (!component.owned()) {
      return Optional.of(desired.adopt() ? new Adopt() : new NotOwned(desired.componentName()));
    }
    return Optional.empty();
  }

  /**
   * Teardown order: the component, then its models. A component that is not this object's (not
   * created, nor adopted, by it) is left in place.
   */
  public static Step nextTeardown(Observed observed) {
    if (observed.component().isPresent()) {
      ObservedComponent component = observed.component().get();
      if ("Deleting".equals(component.status())) {
        return new Wait(component.status());
      }
      if (component.owned() == null) {
        return new CheckOwnership();
      }
      if (component.owned()) {
        return new DeleteComponent();
      }
    }
    return observed.ownedModels().stream()
        .sorted()
        .findFirst()
        .<Step>map(DeleteModel::new)
        .orElse(new InSync());
  }
}
