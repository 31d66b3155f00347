package dev.ebb.reconciler.transform;

import dev.ebb.api.v1alpha1.Backend;
import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.BatchTransformSpec;
import dev.ebb.api.v1alpha1.BatchTransformStatus;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec.DeletionPolicy;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.config.AwsConfig;
import dev.ebb.config.ClusterConfig;
import dev.ebb.config.LocalConfig;
import dev.ebb.config.PrunedItemStore;
import dev.ebb.config.ReconcileConfig;
import dev.ebb.config.TenancyConfig;
import dev.ebb.local.BatchProgressProbe;
import dev.ebb.local.BatchResults;
import dev.ebb.local.BatchWorkload;
import dev.ebb.local.GatewayPods;
import dev.ebb.local.LocalComponents;
import dev.ebb.local.ModelFetcher;
import dev.ebb.reconciler.Finalizers;
import dev.ebb.reconciler.PollSchedule;
import dev.ebb.reconciler.Retries;
import dev.ebb.reconciler.StatusPatch;
import dev.ebb.reconciler.tenancy.TenancyCheck;
import dev.ebb.reconciler.tenancy.TenancyWatch;
import dev.ebb.sagemaker.AwsClients;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.sagemaker.SageMakerTransformJobs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reconciles BatchTransforms. On backend local: one Kubernetes Job ({@link BatchWorkload}), its
 * status read back. On backend sagemaker: creates the job's model and the transform job, follows
 * the job to its end by DescribeTransformJob, then deletes the model; a deletion stops a running
 * job unless spec.sagemaker.deletionPolicy is Retain. A transform that ended is never looked at
 * again: its status is final and SageMaker's record of the job does not change.
 */
