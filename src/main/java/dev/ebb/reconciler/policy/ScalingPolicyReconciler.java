package dev.ebb.reconciler.policy;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.GeneratedAwsObjects;
import dev.ebb.config.LocalConfig;
import dev.ebb.config.PrunedItemStore;
import dev.ebb.config.ReconcileConfig;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.LocalAutoscaler;
import dev.ebb.local.LocalMetricCatalog;
import dev.ebb.local.ModelServerWorkload;
import dev.ebb.local.PolicyRules;
import dev.ebb.reconciler.Finalizers;
import dev.ebb.reconciler.PassEnd;
import dev.ebb.reconciler.PollSchedule;
import dev.ebb.reconciler.References;
import dev.ebb.reconciler.Retries;
import dev.ebb.reconciler.StatusPatch;
import dev.ebb.sagemaker.AwsCallException;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.sagemaker.SageMakerScaling;
import dev.ebb.sagemaker.ScalingRecipes;
import dev.ebb.sagemaker.ScalingRecipes.Target;
import dev.ebb.scaling.ScalingRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reconciles ScalingPolicies: resolves targetRef (woken when the target component or endpoint
 * appears, changes or goes). On backend local it hands the policy to the autoscaling loop ({@link
 * LocalAutoscaler}) and reports what the loop did. On backend sagemaker it compiles the policy into
 * Application Auto Scaling and CloudWatch objects once the target is in service. When the target
 * goes first, the objects go with it; when the policy goes, a finalizer removes them (alarms, then
 * policies and scheduled actions, then the scalable target).
 */
