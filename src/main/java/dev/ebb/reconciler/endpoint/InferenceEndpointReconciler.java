package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import dev.ebb.api.v1alpha1.InferenceEndpointStatus;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.config.AwsConfig;
import dev.ebb.config.ClusterConfig;
import dev.ebb.config.GatewayConfig;
import dev.ebb.config.PrunedItemStore;
import dev.ebb.config.ReconcileConfig;
import dev.ebb.config.TenancyConfig;
import dev.ebb.reconciler.Finalizers;
import dev.ebb.reconciler.PollSchedule;
import dev.ebb.reconciler.Retries;
import dev.ebb.reconciler.StatusPatch;
import dev.ebb.reconciler.endpoint.SageMakerEndpointConverger.Outcome;
import dev.ebb.reconciler.tenancy.TenancyCheck;
import dev.ebb.reconciler.tenancy.TenancyWatch;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.DeploymentAlarms;
import dev.ebb.sagemaker.SageMakerEndpoints;
import dev.ebb.sagemaker.SageMakerNames;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reconciles InferenceEndpoints. Backend sagemaker: converges models, the content-addressed
 * endpoint config and the endpoint, one bounded pass per reconcile, woken again on the poll
 * schedule; tears everything down in order on delete unless {@code deletionPolicy: Retain}. Backend
 * local: not provisioned yet, and says so.
 */