@ControllerConfiguration(
    name = "batchtransform",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class BatchTransformReconciler
    implements Reconciler<BatchTransform>, Cleaner<BatchTransform> {
  private final Clock clock;
  private final AwsClients clients;
  private final AwsConfig aws;
  private final PollSchedule schedule;
  private final Retries retries;
  private final TenancyWatch<BatchTransform> tenancy;
  private final LocalConfig local;

  /** Ebb's own pods, the only source the workers' NetworkPolicy admits; empty: no policy. */
  private final Optional<GatewayPods> gatewayPods;

  private final BatchProgressProbe progress = new BatchProgressProbe();

  public BatchTransformReconciler(
      Clock clock,
      AwsClients clients,
      AwsConfig aws,
      ReconcileConfig reconcile,
      TenancyConfig tenancy,
      ClusterConfig cluster,
      LocalConfig local) {
    this.local = local;
    this.gatewayPods =
        GatewayPods.of(
            local.networkPolicy().enabled(),
            local.networkPolicy().gatewayNamespace(),
            local.networkPolicy().gatewaySelector());
    this.clock = clock;
    this.clients = clients;
    this.aws = aws;
    this.tenancy = new TenancyWatch<>(tenancy, cluster);
    this.schedule =
        new PollSchedule(
            reconcile.transitioningPoll(), reconcile.steadyResync(), reconcile.jitter());
    this.retries = new Retries(schedule, reconcile.maxRetryDelay());
  }

  @Override
  public List<EventSource<?, BatchTransform>> prepareEventSources(
      EventSourceContext<BatchTransform> context) {
    List<EventSource<?, BatchTransform>> sources = new ArrayList<>();
    tenancy.eventSource(context).ifPresent(sources::add);
    // Backend local: the Job of each transform (found by owner reference). Its status changes as
    // workers start and end, which is when a transform's status changes.
    sources.add(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, BatchTransform.class)
                .withName("batch-jobs")
                .withItemStore(new PrunedItemStore<>())
                .withLabelSelector("app.kubernetes.io/managed-by=ebb")
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerType(BatchTransform.class))
                .build(),
            context));
    return sources;
  }

  @Override
  public UpdateControl<BatchTransform> reconcile(
      BatchTransform transform, Context<BatchTransform> context) {
    Instant now = clock.instant();
    BatchTransformStatus status = transform.getStatus();
    if (status != null
        && status.ended()
        && status.retry() == null
        && transform.getMetadata().getGeneration().equals(status.observedGeneration())) {
      // Final: an ended transform never changes (SageMaker keeps its record as it is; a local Job
      // that ended runs no more), so it costs no further call of any kind.
      return UpdateControl.noUpdate();
    }
    if (transform.getSpec().backend() == Backend.LOCAL) {
      return reconcileLocal(transform, context, now);
    }
    String role = executionRole(transform.getSpec());
    if (role == null) {
      return StatusPatch.ifChanged(
          context.getClient(), now, transform, TransformStatus.roleMissing(transform, now));
    }
    Optional<TenancyCheck.Denied> denied = denied(transform, role);
    if (denied.isPresent()) {
      return StatusPatch.ifChanged(
          context.getClient(),
          now,
          transform,
          TransformStatus.notPermitted(transform, denied.get(), now));
    }
    Optional<Duration> backingOff = Retries.waiting(transform, now);
    if (backingOff.isPresent()) {
      return UpdateControl.<BatchTransform>noUpdate().rescheduleAfter(backingOff.get());
    }
    String jobName = SageMakerNames.transformJobName(transform);
    var outcome =
        SageMakerTransformConverger.converge(
            new SageMakerTransformConverger.Target(transform, jobName, role, userTags(transform)),
            ops(transform));
    RetryStatus retry = retries.after(outcome.end(), transform, now);
    UpdateControl<BatchTransform> control =
        StatusPatch.ifChanged(
            context.getClient(),
            now,
            transform,
            TransformStatus.sagemaker(transform, jobName, outcome, retry, now));
    if (outcome.ended()) {
      return control;
    }
    return retries
        .nextLook(retry, outcome.end(), transform.getMetadata().getUid(), now)
        .map(control::rescheduleAfter)
        .orElse(control);
  }

  /**
   * Backend local: the Job, created once (its pod template is immutable, like the spec), and the
   * status read from it and from what its workers reported when they ended.
   */
  private UpdateControl<BatchTransform> reconcileLocal(
      BatchTransform transform, Context<BatchTransform> context, Instant now) {
    String jobName = BatchWorkload.name(transform);
    Optional<Job> job = context.getSecondaryResource(Job.class);
    if (job.isEmpty()) {
      // First, so a worker is never reachable from the cluster, even briefly.
      gatewayPods.ifPresent(
          pods ->
              context
                  .getClient()
                  .resource(BatchWorkload.networkPolicy(transform, pods))
                  .fieldManager(LocalComponents.FIELD_MANAGER)
                  .forceConflicts()
                  .serverSideApply());
      try {
        context
            .getClient()
            .resource(
                BatchWorkload.job(
                    transform,
                    new ModelFetcher(
                        local.modelFetcherImage(),
                        aws.endpointOverride().map(java.net.URI::toString).orElse(null))))
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e; // the operator SDK retries with backoff
        }
      }
      return StatusPatch.ifChanged(
          context.getClient(),
          now,
          transform,
          TransformStatus.local(
              transform, jobName, "Pending", BatchResults.of(List.of()), null, null, null, now));
    }
    var status = job.get().getStatus();
    List<Pod> pods =
        context
            .getClient()
            .pods()
            .inNamespace(transform.getMetadata().getNamespace())
            .withLabel(BatchWorkload.TRANSFORM_LABEL, jobName)
            .list()
            .getItems();
    String phase = localPhase(status);
    BatchResults results =
        BatchResults.of(
            pods,
            phase.equals("InProgress")
                ? progress.read(BatchProgressProbe.running(pods))
                : java.util.Map.of());
    String failureReason = null;
    if (phase.equals("Failed")) {
      failureReason =
          results
              .failureReason()
              .or(() -> BatchResults.crash(pods))
              .orElseGet(
                  () ->
                      condition(status, "Failed")
                          .map(c -> c.getReason() + ": " + c.getMessage())
                          .orElse("the Job failed"));
    }
    String completion =
        status == null
            ? null
            : status.getCompletionTime() != null
                ? status.getCompletionTime()
                : condition(status, "Failed").map(c -> c.getLastTransitionTime()).orElse(null);
    UpdateControl<BatchTransform> control =
        StatusPatch.ifChanged(
            context.getClient(),
            now,
            transform,
            TransformStatus.local(
                transform,
                jobName,
                phase,
                results,
                failureReason,
                status == null ? null : status.getStartTime(),
                phase.equals("Completed") || phase.equals("Failed") ? completion : null,
                now));
    // While it runs, progress is read from the workers on the transitioning poll; the Job's
    // events tell of workers starting and ending in between.
    return phase.equals("Completed") || phase.equals("Failed")
        ? control
        : control.rescheduleAfter(schedule.whileTransitioning(transform.getMetadata().getUid()));
  }

  /** The phase a Job's status says: Completed, Failed, InProgress (a worker runs) or Pending. */
  static String localPhase(JobStatus status) {
    if (status == null) {
      return "Pending";
    }
    if (condition(status, "Complete").isPresent()) {
      return "Completed";
    }
    if (condition(status, "Failed").isPresent()) {
      return "Failed";
    }
    int active = status.getActive() == null ? 0 : status.getActive();
    int ready = status.getReady() == null ? 0 : status.getReady();
    return active > 0 && ready > 0 ? "InProgress" : "Pending";
  }

  private static Optional<JobCondition> condition(JobStatus status, String type) {
    return status == null || status.getConditions() == null
        ? Optional.empty()
        : status.getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
  }

  @Override
  public DeleteControl cleanup(BatchTransform transform, Context<BatchTransform> context) {
    if (Finalizers.released(transform)) {
      return DeleteControl.noFinalizerRemoval();
    }
    if (transform.getSpec().backend() == Backend.LOCAL) {
      // The Job is owned by the object: Kubernetes deletes it, and its running pods, with it.
      return Finalizers.release(transform, context);
    }
    BatchTransformStatus status = transform.getStatus();
    boolean retain =
        transform.getSpec().sagemaker() != null
            && transform.getSpec().sagemaker().deletionPolicy() == DeletionPolicy.Retain;
    boolean neverStarted = status == null || status.transformJobName() == null;
    if (retain || neverStarted && refused(transform)) {
      // Retained: the job runs on with its model. Refused before any AWS call: nothing to remove.
      return Finalizers.release(transform, context);
    }
    var outcome =
        SageMakerTransformConverger.teardown(
            SageMakerNames.transformJobName(transform), false, ops(transform));
    if (outcome.end().finished()) {
      return Finalizers.release(transform, context);
    }
    Instant now = clock.instant();
    StatusPatch.nowIfChanged(
        context.getClient(),
        transform,
        TransformStatus.deleting(
            transform,
            outcome
                .failure()
                .map(f -> f.operation() + " failed: " + f.errorCode() + ": " + f.message())
                .orElse(
                    "Stopping the transform job and deleting its model before the object goes."),
            now));
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(schedule.whileTransitioning(transform.getMetadata().getUid()));
  }

  /** Whether this object was never allowed to reach AWS (no role, or outside its tenancy). */
  private boolean refused(BatchTransform transform) {
    String role = executionRole(transform.getSpec());
    return role == null || denied(transform, role).isPresent();
  }

  private String executionRole(BatchTransformSpec spec) {
    return Optional.ofNullable(spec.sagemaker())
        .map(BatchTransformSpec.SageMaker::executionRoleArn)
        .or(aws::defaultExecutionRoleArn)
        .orElse(null);
  }

  private Optional<String> region(BatchTransform transform) {
    return Optional.ofNullable(transform.getSpec().sagemaker())
        .map(BatchTransformSpec.SageMaker::region);
  }

  private Optional<TenancyCheck.Denied> denied(BatchTransform transform, String role) {
    return TenancyCheck.check(
        tenancy.rights(),
        new TenancyCheck.Request(
            transform.getMetadata().getNamespace(),
            role,
            region(transform).or(aws::defaultRegion),
            Optional.empty()));
  }

  private static Map<String, String> userTags(BatchTransform transform) {
    return transform.getSpec().sagemaker() == null ? null : transform.getSpec().sagemaker().tags();
  }

  private SageMakerTransformJobs ops(BatchTransform transform) {
    Optional<String> region = region(transform);
    return new SageMakerTransformJobs(() -> clients.sageMaker(region));
  }
}
