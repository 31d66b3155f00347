package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.Rollout;
import dev.ebb.reconciler.PassEnd;
import dev.ebb.reconciler.endpoint.EndpointPlan.Adopt;
import dev.ebb.reconciler.endpoint.EndpointPlan.CheckComponents;
import dev.ebb.reconciler.endpoint.EndpointPlan.CheckOwnership;
import dev.ebb.reconciler.endpoint.EndpointPlan.CreateConfig;
import dev.ebb.reconciler.endpoint.EndpointPlan.CreateEndpoint;
import dev.ebb.reconciler.endpoint.EndpointPlan.CreateModel;
import dev.ebb.reconciler.endpoint.EndpointPlan.DeleteConfig;
import dev.ebb.reconciler.endpoint.EndpointPlan.DeleteEndpoint;
import dev.ebb.reconciler.endpoint.EndpointPlan.DeleteModel;
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
import dev.ebb.sagemaker.AwsCallException;
import dev.ebb.sagemaker.AwsFailure;
import dev.ebb.sagemaker.DeploymentAlarms;
import dev.ebb.sagemaker.SageMakerEndpoints;
import dev.ebb.sagemaker.SageMakerEndpoints.EndpointDescription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One pass of convergence for a SageMaker-backed endpoint: read what exists (one DescribeEndpoint;
 * a model or config only when the plan must know whether it exists), then take plan steps until one
 * sets the endpoint in motion or there is nothing left to do. It never waits: the reconciler is
 * woken again on the poll schedule. It never lists either: the models and configs Ebb made are
 * known by name from {@code status.models} and {@code status.endpointConfigs}, where each is
 * recorded before it is created (a pass that would create one not yet recorded records all the spec
 * needs and ends; the next pass creates them), so a crash between any two calls leaves nothing Ebb
 * does not know of.
 */
public final class SageMakerEndpointConverger {
  /** Bounds one pass (models + config + endpoint for ten variants fits). */
  static final int MAX_STEPS = 16;

  /**
   * What one pass did and saw.
   *
   * @param last the last step planned (taken, unless it is Wait, WaitForComponents, InSync or a
   *     step that {@link #stalls}; ownership and component checks are reads and never the last
   *     step)
   * @param acted whether any AWS resource was changed in this pass
   * @param endpoint the endpoint as described at the start of the pass
   * @param failure the AWS failure that ended the pass early
   * @param made the models and configs Ebb made for the endpoint and has not deleted (the next
   *     {@code status.models} and {@code status.endpointConfigs})
   * @param recordFirst the pass ended to record what it is about to create: look again at once
   * @param teardown a teardown pass, settled once nothing is left (even if it removed the last
   *     model itself)
   */
  public record Outcome(
      Step last,
      boolean acted,
      Optional<EndpointDescription> endpoint,
      Optional<AwsFailure> failure,
      Made made,
      boolean recordFirst,
      boolean teardown) {

    public PassEnd end() {
      return new PassEnd(failure, last instanceof InSync && (!acted || teardown), stalls(last));
    }

    Outcome withLast(Step step) {
      return new Outcome(step, acted, endpoint, failure, made, recordFirst, teardown);
    }
  }

  /** The models and endpoint configs Ebb made for one endpoint, by name, each sorted. */
  public record Made(List<String> models, List<String> configs) {
    public static final Made NONE = new Made(List.of(), List.of());

    static Made of(Set<String> models, Set<String> configs) {
      return new Made(List.copyOf(new TreeSet<>(models)), List.copyOf(new TreeSet<>(configs)));
    }
  }

  private SageMakerEndpointConverger() {}

  /** Steps that only a person (usually a spec change) can get past. */
  static boolean stalls(Step step) {
    return step instanceof Failed
        || step instanceof NotOwned
        || step instanceof RolledBack
        || step instanceof RollbackFailed
        || step instanceof VariantsChanged;
  }

  public static Outcome converge(
      InferenceEndpoint owner,
      SageMakerTarget target,
      SageMakerEndpoints ops,
      DeploymentAlarms alarms) {
    EndpointPlan.Desired desired = desired(owner, target);
    Outcome outcome =
        run(
            target.endpointName(),
            owner.getMetadata().getUid(),
            recorded(owner),
            Optional.of(desired),
            ops,
            observed -> EndpointPlan.next(desired, observed),
            (step, described) -> applyStep(step, described, owner, target, ops));
    if (outcome.last() instanceof RolledBack rolledBack) {
      // A read, to name the alarm that fired; the rollback is reported even if it fails.
      Rollout rollout = owner.getSpec().rollout();
      try {
        return outcome.withLast(
            rolledBack.withFiringAlarms(
                alarms.firing(rollout == null ? List.of() : rollout.autoRollbackAlarms())));
      } catch (AwsCallException e) {
        return outcome;
      }
    }
    return outcome;
  }