@ControllerConfiguration(
    name = "scalingpolicy",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class ScalingPolicyReconciler implements Reconciler<ScalingPolicy>, Cleaner<ScalingPolicy> {
  private final Clock clock;
  private final AwsClients clients;
  private final PollSchedule schedule;
  private final Retries retries;
  private final LocalAutoscaler autoscaler;
  private final LocalConfig localConfig;
  private InformerEventSource<InferenceEndpoint, ScalingPolicy> endpoints;

  public ScalingPolicyReconciler(
      Clock clock,
      AwsClients clients,
      ReconcileConfig reconcile,
      LocalConfig localConfig,
      LocalAutoscaler autoscaler) {
    this.clock = clock;
    this.localConfig = localConfig;
    this.autoscaler = autoscaler;
    this.clients = clients;
    this.schedule =
        new PollSchedule(
            reconcile.transitioningPoll(), reconcile.steadyResync(), reconcile.jitter());
    this.retries = new Retries(schedule, reconcile.maxRetryDelay());
  }

  @Override
  public List<EventSource<?, ScalingPolicy>> prepareEventSources(
      EventSourceContext<ScalingPolicy> context) {
    endpoints =
        References.to(
            InferenceEndpoint.class, context, p -> targetName(p, TargetKind.InferenceEndpoint));
    // Backend local: the autoscaling loop wakes a policy after each scaling activity.
    var activities = new SimpleInboundEventSource<ScalingPolicy>("local-autoscaler");
    autoscaler.onChange(
        key -> activities.propagateEvent(new ResourceID(key.name(), key.namespace())));
    return List.of(
        References.to(
            InferenceComponent.class, context, p -> targetName(p, TargetKind.InferenceComponent)),
        endpoints,
        activities);
  }

  private static Optional<String> targetName(ScalingPolicy policy, TargetKind kind) {
    var target = policy.getSpec().targetRef();
    return target.kind() == kind ? Optional.of(target.name()) : Optional.empty();
  }

  /**
   * The resolved target: the component (if any), the endpoint that hosts what is scaled, and the
   * variant a policy on an endpoint scales.
   */
  private record Resolved(
      Optional<InferenceComponent> component,
      Optional<InferenceEndpoint> endpoint,
      String variant) {}

  private Resolved resolve(ScalingPolicy policy, Context<ScalingPolicy> context) {
    if (policy.getSpec().targetRef().kind() == TargetKind.InferenceEndpoint) {
      return new Resolved(
          Optional.empty(),
          live(context.getSecondaryResource(InferenceEndpoint.class)),
          policy.getSpec().targetRef().variant());
    }
    Optional<InferenceComponent> component =
        live(context.getSecondaryResource(InferenceComponent.class));
    // A component's endpoint is read from the endpoint informer's cache, not the API server.
    Optional<InferenceEndpoint> endpoint =
        component.flatMap(
            c ->
                live(
                    endpoints.get(
                        new ResourceID(
                            c.getSpec().endpointRef().name(), c.getMetadata().getNamespace()))));
    return new Resolved(component, endpoint, null);
  }

  /** An object being deleted counts as gone: the policy lets go of it first. */
  private static <T extends HasMetadata> Optional<T> live(Optional<T> object) {
    return object.filter(o -> o.getMetadata().getDeletionTimestamp() == null);
  }

  @Override
  public UpdateControl<ScalingPolicy> reconcile(
      ScalingPolicy policy, Context<ScalingPolicy> context) {
    Instant now = clock.instant();
    Resolved target = resolve(policy, context);
    TargetKind kind = policy.getSpec().targetRef().kind();
    Optional<ScalingPolicyStatus> unresolved =
        PolicyStatus.unresolved(
            policy,
            target.component(),
            kind == TargetKind.InferenceEndpoint ? target.endpoint() : Optional.empty(),
            now);
    if (unresolved.isPresent()) {
      return withoutObjects(policy, unresolved.get(), context.getClient(), now);
    }
    if (target.endpoint().isEmpty()) {
      var component = target.component().orElseThrow();
      return StatusPatch.ifChanged(
          context.getClient(),
          now,
          policy,
          PolicyStatus.targetNotReady(
              policy,
              "InferenceComponent "
                  + component.getMetadata().getName()
                  + " is placed on InferenceEndpoint "
                  + component.getSpec().endpointRef().name()
                  + ", which does not exist; the policy is applied once it does.",
              now));
    }
    if (target.endpoint().get().getSpec().backend() == Backend.LOCAL) {
      return reconcileLocal(policy, target, context, now);
    }
    InferenceEndpoint endpoint = target.endpoint().get();
    Optional<String> cannotReachZero = cannotReachZero(policy, target);
    ScalingPolicyStatus previous = policy.getStatus();
    if (cannotReachZero.isPresent()) {
      ScalingPolicyStatus status =
          PolicyStatus.cannotScaleToZero(policy, cannotReachZero.get(), now);
      return StatusPatch.ifChanged(context.getClient(), now, policy, status);
    }
    Optional<String> notReady = notReady(target);
    if (notReady.isPresent()) {
      // The target's changes wake the policy; the look on the poll schedule costs no AWS call
      // and covers a change that raced this pass.
      return StatusPatch.ifChanged(
              context.getClient(),
              now,
              policy,
              PolicyStatus.targetNotReady(policy, notReady.get(), now))
          .rescheduleAfter(schedule.whileTransitioning(policy.getMetadata().getUid()));
    }
    Optional<String> regionSpec = region(endpoint);
    String alarmBase = alarmBase(policy);
    boolean specChanged =
        previous == null
            || !Objects.equals(previous.observedGeneration(), policy.getMetadata().getGeneration());
    Optional<java.time.Duration> backingOff = Retries.waiting(policy, now);
    if (backingOff.isPresent()) {
      // The last pass of this spec failed and its next attempt is ahead (status.retry): a
      // target's change in between does not bring it forward. A spec change does.
      return UpdateControl.<ScalingPolicy>noUpdate().rescheduleAfter(backingOff.get());
    }
    String region = null;
    SageMakerScaling.Outcome outcome;
    try {
      region = clients.regionId(regionSpec);
      outcome =
          SageMakerPolicyConverger.converge(
              ScalingRecipes.of(
                  EffectivePolicy.of(policy.getSpec()), scalingTarget(target), alarmBase),
              alarmBase,
              specChanged,
              scaling(regionSpec));
    } catch (AwsCallException noRegion) {
      outcome = SageMakerScaling.Outcome.failedBeforeStart(noRegion.failure());
    }
    // AWS's scaling APIs are synchronous: a pass without failure leaves the objects settled.
    PassEnd end = new PassEnd(outcome.failure(), true, false);
    String uid = policy.getMetadata().getUid();
    RetryStatus retry = retries.after(end, policy, now);
    ScalingPolicyStatus status =
        PolicyStatus.sagemaker(policy, region, outcome, capacity(target), retry, now);
    UpdateControl<ScalingPolicy> control =
        StatusPatch.ifChanged(context.getClient(), now, policy, status);
    return retries.nextLook(retry, end, uid, now).map(control::rescheduleAfter).orElse(control);
  }

  /**
   * Backend local: the autoscaling loop evaluates the policy on the component's Deployment; this
   * pass hands it the current spec and writes what the loop reports (it wakes this reconciler after
   * every scaling activity).
   */
  private UpdateControl<ScalingPolicy> reconcileLocal(
      ScalingPolicy policy, Resolved target, Context<ScalingPolicy> context, Instant now) {
    ScalingPolicyStatus status;
    if (target.component().isEmpty()) {
      autoscaler.untrack(policy);
      status = PolicyStatus.unsupportedTarget(policy, now);
    } else {
      status = trackLocal(policy, target.component().get(), capacity(target), now);
    }
    return StatusPatch.ifChanged(context.getClient(), now, policy, status);
  }

  private ScalingPolicyStatus trackLocal(
      ScalingPolicy policy,
      InferenceComponent component,
      PolicyStatus.Capacity capacity,
      Instant now) {
    ScalingRules rules;
    EffectivePolicy effective;
    try {
      effective = EffectivePolicy.of(policy.getSpec());
      rules = PolicyRules.of(effective);
    } catch (IllegalArgumentException invalid) {
      autoscaler.untrack(policy);
      return PolicyStatus.invalidSpec(policy, invalid.getMessage(), now);
    }
    var sources = LocalMetricCatalog.sources(effective);
    Optional<String> unmeasured =
        LocalMetricCatalog.unavailable(
            sources,
            component.getMetadata().getName(),
            ModelServerWorkload.metrics(component.getSpec()).isPresent(),
            localConfig.gpuMetrics().exporterSelector().isPresent());
    if (unmeasured.isPresent()) {
      autoscaler.untrack(policy);
      return PolicyStatus.metricUnavailable(policy, unmeasured.get(), now);
    }
    var view =
        autoscaler.track(
            policy,
            rules,
            new ComponentKey(
                component.getMetadata().getNamespace(), component.getMetadata().getName()),
            PolicyStatus.persisted(policy),
            LocalMetricCatalog.scraped(sources));
    return PolicyStatus.local(policy, view, capacity, now);
  }

  /** The target went (or never resolved): whatever Ebb made for it in AWS goes too. */
  private UpdateControl<ScalingPolicy> withoutObjects(
      ScalingPolicy policy,
      ScalingPolicyStatus unresolved,
      io.fabric8.kubernetes.client.KubernetesClient client,
      Instant now) {
    autoscaler.untrack(policy);
    GeneratedAwsObjects objects =
        policy.getStatus() == null ? null : policy.getStatus().sagemaker();
    if (objects == null) {
      return StatusPatch.ifChanged(client, now, policy, unresolved);
    }
    var outcome = teardown(policy, objects);
    if (outcome.failure().isPresent()) {
      ScalingPolicyStatus status =
          PolicyStatus.sagemaker(
              policy,
              objects.region(),
              outcome,
              PolicyStatus.Capacity.UNKNOWN,
              null,
              clock.instant());
      return StatusPatch.ifChanged(client, now, policy, status)
          .rescheduleAfter(schedule.whileTransitioning(policy.getMetadata().getUid()));
    }
    return StatusPatch.ifChanged(client, now, policy, unresolved);
  }

  @Override
  public DeleteControl cleanup(ScalingPolicy policy, Context<ScalingPolicy> context) {
    if (Finalizers.released(policy)) {
      return DeleteControl.noFinalizerRemoval(); // let go already; the cache has not seen it yet
    }
    autoscaler.untrack(policy);
    GeneratedAwsObjects objects =
        policy.getStatus() == null ? null : policy.getStatus().sagemaker();
    Resolved target = resolve(policy, context);
    if (objects == null) {
      // Nothing recorded; a crash may still have left objects between the first write and the
      // status patch, so look where the current target says they would be.
      Optional<GeneratedAwsObjects> derived = derivedObjects(target);
      if (derived.isEmpty()) {
        return Finalizers.release(policy, context);
      }
      objects = derived.get();
    }
    var outcome = teardown(policy, objects);
    if (outcome.failure().isEmpty()) {
      return Finalizers.release(policy, context);
    }
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(schedule.whileTransitioning(policy.getMetadata().getUid()));
  }

  private Optional<GeneratedAwsObjects> derivedObjects(Resolved target) {
    if (target.endpoint().isEmpty()
        || target.endpoint().get().getSpec().backend() != Backend.SAGEMAKER) {
      return Optional.empty();
    }
    return Optional.of(
        new GeneratedAwsObjects(
            region(target.endpoint().get()).orElse(null),
            scalingTarget(target).resourceId(),
            List.of(),
            List.of(),
            List.of()));
  }

  private SageMakerScaling.Outcome teardown(ScalingPolicy policy, GeneratedAwsObjects objects) {
    Optional<Target> target = Target.ofResourceId(objects.scalableTarget());
    if (target.isEmpty()) {
      return SageMakerScaling.Outcome.nothing();
    }
    return SageMakerPolicyConverger.teardown(
        target.get(), alarmBase(policy), scaling(Optional.ofNullable(objects.region())));
  }

  private Target scalingTarget(Resolved target) {
    InferenceEndpoint endpoint = target.endpoint().orElseThrow();
    String endpointName = SageMakerNames.endpointName(endpoint);
    if (target.component().isPresent()) {
      return Target.component(SageMakerNames.componentName(target.component().get()), endpointName);
    }
    return Target.variant(endpointName, target.variant());
  }

  /** Why nothing can be registered yet, or empty when the target is in service in SageMaker. */
  private static Optional<String> notReady(Resolved target) {
    if (target.component().isPresent()) {
      var status = target.component().get().getStatus();
      boolean inService = status != null && "InService".equals(status.sageMakerStatus());
      return inService
          ? Optional.empty()
          : Optional.of(
              "InferenceComponent "
                  + target.component().get().getMetadata().getName()
                  + " is not in service in SageMaker yet; the policy is applied once it is.");
    }
    var status = target.endpoint().get().getStatus();
    boolean inService = status != null && "InService".equals(status.endpointStatus());
    return inService
        ? Optional.empty()
        : Optional.of(
            "InferenceEndpoint "
                + target.endpoint().get().getMetadata().getName()
                + " is not in service in SageMaker yet; the policy is applied once it is.");
  }

  /**
   * SageMaker takes a component's instances to zero only with managed instance scaling down to 0,
   * and a variant to zero instances only when it is asynchronous.
   */
  private static Optional<String> cannotReachZero(ScalingPolicy policy, Resolved target) {
    if (policy.getSpec().minCapacity() != 0) {
      return Optional.empty();
    }
    InferenceEndpoint endpoint = target.endpoint().orElseThrow();
    if (target.component().isPresent()) {
      String variant = target.component().get().getSpec().variant();
      boolean misToZero =
          endpoint.getSpec().variants().stream()
              .filter(v -> v.name().equals(variant))
              .anyMatch(
                  v ->
                      v.managedInstanceScaling() != null
                          && Integer.valueOf(0)
                              .equals(v.managedInstanceScaling().minInstanceCount()));
      return misToZero
          ? Optional.empty()
          : Optional.of(
              "spec.minCapacity is 0, but variant "
                  + variant
                  + " of InferenceEndpoint "
                  + endpoint.getMetadata().getName()
                  + " has no managedInstanceScaling with minInstanceCount 0, so its instances"
                  + " cannot reach zero. Set that on the endpoint, or minCapacity to 1 or more.");
    }
    return endpoint.getSpec().async() != null
        ? Optional.empty()
        : Optional.of(
            "spec.minCapacity is 0, but InferenceEndpoint "
                + endpoint.getMetadata().getName()
                + " is not asynchronous: SageMaker scales a real-time variant to zero instances"
                + " only through inference components. Set minCapacity to 1 or more.");
  }

  /** The target's capacity as Ebb last read it from SageMaker (copies or instances). */
  private static PolicyStatus.Capacity capacity(Resolved target) {
    if (target.component().isPresent()) {
      var status = target.component().get().getStatus();
      return status == null || status.copies() == null
          ? PolicyStatus.Capacity.UNKNOWN
          : new PolicyStatus.Capacity(status.copies().current(), status.copies().desired());
    }
    var status = target.endpoint().get().getStatus();
    String variant = target.variant();
    if (status == null || status.variants() == null) {
      return PolicyStatus.Capacity.UNKNOWN;
    }
    return status.variants().stream()
        .filter(v -> v.name().equals(variant))
        .findFirst()
        .map(v -> new PolicyStatus.Capacity(v.currentInstanceCount(), v.desiredInstanceCount()))
        .orElse(PolicyStatus.Capacity.UNKNOWN);
  }

  private static Optional<String> region(InferenceEndpoint endpoint) {
    return Optional.ofNullable(endpoint.getSpec().sagemaker())
        .map(InferenceEndpointSpec.SageMaker::region);
  }

  private static String alarmBase(ScalingPolicy policy) {
    return ScalingRecipes.alarmBase(
        policy.getMetadata().getNamespace(), policy.getMetadata().getName());
  }

  private SageMakerScaling scaling(Optional<String> region) {
    return new SageMakerScaling(
        () -> clients.applicationAutoScaling(region), () -> clients.cloudWatch(region));
  }
}
