package dev.ebb.reconciler.component;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceComponentStatus;
import dev.ebb.api.v1alpha1.InferenceComponentStatus.ColdStart;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec.TargetKind;
import dev.ebb.config.AwsConfig;
import dev.ebb.config.ClusterConfig;
import dev.ebb.config.LocalConfig;
import dev.ebb.config.PrunedItemStore;
import dev.ebb.config.ReconcileConfig;
import dev.ebb.config.TenancyConfig;
import dev.ebb.local.ColdStartMetrics;
import dev.ebb.local.ColdStarts;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.FailingCopies;
import dev.ebb.local.GatewayPods;
import dev.ebb.local.LocalComponents;
import dev.ebb.local.ModelFetcher;
import dev.ebb.local.ModelServerWorkload;
import dev.ebb.local.UnschedulableCopies;
import dev.ebb.local.WakeRule;
import dev.ebb.reconciler.Finalizers;
import dev.ebb.reconciler.PollSchedule;
import dev.ebb.reconciler.References;
import dev.ebb.reconciler.Retries;
import dev.ebb.reconciler.StatusPatch;
import dev.ebb.reconciler.tenancy.TenancyCheck;
import dev.ebb.reconciler.tenancy.TenancyWatch;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.SageMakerComponents;
import dev.ebb.sagemaker.SageMakerNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reconciles InferenceComponents: resolves endpointRef and variant (woken when the endpoint
 * changes), and on backend sagemaker converges the model and the inference component once the
 * endpoint is in service. The live copy count is a ScalingPolicy's when one targets the component.
 */
