package dev.ebb.reconciler.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides the next step that brings a SageMaker endpoint to its desired state, from what was read
 * from SageMaker. Pure: no I/O, so every path (fresh create, config roll, weights-only change,
 * clean-up, failures, a crash between any two calls) is a table row in a test. The reconciler runs
 * the step, reads again, and asks again: whatever happened before a crash, the next plan starts
 * from what exists.
 */
public final class EndpointPlan {
  private EndpointPlan() {}

  /**
   * What the endpoint should look like.
   *
   * @param lastDeployment the config Ebb last asked SageMaker to deploy (status), null if unknown:
   *     an endpoint back in service on another config, with a FailureReason, rolled it back
   * @param keepsVariantNames whether the spec's rollout is a blue/green deployment, which SageMaker
   *     runs only when the new config keeps the live variant names
   */
  public record Desired(
      String endpointName,
      String configName,
      Set<String> models,
      Map<String, Double> weights,
      boolean adopt,
      String lastDeployment,
      boolean keepsVariantNames) {

    public Desired(
        String endpointName,
        String configName,
        Set<String> models,
        Map<String, Double> weights,
        boolean adopt) {
      this(endpointName, configName, models, weights, adopt, null, false);
    }

    public Desired withLastDeployment(String configName) {
      return new Desired(
          endpointName, this.configName, models, weights, adopt, configName, keepsVariantNames);
    }

    public Desired withBlueGreenRollout() {
      return new Desired(endpointName, configName, models, weights, adopt, lastDeployment, true);
    }
  }

  /** What SageMaker reported. {@code endpoint} empty means confirmed absent. */
  public record Observed(
      Optional<ObservedEndpoint> endpoint, Set<String> ownedModels, Set<String> ownedConfigs) {}

  /**
   * The endpoint as DescribeEndpoint reports it. {@code owned}: whether its {@code ebb.dev/uid} tag
   * names this object; null while not looked up (tags are read only before Ebb changes the
   * endpoint). {@code hostedComponents}: the inference components on it; null while not looked up
   * (listed only before Ebb deletes the endpoint).
   */
  public record ObservedEndpoint(
      String status,
      String configName,
      String failureReason,
      Map<String, Double> desiredWeights,
      Boolean owned,
      List<String> hostedComponents) {

    public ObservedEndpoint(
        String status,
        String configName,
        String failureReason,
        Map<String, Double> desiredWeights,
        Boolean owned) {
      this(status, configName, failureReason, desiredWeights, owned, null);
    }

    public ObservedEndpoint withOwned(boolean owned) {
      return new ObservedEndpoint(
          status, configName, failureReason, desiredWeights, owned, hostedComponents);
    }

    public ObservedEndpoint withHostedComponents(List<String> names) {
      return new ObservedEndpoint(
          status, configName, failureReason, desiredWeights, owned, List.copyOf(names));
    }
  }

  /** One step. */
  public sealed interface Step {}

  public record CreateModel(String modelName) implements Step {}

  public record CreateConfig(String configName) implements Step {}

  public record CreateEndpoint(String configName) implements Step {}

  public record UpdateEndpoint(String configName) implements Step {}

  public record UpdateWeights(Map<String, Double> weights) implements Step {}

  /** Ebb must know whether it owns the endpoint before changing it: read its tags. */
  public record CheckOwnership() implements Step {}

  /** Take over an endpoint Ebb did not create ({@code adopt: true}): tag it as this object's. */
  public record Adopt() implements Step {}

  /** The endpoint exists but belongs to someone else, and adopt is false. */
  public record NotOwned(String endpointName) implements Step {}

  /** Before deleting the endpoint: list the inference components still on it (a read). */
  public record CheckComponents() implements Step {}

  /**
   * SageMaker deletes an endpoint only once no inference component is left on it: wait for these
   * (their InferenceComponents' finalizers, or whoever created them, remove them).
   */
  public record WaitForComponents(List<String> componentNames) implements Step {}

  public record DeleteEndpoint(String why) implements Step {}

  public record DeleteConfig(String configName) implements Step {}

  public record DeleteModel(String modelName) implements Step {}

