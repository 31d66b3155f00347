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
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One pass of convergence for a SageMaker inference component: read (one Describe, one List), then
 * take plan steps until one sets the component in motion. Never waits.
 */
public final class SageMakerComponentConverger {
  static final int MAX_STEPS = 8;

  /** What one pass did and saw (as for endpoints). */
  public record Outcome(
      Step last,
      boolean acted,
      Optional<ComponentDescription> component,
      Optional<AwsFailure> failure) {

    public PassEnd end() {
      return new PassEnd(
          failure,
          last instanceof InSync && !acted,
          last instanceof Failed || last instanceof NotOwned || last instanceof RolledBack);
    }
  }

  private SageMakerComponentConverger() {}

  public static Outcome converge(
      InferenceComponent owner, SageMakerComponentTarget target, SageMakerComponents ops) {
    return run(
        target.componentName(),
        owner.getMetadata().getUid(),
        ops,
        o -> ComponentPlan.next(desired(owner, target), o),
        owner,
        target);
  }

  /** The plan's aim: the target, with the specification Ebb deployed last. */
  static ComponentPlan.Desired desired(InferenceComponent owner, SageMakerComponentTarget target) {
    var status = owner.getStatus();
    return status == null || status.lastDeployedSpecification() == null
        ? target.plan()
        : target.plan().withLastDeployment(status.lastDeployedSpecification());
  }

  /**
   * One pass of teardown: the component (when it is this object's), then its models. Needs only the
   * component's name and the object's UID.
   */
  public static Outcome teardown(String componentName, String ownerUid, SageMakerComponents ops) {
    return run(componentName, ownerUid, ops, ComponentPlan::nextTeardown, null, null);
  }

  private static Outcome run(
      String componentName,
      String ownerUid,
      SageMakerComponents ops,
      Function<Observed, Step> plan,
      InferenceComponent owner,
      SageMakerComponentTarget target) {
    Optional<ComponentDescription> described = Optional.empty();
    Step step = null;
    boolean acted = false;
    try {
      described = ops.describe(componentName);
      Set<String> models = new HashSet<>(ops.models().derivedFrom(componentName));
      Optional<ObservedComponent> component = described.map(SageMakerComponentConverger::observed);
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
        } else {
          break; // the component itself is in motion: the next look comes from SageMaker
        }
      }
      return new Outcome(step, acted, described, Optional.empty());
    } catch (AwsCallException e) {
      return new Outcome(step, acted, described, Optional.of(e.failure()));
    }
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
