package dev.ebb.reconciler;

/** CamelCase condition reasons shared by the three kinds; tools and docs match on these. */
public final class Reasons {
  private Reasons() {}

  /** An InferenceComponent's endpointRef names an endpoint that does not exist (yet). */
  public static final String ENDPOINT_NOT_FOUND = "EndpointNotFound";

  /** A referenced endpoint has no variant of the given name. */
  public static final String VARIANT_NOT_FOUND = "VariantNotFound";

  /** A component was placed on a variant that cannot host inference components. */
  public static final String INCOMPATIBLE_VARIANT = "IncompatibleVariant";

  /** A ScalingPolicy's targetRef names an object that does not exist (yet). */
  public static final String TARGET_NOT_FOUND = "TargetNotFound";

  /** The SageMaker endpoint is in service on the desired configuration. */
  public static final String IN_SERVICE = "InService";

  /** Ebb is creating or changing SageMaker resources. */
  public static final String PROVISIONING = "Provisioning";

  /** SageMaker reports the endpoint Failed on the current spec. */
  public static final String ENDPOINT_FAILED = "EndpointFailed";

  /**
   * SageMaker rolled the deployment of the current spec back (an auto-rollback alarm fired, or the
   * new fleet failed); the endpoint serves its previous config and Ebb does not redeploy until the
   * spec changes.
   */
  public static final String ROLLED_BACK = "RolledBack";

  /** SageMaker's UpdateRollbackFailed: the deployment and its rollback both failed. */
  public static final String ROLLBACK_FAILED = "RollbackFailed";

  /** The spec renames variants under a blue/green rollout, which SageMaker cannot deploy. */
  public static final String VARIANT_NAMES_CHANGED = "VariantNamesChanged";

  /** Every scheduled action's times exist in its time zone (SchedulesFireAsWritten=True). */
  public static final String SCHEDULE_TIMES_EXIST = "ScheduleTimesExist";

  /** A scheduled action names a time a daylight-saving change skips (SchedulesFireAsWritten). */
  public static final String SCHEDULE_TIME_SKIPPED = "ScheduleTimeSkipped";

  /** SageMaker rejected a request as invalid; only a spec change can fix it. */
  public static final String INVALID_REQUEST = "InvalidRequest";

  /** Credentials or IAM do not allow a call Ebb needs; retried with backoff. */
  public static final String ACCESS_DENIED = "AccessDenied";

  /** AWS throttled Ebb, failed, or reported a conflict; retried with backoff. */
  public static final String AWS_RETRYING = "AwsRetrying";

  /** Neither the spec nor the operator names an execution role for SageMaker. */
  public static final String EXECUTION_ROLE_MISSING = "ExecutionRoleMissing";

  /** A SageMaker endpoint of that name exists and belongs to someone else (adopt is false). */
  public static final String ENDPOINT_NOT_OWNED = "EndpointNotOwned";

  /** A component's endpoint is not in service yet. */
  public static final String ENDPOINT_NOT_READY = "EndpointNotReady";

  /** SageMaker reports the inference component Failed on the current spec. */
  public static final String COMPONENT_FAILED = "ComponentFailed";

  /** The object is being deleted and Ebb is removing what it created. */
  public static final String DELETING = "Deleting";

  /** An endpoint's deletion waits for the inference components still placed on it. */
  public static final String WAITING_FOR_COMPONENTS = "WaitingForComponents";

  /** A SageMaker inference component of that name exists and belongs to someone else. */
  public static final String COMPONENT_NOT_OWNED = "ComponentNotOwned";

  /** A ScalingPolicy's target exists but is not in service in SageMaker yet. */
  public static final String TARGET_NOT_READY = "TargetNotReady";

  /** minCapacity 0 on a target SageMaker cannot take to zero. */
  public static final String CANNOT_SCALE_TO_ZERO = "CannotScaleToZero";

  /** A ScalingPolicy's AWS objects are in place. */
  public static final String APPLIED = "Applied";

  /** Backend local: every copy asked for is ready. */
  public static final String SERVING = "Serving";

  /** Backend local: the component runs no copy, by choice (a policy or spec.copies). */
  public static final String SCALED_TO_ZERO = "ScaledToZero";

  /** Backend local: some copies are still starting. */
  public static final String COPIES_STARTING = "CopiesStarting";