  /** SageMaker is busy with the endpoint; look again later. */
  public record Wait(String status) implements Step {}

  /** The endpoint failed in a way only a spec change can fix. */
  public record Failed(String reason) implements Step {}

  /**
   * SageMaker rolled the deployment of {@code configName} back (an auto-rollback alarm fired, or
   * the new fleet failed): the endpoint serves its old config. Ebb does not deploy the same config
   * again; a spec change does. {@code firingAlarms}: the spec's rollback alarms in ALARM, null
   * until looked up.
   */
  public record RolledBack(String configName, String failureReason, List<String> firingAlarms)
      implements Step {
    public RolledBack withFiringAlarms(List<String> alarms) {
      return new RolledBack(configName, failureReason, List.copyOf(alarms));
    }
  }

  /**
   * SageMaker's UpdateRollbackFailed: the deployment of {@code configName} and its rollback both
   * failed, and the endpoint serves a mix of old and new. A spec change deploys again; the same
   * spec waits for a person.
   */
  public record RollbackFailed(String configName, String failureReason) implements Step {}

  /**
   * The spec renames, adds or removes variants under a blue/green rollout, which SageMaker refuses
   * ("your new endpoint configuration must have the same variant name as the old").
   */
  public record VariantsChanged(Set<String> live, Set<String> desired) implements Step {}

  /** Nothing to do. */
  public record InSync() implements Step {}

  /** SageMaker endpoint states that mean "busy, do not touch". */
  static final Set<String> TRANSITIONING =
      Set.of("Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting");

  public static Step next(Desired desired, Observed observed) {
    Optional<Step> create = creation(desired, observed);
    if (create.isPresent()) {
      // Nothing is created for an endpoint name someone else holds.
      return observed.endpoint().flatMap(e -> ownershipGate(desired, e)).orElse(create.get());
    }
    if (observed.endpoint().isEmpty()) {
      return new CreateEndpoint(desired.configName());
    }
    ObservedEndpoint endpoint = observed.endpoint().get();
    if (TRANSITIONING.contains(endpoint.status())) {
      return new Wait(endpoint.status());
    }
    boolean onDesiredConfig = desired.configName().equals(endpoint.configName());
    boolean deployedBefore = desired.configName().equals(desired.lastDeployment());
    if ("UpdateRollbackFailed".equals(endpoint.status())) {
      // UpdateEndpoint is how an endpoint leaves this state; only a new spec is worth deploying.
      return deployedBefore
          ? new RollbackFailed(desired.configName(), endpoint.failureReason())
          : ownershipGate(desired, endpoint).orElse(new UpdateEndpoint(desired.configName()));
    }
    if (!onDesiredConfig && deployedBefore && hasText(endpoint.failureReason())) {
      // Back on another config with a reason: SageMaker rolled this deployment back. Deploying
      // it again would loop; someone (usually a spec change) has to decide.
      return new RolledBack(desired.configName(), endpoint.failureReason(), null);
    }
    if ("Failed".equals(endpoint.status())) {
      // A failed endpoint cannot be updated; a new spec replaces it, the same spec stays failed.
      return onDesiredConfig
          ? new Failed(endpoint.failureReason())
          : ownershipGate(desired, endpoint)
              .orElse(
                  new DeleteEndpoint(
                      "endpoint failed; replacing it with config " + desired.configName()));
    }
    if (!onDesiredConfig
        && desired.keepsVariantNames()
        && endpoint.desiredWeights() != null
        && !endpoint.desiredWeights().keySet().equals(desired.weights().keySet())) {
      return new VariantsChanged(
          new TreeSet<>(endpoint.desiredWeights().keySet()),
          new TreeSet<>(desired.weights().keySet()));
    }
    Step change =
        !onDesiredConfig
            ? new UpdateEndpoint(desired.configName())
            : !sameWeights(desired.weights(), endpoint.desiredWeights())
                ? new UpdateWeights(desired.weights())
                : null;
    if (change != null) {
      return ownershipGate(desired, endpoint).orElse(change);
    }
    // In service on the desired config: superseded configs and models can go.
    for (String config : new TreeSet<>(observed.ownedConfigs())) {
      if (!config.equals(desired.configName())) {
        return new DeleteConfig(config);
      }
    }
    for (String model : new TreeSet<>(observed.ownedModels())) {
      if (!desired.models().contains(model)) {
        return new DeleteModel(model);
      }
    }
    return new InSync();
  }

