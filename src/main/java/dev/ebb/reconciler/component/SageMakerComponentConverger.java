package dev.ebb.reconciler.component;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.reconciler.PassEnd;
import dev.ebb.reconciler.component.ComponentPlan.Adopt;
import dev.ebb.reconciler.component.ComponentPlan.CheckOwnership;
import dev.ebb.reconciler.component.ComponentPlan.CreateComponent;
import dev.ebb.reconciler.component.ComponentPlan.CreateModel;
import dev.ebb.reconciler.component.ComponentPlan.DeleteComponent;
import dev.ebb.reconciler.component.ComponentPlan.DeleteModel;
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
import dev.ebb.sagemaker.AwsCallException;
import dev.ebb.sagemaker.AwsFailure;
import dev.ebb.sagemaker.SageMakerComponents;
import dev.ebb.sagemaker.SageMakerComponents.ComponentDescription;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One pass of convergence for a SageMaker inference component: read (one Describe of the component;
 * of a model only when the plan must know whether it exists), then take plan steps until one sets
 * the component in motion. Never waits, and never lists: the models Ebb made are known by name from
 * {@code status.models}, where each is recorded before it is created (a pass that would create a
 * model not yet recorded records it and ends; the next pass creates it), so a crash between any two
 * calls leaves no model Ebb does not know of.
 */
public final class SageMakerComponentConverger {
  static final int MAX_STEPS = 8;

  /**
   * What one pass did and saw (as for endpoints).
   *
   * @param models the models Ebb made for the component and has not deleted (the next {@code
   *     status.models}), sorted
   * @param recordFirst the pass ended to record a model before creating it: look again at once
   * @param teardown a teardown pass, settled once nothing is left (even if it removed the last
   *     model itself: its status is not written, so the next pass could not tell)
   */
  public record Outcome(
      Step last,
      boolean acted,
      Optional<ComponentDescription> component,
      Optional<AwsFailure> failure,
      List<String> models,
      boolean recordFirst,
      boolean teardown) {

    public PassEnd end() {
      return new PassEnd(
          failure,
          last instanceof InSync && (!acted || teardown),
          last instanceof Failed || last instanceof NotOwned || last instanceof RolledBack);
    }
  }

  private SageMakerComponentConverger() {}

  public static Outcome converge(
      InferenceComponent owner, SageMakerComponentTarget target, SageMakerComponents ops) {
    return run(
        target.componentName(),
        owner.getMetadata().getUid(),
        recorded(owner),
        target.modelName(),
        ops,
        o -> ComponentPlan.next(desired(owner, target), o),
        owner,
        target,
        false);
  }

  /** The plan's aim: the target, with the specification Ebb deployed last. */
  static ComponentPlan.Desired desired(InferenceComponent owner, SageMakerComponentTarget target) {
    var status = owner.getStatus();
    return status == null || status.lastDeployedSpecification() == null
        ? target.plan()
        : target.plan().withLastDeployment(status.lastDeployedSpecification());
  }

  /**
   * One pass of teardown: the component (when it is this object's), then its models. Needs the
   * component's name, the object's UID and the models its status records.
   */
  public static Outcome teardown(
      String componentName,
      String ownerUid,
      Optional<Set<String>> models,
      SageMakerComponents ops) {
    return run(
        componentName, ownerUid, models, null, ops, ComponentPlan::nextTeardown, null, null, true);
  }

  /**
   * The models {@code status.models} records; empty (unknown) only for a component provisioned by
   * an Ebb that did not record them yet, which the next pass lists once.
   */
  public static Optional<Set<String>> recorded(InferenceComponent owner) {
    var status = owner.getStatus();
    List<String> models = status == null ? null : status.models();
    if (models != null && !models.isEmpty()) {
      return Optional.of(new TreeSet<>(models));
    }
    return ComponentStatus.provisioned(owner) ? Optional.empty() : Optional.of(new TreeSet<>());
  }