  /**
   * Backend local: the scheduler cannot place some copies (their pods are PodScheduled=False with
   * the reason Unschedulable, e.g. every GPU is taken).
   */
  public static final String UNSCHEDULABLE = "Unschedulable";

  /**
   * Backend local: some copies keep failing: their model fetch or model server is restarted with
   * back-off (CrashLoopBackOff), or kubelet cannot pull or create it (see {@code FailingCopies}).
   */
  public static final String COPIES_FAILING = "CopiesFailing";

  /** A policy spec the engine cannot evaluate (e.g. a scheduled action). */
  public static final String INVALID_SPEC = "InvalidSpec";

  /**
   * Backend local: a policy names a metric nothing on the cluster measures (a variant metric, an
   * AWS/SageMaker metric the gateway does not publish, a model-server metric of a component without
   * {@code spec.local.metrics}, a GPU metric without a DCGM exporter).
   */
  public static final String METRIC_UNAVAILABLE = "MetricUnavailable";

  /**
   * A component sets a field its endpoint's backend does not read (spec.sagemaker on backend local,
   * spec.local on backend sagemaker): it is refused rather than ignored.
   */
  public static final String UNSUPPORTED_FIELD = "UnsupportedField";

  /** A policy whose target kind has no meaning on its backend. */
  public static final String UNSUPPORTED_TARGET = "UnsupportedTarget";

  /**
   * Backend local, the ScalingPolicy that took a component to zero copies wakes it on a request
   * (its scaleFromZero step). The reason of the component's ScaledToZero condition.
   */
  public static final String WAKES_ON_REQUEST = "WakesOnRequest";

  /** Backend local: at zero copies under a ScalingPolicy without scaleFromZero: not woken. */
  public static final String NO_SCALE_FROM_ZERO = "NoScaleFromZero";

  /** Backend local: at zero copies while a scheduled action holds max capacity at 0. */
  public static final String PARKED_BY_SCHEDULE = "ParkedBySchedule";

  /**
   * Backend local: at zero copies by spec.copies: 0 with no ScalingPolicy: nothing of Ebb's starts
   * a copy (its endpoint does not count the variant as serving).
   */
  public static final String NO_SCALING_POLICY = "NoScalingPolicy";

  /**
   * Backend local: a variant of the endpoint has no component with a ready copy nor one a
   * ScalingPolicy took to zero.
   */
  public static final String VARIANT_NOT_SERVING = "VariantNotServing";

  /** The endpoint's spec.access.apiKeys names a Secret that does not exist. */
  public static final String ACCESS_SECRET_NOT_FOUND = "AccessSecretNotFound";

  /** Backend local: the gateway routes the endpoint's requests. */
  public static final String ROUTED = "Routed";

  /**
   * Tenancy (docs/tenancy.md): no tenant of the tenancy ConfigMap lists the object's namespace, so
   * it may not use SageMaker.
   */
  public static final String NAMESPACE_NOT_PERMITTED = "NamespaceNotPermitted";

  /** Tenancy: the namespace may not use the object's execution role. */
  public static final String ROLE_NOT_ALLOWED = "RoleNotAllowed";

  /** Tenancy: the execution role is in an AWS account the namespace may not use. */
  public static final String ACCOUNT_NOT_ALLOWED = "AccountNotAllowed";

  /** Tenancy: the namespace may not use the object's region (or the object names none). */
  public static final String REGION_NOT_ALLOWED = "RegionNotAllowed";

  /** Tenancy: the namespace may not adopt that SageMaker endpoint or component. */
  public static final String ADOPTION_NOT_ALLOWED = "AdoptionNotAllowed";

  /** Tenancy is on but its ConfigMap is missing or invalid: nothing may reach AWS. */
  public static final String TENANCY_UNAVAILABLE = "TenancyUnavailable";

  /** A batch transform is being started: its model or job is being created. */
  public static final String TRANSFORM_STARTING = "TransformStarting";

  /** A batch transform's job is transforming its input. */
  public static final String TRANSFORM_RUNNING = "TransformRunning";

  /** A batch transform's job finished every input object. */
  public static final String TRANSFORM_COMPLETED = "TransformCompleted";

  /** A batch transform's job failed (status.failureReason says why). */
  public static final String TRANSFORM_FAILED = "TransformFailed";

  /** A batch transform's job was stopped before it finished (StopTransformJob). */
  public static final String TRANSFORM_STOPPED = "TransformStopped";
}