  private static Optional<Step> creation(Desired desired, Observed observed) {
    for (String model : new TreeSet<>(desired.models())) {
      if (!observed.ownedModels().contains(model)) {
        return Optional.of(new CreateModel(model));
      }
    }
    if (!observed.ownedConfigs().contains(desired.configName())) {
      return Optional.of(new CreateConfig(desired.configName()));
    }
    return Optional.empty();
  }

  /**
   * Before Ebb changes an existing endpoint: unknown ownership is looked up first; an endpoint of
   * someone else's is adopted when asked to, and otherwise left alone.
   */
  private static Optional<Step> ownershipGate(Desired desired, ObservedEndpoint endpoint) {
    if (endpoint.owned() == null) {
      return Optional.of(new CheckOwnership());
    }
    if (!endpoint.owned()) {
      return Optional.of(desired.adopt() ? new Adopt() : new NotOwned(desired.endpointName()));
    }
    return Optional.empty();
  }

  /**
   * Teardown order: (components, by others) endpoint, then configs, then models. {@code Wait} while
   * SageMaker deletes; {@code WaitForComponents} while components remain on the endpoint. An
   * endpoint that is not this object's (not created, nor adopted, by it) is left in place.
   */
  public static Step nextTeardown(Observed observed) {
    if (observed.endpoint().isPresent()) {
      ObservedEndpoint endpoint = observed.endpoint().get();
      if ("Deleting".equals(endpoint.status())) {
        return new Wait(endpoint.status());
      }
      if (endpoint.owned() == null) {
        return new CheckOwnership();
      }
      if (endpoint.owned()) {
        if (endpoint.hostedComponents() == null) {
          return new CheckComponents();
        }
        return endpoint.hostedComponents().isEmpty()
            ? new DeleteEndpoint("object deleted")
            : new WaitForComponents(endpoint.hostedComponents());
      }
    }
    List<String> configs = List.copyOf(new TreeSet<>(observed.ownedConfigs()));
    if (!configs.isEmpty()) {
      return new DeleteConfig(configs.get(0));
    }
    List<String> models = List.copyOf(new TreeSet<>(observed.ownedModels()));
    if (!models.isEmpty()) {
      return new DeleteModel(models.get(0));
    }
    return new InSync();
  }

  /**
   * What SageMaker looks like after {@code step} succeeded, for steps whose effect is certain
   * (creating or deleting a model or config), so one reconcile can take several of them without
   * reading everything again. Empty for steps that set the endpoint in motion: after those, the
   * next look has to come from SageMaker.
   */
  public static Optional<Observed> assume(Observed observed, Step step) {
    var models = new TreeSet<>(observed.ownedModels());
    var configs = new TreeSet<>(observed.ownedConfigs());
    if (step instanceof CreateModel m) {
      models.add(m.modelName());
    } else if (step instanceof DeleteModel m) {
      models.remove(m.modelName());
    } else if (step instanceof CreateConfig c) {
      configs.add(c.configName());
    } else if (step instanceof DeleteConfig c) {
      configs.remove(c.configName());
    } else if (step instanceof Adopt) {
      return Optional.of(
          new Observed(observed.endpoint().map(e -> e.withOwned(true)), models, configs));
    } else {
      return Optional.empty();
    }
    return Optional.of(new Observed(observed.endpoint(), Set.copyOf(models), Set.copyOf(configs)));
  }

  private static boolean hasText(String text) {
    return text != null && !text.isBlank();
  }

  /** Weights compared as SageMaker stores them (floats), so 0.7 and 0.70000005 are equal. */
  static boolean sameWeights(Map<String, Double> desired, Map<String, Double> observed) {
    if (observed == null || !desired.keySet().equals(observed.keySet())) {
      return false;
    }
    return desired.entrySet().stream()
        .allMatch(
            e ->
                Objects.equals(
                    (float) e.getValue().doubleValue(),
                    (float) observed.get(e.getKey()).doubleValue()));
  }
}