  /** The plan's aim: the target, with what Ebb deployed last and the spec's rollout. */
  static EndpointPlan.Desired desired(InferenceEndpoint owner, SageMakerTarget target) {
    EndpointPlan.Desired desired = target.plan();
    if (owner.getStatus() != null && owner.getStatus().lastDeployedConfigName() != null) {
      desired = desired.withLastDeployment(owner.getStatus().lastDeployedConfigName());
    }
    return owner.getSpec().rollout() == null ? desired : desired.withBlueGreenRollout();
  }

  /**
   * One pass of teardown (endpoint, then configs, then models). Needs the endpoint's name, the
   * object's UID and what its status records: everything Ebb created for it, whatever the spec says
   * now.
   */
  public static Outcome teardown(
      String endpointName, String ownerUid, Optional<Made> recorded, SageMakerEndpoints ops) {
    return run(
        endpointName,
        ownerUid,
        recorded,
        Optional.empty(),
        ops,
        EndpointPlan::nextTeardown,
        (step, described) -> applyTeardownStep(step, endpointName, ops));
  }

  /**
   * What {@code status.models} and {@code status.endpointConfigs} record; empty (unknown) only for
   * an endpoint provisioned by an Ebb that did not record them yet, which the next pass lists once.
   */
  public static Optional<Made> recorded(InferenceEndpoint owner) {
    var status = owner.getStatus();
    List<String> models = status == null ? null : status.models();
    List<String> configs = status == null ? null : status.endpointConfigs();
    if ((models != null && !models.isEmpty()) || (configs != null && !configs.isEmpty())) {
      return Optional.of(
          Made.of(
              models == null ? Set.of() : Set.copyOf(models),
              configs == null ? Set.of() : Set.copyOf(configs)));
    }
    return EndpointStatus.provisioned(owner) ? Optional.empty() : Optional.of(Made.NONE);
  }

  private static Outcome run(
      String endpointName,
      String ownerUid,
      Optional<Made> recorded,
      Optional<EndpointPlan.Desired> desired,
      SageMakerEndpoints ops,
      Function<Observed, Step> plan,
      BiConsumer<Step, Optional<EndpointDescription>> execute) {
    Optional<EndpointDescription> described = Optional.empty();
    Set<String> knownModels = new TreeSet<>(recorded.orElse(Made.NONE).models());
    Set<String> knownConfigs = new TreeSet<>(recorded.orElse(Made.NONE).configs());
    boolean teardown = desired.isEmpty();
    Step step = null;
    boolean acted = false;
    try {
      described = ops.describe(endpointName);
      if (recorded.isEmpty()) {
        // Made before models and configs were recorded: the one List this object ever needs.
        knownModels.addAll(ops.modelsDerivedFrom(endpointName));
        knownConfigs.addAll(ops.configsDerivedFrom(endpointName));
      }
      Observed observed =
          new Observed(
              described.map(SageMakerEndpointConverger::observed),
              existingModels(knownModels, desired, described, ops),
              existingConfigs(knownConfigs, desired, described, ops));
      for (int i = 0; i < MAX_STEPS; i++) {
        step = plan.apply(observed);
        if (needsRecording(step, knownModels, knownConfigs)) {
          // Recorded first, created by the next pass: a crash can orphan nothing.
          knownModels.addAll(desired.orElseThrow().models());
          knownConfigs.add(desired.orElseThrow().configName());
          return new Outcome(
              step,
              acted,
              described,
              Optional.empty(),
              Made.of(knownModels, knownConfigs),
              true,
              false);
        }
        if (step instanceof CheckOwnership) {
          // A read, not a change: learn whose endpoint this is, then plan again.
          boolean owned = ops.tags().ownedBy(described.orElseThrow().arn(), ownerUid);
          observed =
              new Observed(
                  observed.endpoint().map(e -> e.withOwned(owned)),
                  observed.ownedModels(),
                  observed.ownedConfigs());
          continue;
        }
        if (step instanceof CheckComponents) {
          // Also a read: SageMaker refuses to delete an endpoint that still hosts components.
          List<String> hosted = ops.componentsOn(endpointName);
          observed =
              new Observed(
                  observed.endpoint().map(e -> e.withHostedComponents(hosted)),
                  observed.ownedModels(),
                  observed.ownedConfigs());
          continue;
        }
        if (step instanceof Wait
            || step instanceof WaitForComponents
            || step instanceof InSync
            || stalls(step)) {
          break;
        }
        execute.accept(step, described);
        acted = true;
        if (step instanceof DeleteModel m) {
          knownModels.remove(m.modelName());
        } else if (step instanceof DeleteConfig c) {
          knownConfigs.remove(c.configName());
        }
        Optional<Observed> next = EndpointPlan.assume(observed, step);
        if (next.isEmpty()) {
          break;
        }
        observed = next.get();
      }
      return new Outcome(
          step,
          acted,
          described,
          Optional.empty(),
          Made.of(knownModels, knownConfigs),
          false,
          teardown);
    } catch (AwsCallException e) {
      return new Outcome(
          step,
          acted,
          described,
          Optional.of(e.failure()),
          Made.of(knownModels, knownConfigs),
          false,
          teardown);
    }
  }