  private static Outcome run(
      String componentName,
      String ownerUid,
      Optional<Set<String>> recorded,
      String desiredModel,
      SageMakerComponents ops,
      Function<Observed, Step> plan,
      InferenceComponent owner,
      SageMakerComponentTarget target,
      boolean teardown) {
    Optional<ComponentDescription> described = Optional.empty();
    Set<String> known = new TreeSet<>(recorded.orElse(Set.of()));
    Step step = null;
    boolean acted = false;
    try {
      described = ops.describe(componentName);
      if (recorded.isEmpty()) {
        // Made before models were recorded: the one List this object ever needs.
        known.addAll(ops.models().derivedFrom(componentName));
      }
      Optional<ObservedComponent> component = described.map(SageMakerComponentConverger::observed);
      Set<String> models = existing(known, desiredModel, described, ops);
      for (int i = 0; i < MAX_STEPS; i++) {
        step = plan.apply(new Observed(component, Set.copyOf(models)));
        if (step instanceof CheckOwnership) {
          // A read, not a change: learn whose component this is, then plan again.
          boolean owned = ops.tags().ownedBy(described.orElseThrow().arn(), ownerUid);
          component = component.map(c -> c.withOwned(owned));
          continue;
        }
        if (step instanceof Wait
            || step instanceof InSync
            || step instanceof Failed
            || step instanceof RolledBack
            || step instanceof NotOwned) {
          break;
        }
        if (step instanceof CreateModel m && !known.contains(m.modelName())) {
          // Recorded first, created by the next pass: a crash can orphan nothing.
          known.add(m.modelName());
          return new Outcome(
              step, acted, described, Optional.empty(), List.copyOf(known), true, false);
        }
        if (step instanceof Adopt) {
          ops.tags().adopt(described.orElseThrow().arn(), owner, target.userTags());
          acted = true;
          component = component.map(c -> c.withOwned(true));
          continue;
        }
        apply(step, componentName, owner, target, ops);
        acted = true;
        if (step instanceof CreateModel m) {
          models.add(m.modelName());
        } else if (step instanceof DeleteModel m) {
          models.remove(m.modelName());
          known.remove(m.modelName());
        } else {
          break; // the component itself is in motion: the next look comes from SageMaker
        }
      }
      return new Outcome(
          step, acted, described, Optional.empty(), List.copyOf(known), false, teardown);
    } catch (AwsCallException e) {
      return new Outcome(
          step, acted, described, Optional.of(e.failure()), List.copyOf(known), false, teardown);
    }
  }

  /**
   * Which of the known models exist. Known models are taken to exist (deleting one already gone is
   * not an error), but for the one the plan would create: the model the component runs exists;
   * otherwise DescribeModel says. A desired model not recorded was never created by Ebb.
   */
  private static Set<String> existing(
      Set<String> known,
      String desiredModel,
      Optional<ComponentDescription> described,
      SageMakerComponents ops) {
    Set<String> models = new HashSet<>(known);
    if (desiredModel != null
        && known.contains(desiredModel)
        && !described.map(d -> desiredModel.equals(d.modelName())).orElse(false)
        && !ops.models().exists(desiredModel)) {
      models.remove(desiredModel);
    }
    return models;
  }

  private static ObservedComponent observed(ComponentDescription d) {
    return new ObservedComponent(
        d.status(),
        d.modelName(),
        d.specificationKey(),
        d.desiredCopies(),
        d.failureReason(),
        null);
  }

  private static void apply(
      Step step,
      String componentName,
      InferenceComponent owner,
      SageMakerComponentTarget target,
      SageMakerComponents ops) {
    if (step instanceof DeleteComponent) {
      ops.delete(componentName);
    } else if (step instanceof DeleteModel m) {
      ops.models().delete(m.modelName());
    } else if (step instanceof CreateModel m) {
      ops.models()
          .create(
              m.modelName(),
              owner.getSpec().model(),
              target.executionRoleArn(),
              owner,
              target.userTags());
    } else if (step instanceof CreateComponent c) {
      ops.create(
          componentName,
          target.endpointName(),
          target.variant(),
          target.modelName(),
          owner.getSpec().resources(),
          owner.getSpec().startup(),
          c.copies(),
          owner,
          target.userTags());
    } else if (step instanceof UpdateComponent u) {
      var sagemaker = owner.getSpec().sagemaker();
      ops.update(
          componentName,
          u.modelName(),
          owner.getSpec().resources(),
          owner.getSpec().startup(),
          sagemaker == null ? null : sagemaker.rollingUpdate());
    } else if (step instanceof SetCopies s) {
      ops.setCopies(componentName, s.copies());
    } else {
      throw new IllegalStateException("not an action: " + step);
    }
  }
}