@ControllerConfiguration(
    name = "inferenceendpoint",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class InferenceEndpointReconciler
    implements Reconciler<InferenceEndpoint>, Cleaner<InferenceEndpoint> {
  private final Clock clock;
  private final AwsClients clients;
  private final AwsConfig aws;
  private final GatewayConfig gateway;
  private final PollSchedule schedule;
  private final Retries retries;
  private final PublicAccessWarning publicAccess = new PublicAccessWarning();
  private final TenancyWatch<InferenceEndpoint> tenancy;

  public InferenceEndpointReconciler(
      Clock clock,
      AwsClients clients,
      AwsConfig aws,
      ReconcileConfig reconcile,
      GatewayConfig gateway,
      TenancyConfig tenancy,
      ClusterConfig cluster) {
    this.clock = clock;
    this.tenancy = new TenancyWatch<>(tenancy, cluster);
    this.gateway = gateway;
    this.clients = clients;
    this.aws = aws;
    this.schedule =
        new PollSchedule(
            reconcile.transitioningPoll(), reconcile.steadyResync(), reconcile.jitter());
    this.retries = new Retries(schedule, reconcile.maxRetryDelay());
  }

  @Override
  public List<EventSource<?, InferenceEndpoint>> prepareEventSources(
      EventSourceContext<InferenceEndpoint> context) {
    // The components placed on each endpoint, so a deletion can wait for them and is woken as
    // each one goes. Only their disappearance wakes an endpoint: a component's status changes
    // often, and each wake would cost a look at SageMaker.
    List<EventSource<?, InferenceEndpoint>> sources = new java.util.ArrayList<>();
    tenancy.eventSource(context).ifPresent(sources::add);
    sources.add(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(InferenceComponent.class, InferenceEndpoint.class)
                .withName("placed-components")
                .withItemStore(new PrunedItemStore<>())
                // A component's status changes often; only a change of what it serves (its
                // state, or its Ready or ScaledToZero condition) can change the endpoint's.
                .withOnUpdateFilter((updated, old) -> !serving(updated).equals(serving(old)))
                .withSecondaryToPrimaryMapper(
                    c ->
                        Set.of(
                            new ResourceID(
                                c.getSpec().endpointRef().name(), c.getMetadata().getNamespace())))
                .build(),
            context));
    return sources;
  }

  /** How often a missing access Secret is looked for. */
  static final java.time.Duration ACCESS_SECRET_LOOK = java.time.Duration.ofSeconds(30);

  /** What of a component's status its endpoint's status reads. */
  private static List<Object> serving(InferenceComponent c) {
    var status = c.getStatus();
    if (status == null) {
      return List.of();
    }
    return java.util.Arrays.asList(
        status.state(),
        status.condition(dev.ebb.api.v1alpha1.Condition.READY),
        status.condition(dev.ebb.api.v1alpha1.Condition.SCALED_TO_ZERO),
        c.getSpec().variant());
  }

  /**
   * The Secret spec.access.apiKeys names, when it does not exist (a list by name: the chart grants
   * list and watch on Secrets, not get).
   */
  static Optional<String> missingAccessSecret(
      InferenceEndpoint endpoint, io.fabric8.kubernetes.client.KubernetesClient client) {
    var access = endpoint.getSpec().access();
    if (access == null || access.apiKeys() == null || access.apiKeys().secretRef() == null) {
      return Optional.empty();
    }
    String secret = access.apiKeys().secretRef().name();
    boolean exists =
        !client
            .secrets()
            .inNamespace(endpoint.getMetadata().getNamespace())
            .withField("metadata.name", secret)
            .list()
            .getItems()
            .isEmpty();
    return exists ? Optional.empty() : Optional.of(secret);
  }

  @Override
  public UpdateControl<InferenceEndpoint> reconcile(
      InferenceEndpoint endpoint, Context<InferenceEndpoint> context) {
    Instant now = clock.instant();
    publicAccess.logIfNew(endpoint);
    if (endpoint.getSpec().backend() == Backend.LOCAL) {
      Optional<String> missingSecret = missingAccessSecret(endpoint, context.getClient());
      String name = SageMakerNames.endpointName(endpoint);
      UpdateControl<InferenceEndpoint> control =
          StatusPatch.ifChanged(
              context.getClient(),
              now,
              endpoint,
              EndpointStatus.local(
                  endpoint,
                  name,
                  gateway.url() + "/endpoints/" + name + "/invocations",
                  List.copyOf(context.getSecondaryResources(InferenceComponent.class)),
                  missingSecret,
                  now));
      // A Secret that does not exist yet is looked for again: nothing else wakes this endpoint.
      return missingSecret.isPresent() ? control.rescheduleAfter(ACCESS_SECRET_LOOK) : control;
    }
    Optional<SageMakerTarget> target = SageMakerTarget.of(endpoint, aws.defaultExecutionRoleArn());
    if (target.isEmpty()) {
      InferenceEndpointStatus status = EndpointStatus.roleMissing(endpoint, now);
      return StatusPatch.ifChanged(context.getClient(), now, endpoint, status);
    }
    Optional<TenancyCheck.Denied> denied = denied(endpoint, target.get());
    if (denied.isPresent()) {
      // Before any AWS call: a change of the tenancy ConfigMap reconciles the endpoint again.
      return StatusPatch.ifChanged(
          context.getClient(),
          now,
          endpoint,
          EndpointStatus.notPermitted(endpoint, denied.get(), now));
    }
    Optional<java.time.Duration> backingOff = Retries.waiting(endpoint, now);
    if (backingOff.isPresent()) {
      // The last pass of this spec failed and its next attempt is ahead (status.retry): an
      // event in between does not bring it forward. A spec change does.
      return UpdateControl.<InferenceEndpoint>noUpdate().rescheduleAfter(backingOff.get());
    }
    Outcome outcome =
        SageMakerEndpointConverger.converge(
            endpoint, target.get(), ops(endpoint), alarms(endpoint));
    RetryStatus retry = retries.after(outcome.end(), endpoint, now);
    Optional<String> url =
        outcome
            .endpoint()
            .map(
                described ->
                    clients.invocationsUrl(
                        target.get().region(),
                        target.get().endpointName(),
                        endpoint.getSpec().async() != null));
    InferenceEndpointStatus status =
        EndpointStatus.sagemaker(endpoint, target.get(), outcome, url, retry, now);
    Optional<String> missingSecret = missingAccessSecret(endpoint, context.getClient());
    if (missingSecret.isPresent()) {
      status = EndpointStatus.withAccessSecretMissing(endpoint, status, missingSecret.get(), now);
    }
    UpdateControl<InferenceEndpoint> control =
        StatusPatch.ifChanged(context.getClient(), now, endpoint, status);
    if (outcome.recordFirst()) {
      // The pass only recorded what it is about to create (status.models, endpointConfigs).
      return control.rescheduleAfter(java.time.Duration.ZERO);
    }
    Optional<java.time.Duration> next =
        retries.nextLook(retry, outcome.end(), endpoint.getMetadata().getUid(), now);
    if (missingSecret.isPresent()) {
      next =
          Optional.of(
              next.filter(d -> d.compareTo(ACCESS_SECRET_LOOK) < 0).orElse(ACCESS_SECRET_LOOK));
    }
    return next.map(control::rescheduleAfter).orElse(control);
  }

  @Override
  public DeleteControl cleanup(InferenceEndpoint endpoint, Context<InferenceEndpoint> context) {
    if (Finalizers.released(endpoint)) {
      return DeleteControl.noFinalizerRemoval(); // let go already; the cache has not seen it yet
    }
    InferenceEndpointSpec spec = endpoint.getSpec();
    boolean retain =
        spec.sagemaker() != null
            && spec.sagemaker().deletionPolicy() == InferenceEndpointSpec.DeletionPolicy.Retain;
    if (spec.backend() != Backend.SAGEMAKER || retain) {
      return Finalizers.release(endpoint, context);
    }
    if (!EndpointStatus.provisioned(endpoint)
        && SageMakerTarget.of(endpoint, aws.defaultExecutionRoleArn())
            .flatMap(target -> denied(endpoint, target))
            .isPresent()) {
      // Never allowed, so never created anything: no AWS call, not even to look. (An endpoint
      // that was allowed once is torn down as usual: only what carries its own uid tag goes.)
      return Finalizers.release(endpoint, context);
    }
    // Components go first: their own finalizers remove them from SageMaker, and this object is
    // woken as each one goes. No AWS call is made while any is left.
    List<String> placed =
        context.getSecondaryResources(InferenceComponent.class).stream()
            .map(c -> c.getMetadata().getName())
            .sorted()
            .toList();
    Optional<Outcome> pass = Optional.empty();
    if (placed.isEmpty()) {
      pass =
          Optional.of(
              SageMakerEndpointConverger.teardown(
                  SageMakerNames.endpointName(endpoint),
                  endpoint.getMetadata().getUid(),
                  SageMakerEndpointConverger.recorded(endpoint),
                  ops(endpoint)));
      if (pass.get().end().finished()) {
        return Finalizers.release(endpoint, context);
      }
    }
    StatusPatch.nowIfChanged(
        context.getClient(),
        endpoint,
        EndpointStatus.deleting(endpoint, placed, pass, clock.instant()));
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(schedule.whileTransitioning(endpoint.getMetadata().getUid()));
  }

  /** Why the endpoint's namespace may not do this in AWS, if it may not. */
  private Optional<TenancyCheck.Denied> denied(InferenceEndpoint endpoint, SageMakerTarget target) {
    return TenancyCheck.check(
        tenancy.rights(),
        TenancyCheck.Request.of(endpoint, target.executionRoleArn(), aws.defaultRegion()));
  }

  private SageMakerEndpoints ops(InferenceEndpoint endpoint) {
    Optional<String> region = region(endpoint);
    return new SageMakerEndpoints(() -> clients.sageMaker(region));
  }

  private DeploymentAlarms alarms(InferenceEndpoint endpoint) {
    Optional<String> region = region(endpoint);
    return new DeploymentAlarms(() -> clients.cloudWatch(region));
  }

  private static Optional<String> region(InferenceEndpoint endpoint) {
    return Optional.ofNullable(endpoint.getSpec().sagemaker())
        .map(InferenceEndpointSpec.SageMaker::region);
  }
}