  private static boolean needsRecording(
      Step step, Set<String> knownModels, Set<String> knownConfigs) {
    return (step instanceof CreateModel m && !knownModels.contains(m.modelName()))
        || (step instanceof CreateConfig c && !knownConfigs.contains(c.configName()));
  }

  /**
   * Which of the known models exist. Known models are taken to exist (deleting one already gone is
   * not an error), but for those the spec needs while the endpoint is not on, nor moving to, the
   * desired config: for those DescribeModel says. A desired model not recorded was never created by
   * Ebb.
   */
  private static Set<String> existingModels(
      Set<String> known,
      Optional<EndpointPlan.Desired> desired,
      Optional<EndpointDescription> described,
      SageMakerEndpoints ops) {
    Set<String> models = new TreeSet<>(known);
    if (desired.isPresent() && !deploys(described, desired.get().configName())) {
      for (String model : desired.get().models()) {
        if (known.contains(model) && !ops.modelExists(model)) {
          models.remove(model);
        }
      }
    }
    return Set.copyOf(models);
  }

  /** Which of the known configs exist, as for models (DescribeEndpointConfig). */
  private static Set<String> existingConfigs(
      Set<String> known,
      Optional<EndpointPlan.Desired> desired,
      Optional<EndpointDescription> described,
      SageMakerEndpoints ops) {
    Set<String> configs = new TreeSet<>(known);
    if (desired.isPresent()) {
      String config = desired.get().configName();
      if (known.contains(config) && !deploys(described, config) && !ops.configExists(config)) {
        configs.remove(config);
      }
    }
    return Set.copyOf(configs);
  }

  /** Whether the endpoint runs {@code config}, or a deployment in progress moves it there. */
  private static boolean deploys(Optional<EndpointDescription> described, String config) {
    return described
        .map(d -> config.equals(d.configName()) || config.equals(d.pendingConfigName()))
        .orElse(false);
  }

  private static ObservedEndpoint observed(EndpointDescription d) {
    Map<String, Double> weights =
        d.variants().entrySet().stream()
            .filter(e -> e.getValue().desiredWeight() != null)
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().desiredWeight()));
    return new ObservedEndpoint(d.status(), d.configName(), d.failureReason(), weights, null);
  }

  private static void applyStep(
      Step step,
      Optional<EndpointDescription> described,
      InferenceEndpoint owner,
      SageMakerTarget target,
      SageMakerEndpoints ops) {
    var spec = owner.getSpec();
    if (step instanceof Adopt) {
      ops.tags().adopt(described.orElseThrow().arn(), owner, target.userTags());
    } else if (step instanceof CreateModel m) {
      var model =
          spec.variants().stream()
              .filter(v -> m.modelName().equals(target.modelNames().get(v.name())))
              .findFirst()
              .orElseThrow()
              .model();
      ops.createModel(m.modelName(), model, target.executionRoleArn(), owner, target.userTags());
    } else if (step instanceof CreateConfig c) {
      ops.createConfig(
          c.configName(),
          spec,
          target.modelNames(),
          target.roleForConfig(spec),
          owner,
          target.userTags());
    } else if (step instanceof CreateEndpoint e) {
      ops.createEndpoint(target.endpointName(), e.configName(), owner, target.userTags());
    } else if (step instanceof UpdateEndpoint u) {
      ops.updateEndpoint(target.endpointName(), u.configName(), spec.rollout());
    } else if (step instanceof UpdateWeights w) {
      ops.updateWeights(target.endpointName(), w.weights());
    } else {
      applyTeardownStep(step, target.endpointName(), ops);
    }
  }

  private static void applyTeardownStep(Step step, String endpointName, SageMakerEndpoints ops) {
    if (step instanceof DeleteEndpoint) {
      ops.deleteEndpoint(endpointName);
    } else if (step instanceof DeleteConfig c) {
      ops.deleteConfig(c.configName());
    } else if (step instanceof DeleteModel m) {
      ops.deleteModel(m.modelName());
    } else {
      throw new IllegalStateException("not an action: " + step);
    }
  }
}