@ControllerConfiguration(
    name = "inferencecomponent",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class InferenceComponentReconciler
    implements Reconciler<InferenceComponent>, Cleaner<InferenceComponent> {
  private final Clock clock;
  private final AwsClients clients;
  private final AwsConfig aws;
  private final PollSchedule schedule;
  private final Retries retries;
  private final LocalConfig local;
  private final ColdStartMetrics coldStarts;

  /** Ebb's own pods, the only source the copies' NetworkPolicy admits; empty: no policy. */
  private final Optional<GatewayPods> gatewayPods;

  private InformerEventSource<ScalingPolicy, InferenceComponent> policies;
  private final TenancyWatch<InferenceComponent> tenancy;

  public InferenceComponentReconciler(
      Clock clock,
      AwsClients clients,
      AwsConfig aws,
      ReconcileConfig reconcile,
      LocalConfig local,
      ColdStartMetrics coldStarts,
      TenancyConfig tenancy,
      ClusterConfig cluster) {
    this.tenancy = new TenancyWatch<>(tenancy, cluster);
    this.local = local;
    this.gatewayPods =
        GatewayPods.of(
            local.networkPolicy().enabled(),
            local.networkPolicy().gatewayNamespace(),
            local.networkPolicy().gatewaySelector());
    this.coldStarts = coldStarts;
    this.clock = clock;
    this.clients = clients;
    this.aws = aws;
    this.schedule =
        new PollSchedule(
            reconcile.transitioningPoll(), reconcile.steadyResync(), reconcile.jitter());
    this.retries = new Retries(schedule, reconcile.maxRetryDelay());
  }

  @Override
  public List<EventSource<?, InferenceComponent>> prepareEventSources(
      EventSourceContext<InferenceComponent> context) {
    policies =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ScalingPolicy.class, InferenceComponent.class)
                .withName("scaling-policies")
                .withItemStore(new PrunedItemStore<>())
                .withSecondaryToPrimaryMapper(
                    p ->
                        p.getSpec().targetRef().kind() == TargetKind.InferenceComponent
                            ? Set.of(
                                new ResourceID(
                                    p.getSpec().targetRef().name(), p.getMetadata().getNamespace()))
                            : Set.of())
                .build(),
            context);
    // Backend local: the Deployments Ebb runs copies in (found by owner reference).
    var deployments =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Deployment.class, InferenceComponent.class)
                .withName("model-server-deployments")
                .withItemStore(new PrunedItemStore<>())
                .withLabelSelector("app.kubernetes.io/managed-by=ebb")
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerType(InferenceComponent.class))
                .build(),
            context);
    // Backend local: the copies' pods, for cold starts, copies the scheduler cannot place and
    // copies that keep failing (found by the component label). Every change of a pod's status
    // (PodScheduled, Ready, a container's state) wakes its component, so these show in the
    // component's status within the informer's latency.
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, InferenceComponent.class)
                .withName("model-server-pods")
                .withItemStore(new PrunedItemStore<>())
                .withLabelSelector("app.kubernetes.io/managed-by=ebb")
                .withSecondaryToPrimaryMapper(
                    (Pod pod) ->
                        Optional.ofNullable(pod.getMetadata().getLabels())
                            .map(l -> l.get(ModelServerWorkload.COMPONENT_LABEL))
                            .map(
                                name ->
                                    Set.of(new ResourceID(name, pod.getMetadata().getNamespace())))
                            .orElse(Set.of()))
                .build(),
            context);
    List<EventSource<?, InferenceComponent>> sources = new java.util.ArrayList<>();
    tenancy.eventSource(context).ifPresent(sources::add);
    sources.add(
        References.to(
            InferenceEndpoint.class, context, c -> Optional.of(c.getSpec().endpointRef().name())));
    sources.addAll(List.of(policies, deployments, pods));
    return sources;
  }

  @Override
  public UpdateControl<InferenceComponent> reconcile(
      InferenceComponent component, Context<InferenceComponent> context) {
    Instant now = clock.instant();
    Optional<InferenceEndpoint> endpoint = context.getSecondaryResource(InferenceEndpoint.class);
    if (endpoint.map(e -> e.getSpec().backend() == Backend.LOCAL).orElse(false)
        && ComponentStatus.placeable(component, endpoint)) {
      return reconcileLocal(component, endpoint.get(), context, now);
    }
    boolean sagemaker = endpoint.map(e -> e.getSpec().backend() == Backend.SAGEMAKER).orElse(false);
    if (!sagemaker || !ComponentStatus.placeable(component, endpoint)) {
      return StatusPatch.ifChanged(
          context.getClient(), now, component, ComponentStatus.desired(component, endpoint, now));
    }
    String endpointName = SageMakerNames.endpointName(endpoint.get());
    Optional<SageMakerComponentTarget> target =
        SageMakerComponentTarget.of(
            component,
            endpoint.get(),
            endpointName,
            aws.defaultExecutionRoleArn(),
            policyOwnsCopies(component));
    Optional<TenancyCheck.Denied> denied =
        target.flatMap(t -> denied(component, endpoint.get(), t.executionRoleArn()));
    if (denied.isPresent()) {
      // Before any AWS call: a change of the tenancy ConfigMap reconciles the component again.
      return StatusPatch.ifChanged(
          context.getClient(),
          now,
          component,
          ComponentStatus.notPermitted(component, denied.get(), now));
    }
    if (target.isEmpty() || !inService(endpoint.get())) {
      return StatusPatch.ifChanged(
              context.getClient(),
              now,
              component,
              ComponentStatus.endpointNotReady(component, endpointName, now))
          .rescheduleAfter(schedule.whileTransitioning(component.getMetadata().getUid()));
    }
    Optional<java.time.Duration> backingOff = Retries.waiting(component, now);
    if (backingOff.isPresent()) {
      // The last pass of this spec failed and its next attempt is ahead (status.retry): an
      // event in between does not bring it forward. A spec change does.
      return UpdateControl.<InferenceComponent>noUpdate().rescheduleAfter(backingOff.get());
    }
    var outcome =
        SageMakerComponentConverger.converge(component, target.get(), ops(endpoint.get()));
    String uid = component.getMetadata().getUid();
    RetryStatus retry = retries.after(outcome.end(), component, now);
    InferenceComponentStatus status =
        ComponentStatus.sagemaker(component, target.get(), outcome, retry, now);
    UpdateControl<InferenceComponent> control =
        StatusPatch.ifChanged(context.getClient(), now, component, status);
    if (outcome.recordFirst()) {
      // The pass only recorded the model it is about to create (status.models): create it now.
      return control.rescheduleAfter(java.time.Duration.ZERO);
    }
    return retries
        .nextLook(retry, outcome.end(), uid, now)
        .map(control::rescheduleAfter)
        .orElse(control);
  }

  /**
   * Backend local: the Deployment and Service for the component's copies. The copy count is set
   * here from spec.copies only when no ScalingPolicy owns it (then the autoscaling loop does).
   */
  private UpdateControl<InferenceComponent> reconcileLocal(
      InferenceComponent component,
      InferenceEndpoint endpoint,
      Context<InferenceComponent> context,
      Instant now) {
    int specCopies = component.getSpec().copies() == null ? 1 : component.getSpec().copies();
    Deployment applied =
        LocalComponents.apply(
            context.getClient(),
            component,
            endpoint,
            new ModelFetcher(
                local.modelFetcherImage(), aws.endpointOverride().map(URI::toString).orElse(null)),
            context.getSecondaryResource(Deployment.class),
            specCopies,
            gatewayPods);
    int desired = applied.getSpec().getReplicas() == null ? 1 : applied.getSpec().getReplicas();
    if (!policyOwnsCopies(component) && desired != specCopies) {
      LocalComponents.scale(context.getClient(), applied, specCopies);
      desired = specCopies;
    }
    var status = applied.getStatus();
    int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    var pods = context.getSecondaryResources(Pod.class);
    Optional<ColdStart> coldStart = ColdStarts.latest(pods);
    ColdStart previous =
        component.getStatus() == null ? null : component.getStatus().lastColdStart();
    coldStarts.recordNew(key(component), ColdStarts.all(pods));
    return StatusPatch.ifChanged(
        context.getClient(),
        now,
        component,
        ComponentStatus.local(
            component,
            ready,
            desired,
            UnschedulableCopies.of(pods),
            FailingCopies.of(pods),
            local.unschedulableTimeout(),
            coldStart.orElse(previous),
            WakeRule.of(policiesOn(component).toList()),
            now));
  }

  private static ComponentKey key(InferenceComponent component) {
    return new ComponentKey(
        component.getMetadata().getNamespace(), component.getMetadata().getName());
  }

  private boolean policyOwnsCopies(InferenceComponent component) {
    return policiesOn(component).findAny().isPresent();
  }

  /** Whether a ScalingPolicy still has Application Auto Scaling objects on this component. */
  private boolean scalingObjectsRemain(InferenceComponent component) {
    return policiesOn(component)
        .anyMatch(p -> p.getStatus() != null && p.getStatus().sagemaker() != null);
  }

  /** The ScalingPolicies that target this component, from the informer's cache. */
  private Stream<ScalingPolicy> policiesOn(InferenceComponent component) {
    String name = component.getMetadata().getName();
    return policies.list(
        component.getMetadata().getNamespace(),
        p ->
            p.getSpec().targetRef().kind() == TargetKind.InferenceComponent
                && name.equals(p.getSpec().targetRef().name()));
  }

  private static boolean inService(InferenceEndpoint endpoint) {
    var status = endpoint.getStatus();
    return status != null && "InService".equals(status.endpointStatus());
  }

  @Override
  public DeleteControl cleanup(InferenceComponent component, Context<InferenceComponent> context) {
    if (Finalizers.released(component)) {
      return DeleteControl.noFinalizerRemoval(); // let go already; the cache has not seen it yet
    }
    if (scalingObjectsRemain(component)) {
      // Scaling objects go before the component: the policy removes them as soon as it sees
      // the component going, and that status change wakes this object again.
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(schedule.whileTransitioning(component.getMetadata().getUid()));
    }
    Optional<InferenceEndpoint> endpoint = context.getSecondaryResource(InferenceEndpoint.class);
    if (endpoint.isEmpty() || endpoint.get().getSpec().backend() != Backend.SAGEMAKER) {
      // Nothing in SageMaker to remove, or no endpoint left to say where (it was retained).
      // Locally, Kubernetes deletes the Deployment and Service by their owner reference.
      coldStarts.forget(key(component));
      return Finalizers.release(component, context);
    }
    if (!ComponentStatus.provisioned(component)
        && SageMakerComponentTarget.of(
                component,
                endpoint.get(),
                SageMakerNames.endpointName(endpoint.get()),
                aws.defaultExecutionRoleArn(),
                false)
            .flatMap(t -> denied(component, endpoint.get(), t.executionRoleArn()))
            .isPresent()) {
      // Never allowed, so never created anything: no AWS call, not even to look. (A component
      // that was allowed once is torn down as usual: only what carries its own uid tag goes.)
      coldStarts.forget(key(component));
      return Finalizers.release(component, context);
    }
    var outcome =
        SageMakerComponentConverger.teardown(
            SageMakerNames.componentName(component),
            component.getMetadata().getUid(),
            SageMakerComponentConverger.recorded(component),
            ops(endpoint.get()));
    if (outcome.end().finished()) {
      return Finalizers.release(component, context);
    }
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(schedule.whileTransitioning(component.getMetadata().getUid()));
  }

  /** Why the component's namespace may not do this in AWS, if it may not. */
  private Optional<TenancyCheck.Denied> denied(
      InferenceComponent component, InferenceEndpoint endpoint, String executionRoleArn) {
    return TenancyCheck.check(
        tenancy.rights(),
        TenancyCheck.Request.of(component, endpoint, executionRoleArn, aws.defaultRegion()));
  }

  private SageMakerComponents ops(InferenceEndpoint endpoint) {
    Optional<String> region =
        Optional.ofNullable(endpoint.getSpec().sagemaker())
            .map(InferenceEndpointSpec.SageMaker::region);
    return new SageMakerComponents(() -> clients.sageMaker(region));
  }
}
