package dev.ebb.reconciler.endpoint;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.GatewayAccess;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointStatus;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.reconciler.Conditions;
import dev.ebb.reconciler.Reasons;
import dev.ebb.reconciler.tenancy.TenancyCheck;
import dev.ebb.sagemaker.SageMakerEndpoints.EndpointDescription;
import dev.ebb.sagemaker.SageMakerNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one place an InferenceEndpoint's status is built: a pure function of what was observed. */
public final class EndpointStatus {
  private EndpointStatus() {}

  /** The state summary while nothing could be provisioned (no execution role). */
  public static final String STATE_NOT_PROVISIONED = "NotProvisioned";

  /** The state summary of a local endpoint: the gateway routes to it. */
  public static final String STATE_SERVING = "Serving";

  public static final String STATE_PENDING = "Pending";
  public static final String STATE_SCALED_TO_ZERO = "ScaledToZero";

  /**
   * Status of an endpoint on backend local: the gateway routes requests for it to its components'
   * copies. It is Ready only when every variant serves ({@link LocalVariants}): a component of it
   * has a ready copy, or a ScalingPolicy took its copies to zero (then ScaledToZero is True when
   * every variant sleeps); and only when the Secret its access names exists.
   *
   * @param name the name clients call it by (SageMaker Runtime's EndpointName)
   * @param url where clients invoke it
   * @param components the components placed on it
   * @param missingSecret the access Secret's name, when it does not exist
   */
  public static InferenceEndpointStatus local(
      InferenceEndpoint endpoint,
      String name,
      String url,
      List<InferenceComponent> components,
      Optional<String> missingSecret,
      Instant now) {
    LocalVariants.Verdict verdict = LocalVariants.of(endpoint, components);
    var conditions = Conditions.of(endpoint, now);
    String state;
    if (missingSecret.isPresent()) {
      state = STATE_PENDING;
      String message = accessSecretMissing(missingSecret.get());
      conditions
          .set(Condition.READY, false, Reasons.ACCESS_SECRET_NOT_FOUND, message)
          .set(Condition.RECONCILING, true, Reasons.ACCESS_SECRET_NOT_FOUND, message);
    } else if (!verdict.serving()) {
      state = STATE_PENDING;
      conditions
          .set(Condition.READY, false, Reasons.VARIANT_NOT_SERVING, verdict.message())
          .set(Condition.RECONCILING, true, Reasons.VARIANT_NOT_SERVING, verdict.message());
    } else {
      state = verdict.asleep() ? STATE_SCALED_TO_ZERO : STATE_SERVING;
      conditions
          .set(
              Condition.READY,
              true,
              Reasons.ROUTED,
              "The Ebb gateway routes requests for "
                  + name
                  + " to its components' copies on this cluster: POST "
                  + url
                  + " (the component in the X-Amzn-SageMaker-Inference-Component header).")
          .set(Condition.RECONCILING, false, Reasons.ROUTED, "Every variant serves.");
    }
    // ScaledToZero says why it is not, in the same reason as Ready when something is missing.
    boolean asleep = verdict.asleep() && missingSecret.isEmpty();
    conditions.set(
        Condition.SCALED_TO_ZERO,
        asleep,
        missingSecret.isPresent()
            ? Reasons.ACCESS_SECRET_NOT_FOUND
            : !verdict.serving()
                ? Reasons.VARIANT_NOT_SERVING
                : asleep ? Reasons.SCALED_TO_ZERO : Reasons.ROUTED,
        asleep
            ? "Every variant's components are at zero copies by their ScalingPolicies."
            : "Not every variant is at zero copies.");
    return new InferenceEndpointStatus(
        endpoint.getMetadata().getGeneration(),
        conditions.list(),
        state,
        name,
        null,
        null,
        null,
        null,
        null,
        url,
        null,
        GatewayAccess.mode(endpoint.getSpec().access()),
        null,
        previousModels(endpoint),
        previousConfigs(endpoint));
  }

  /**
   * A SageMaker endpoint's status, told that its access Secret does not exist: the endpoint may be
   * in service, but the gateway accepts no key for it, so it is not Ready. Other conditions stand.
   */
  public static InferenceEndpointStatus withAccessSecretMissing(
      InferenceEndpoint endpoint, InferenceEndpointStatus status, String secret, Instant now) {
    var ready = status.condition(Condition.READY);
    if (ready == null || !"True".equals(ready.status())) {
      return status; // what keeps it from Ready already says more
    }
    var conditions =
        Conditions.after(status.conditions(), endpoint.getMetadata().getGeneration(), now)
            .set(
                Condition.READY,
                false,
                Reasons.ACCESS_SECRET_NOT_FOUND,
                accessSecretMissing(secret));
    return new InferenceEndpointStatus(
        status.observedGeneration(),
        conditions.list(),
        status.state(),
        status.endpointName(),
        status.endpointArn(),
        status.endpointStatus(),
        status.failureReason(),
        status.endpointConfigName(),
        status.lastDeployedConfigName(),
        status.url(),
        status.variants(),
        status.access(),
        status.retry(),
        status.models(),
        status.endpointConfigs());
  }

  /** What the status says of an access Secret that does not exist. */
  static String accessSecretMissing(String secret) {
    return "spec.access.apiKeys.secretRef names Secret "
        + secret
        + ", which does not exist in this namespace: the gateway accepts no API key for this"
        + " endpoint until it does.";
  }

  /** Status of a SageMaker-backed endpoint whose execution role is unknown. */
  public static InferenceEndpointStatus roleMissing(InferenceEndpoint endpoint, Instant now) {
    return stalledBeforeProvisioning(
        endpoint,
        Reasons.EXECUTION_ROLE_MISSING,
        Reasons.EXECUTION_ROLE_MISSING,
        "No IAM role for SageMaker: set spec.sagemaker.executionRoleArn, or install Ebb with a"
            + " default role (ebb.aws.default-execution-role-arn). Nothing was created in AWS.",
        now);
  }

  /**
   * Outside its namespace's tenancy rights: Stalled with the check's reason, and no AWS call made.
   * What an earlier pass recorded (names, last deployment) stays, so a deletion still knows what
   * Ebb created; SageMaker's status and the URL go, since Ebb no longer looks at them (and a
   * ScalingPolicy on the endpoint waits, as for one not in service).
   */
  public static InferenceEndpointStatus notPermitted(
      InferenceEndpoint endpoint, TenancyCheck.Denied denied, Instant now) {
    var conditions =
        Conditions.of(endpoint, now)
            .set(Condition.READY, false, denied.reason(), denied.message())
            .set(Condition.STALLED, true, denied.reason(), denied.message())
            .list();
    var previous = Optional.ofNullable(endpoint.getStatus());
    return new InferenceEndpointStatus(
        endpoint.getMetadata().getGeneration(),
        conditions,
        provisioned(endpoint)
            ? previous.map(InferenceEndpointStatus::state).orElse(STATE_NOT_PROVISIONED)
            : STATE_NOT_PROVISIONED,
        previous.map(InferenceEndpointStatus::endpointName).orElse(null),
        null, // no ARN: the gateway does not invoke an endpoint outside the namespace's rights
        null,
        null,
        previous.map(InferenceEndpointStatus::endpointConfigName).orElse(null),
        previous.map(InferenceEndpointStatus::lastDeployedConfigName).orElse(null),
        null,
        null,
        GatewayAccess.mode(endpoint.getSpec().access()),
        null,
        previousModels(endpoint),
        previousConfigs(endpoint));
  }

  /** Whether the status records anything Ebb created or deployed in SageMaker for the endpoint. */
  public static boolean provisioned(InferenceEndpoint endpoint) {
    var status = endpoint.getStatus();
    return status != null
        && (status.endpointArn() != null
            || status.endpointConfigName() != null
            || status.lastDeployedConfigName() != null
            || (status.models() != null && !status.models().isEmpty())
            || (status.endpointConfigs() != null && !status.endpointConfigs().isEmpty()));
  }

  /** Not Ready and Stalled, with nothing provisioned: only a spec (or operator) change helps. */
  private static InferenceEndpointStatus stalledBeforeProvisioning(
      InferenceEndpoint endpoint,
      String readyReason,
      String stalledReason,
      String why,
      Instant now) {
    var conditions =
        Conditions.of(endpoint, now)
            .set(Condition.READY, false, readyReason, why)
            .set(Condition.STALLED, true, stalledReason, why)
            .list();
    return new InferenceEndpointStatus(
        endpoint.getMetadata().getGeneration(),
        conditions,
        STATE_NOT_PROVISIONED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        GatewayAccess.mode(endpoint.getSpec().access()),
        null,
        previousModels(endpoint),
        previousConfigs(endpoint));
  }

  /**
   * Status of a SageMaker-backed endpoint after one convergence pass.
   *
   * @param invocationsUrl where clients invoke the endpoint, shown once the endpoint exists
   * @param retry when Ebb tries again, after a pass that failed in a way a retry can mend
   */
  public static InferenceEndpointStatus sagemaker(
      InferenceEndpoint endpoint,
      SageMakerTarget target,
      SageMakerEndpointConverger.Outcome outcome,
      Optional<String> invocationsUrl,
      RetryStatus retry,
      Instant now) {
    Long generation = endpoint.getMetadata().getGeneration();
    var conditions = Conditions.of(endpoint, now);
    Optional<EndpointDescription> described = outcome.endpoint();
    if (outcome.failure().isPresent()) {
      conditions.awsFailure(outcome.failure().get(), retry);
    } else if (outcome.end().settled()) {
      conditions.set(
          Condition.READY,
          true,
          Reasons.IN_SERVICE,
          "Endpoint " + target.endpointName() + " is in service on " + target.configName() + ".");
    } else if (outcome.last() instanceof EndpointPlan.Failed failed) {
      String message = "SageMaker reports the endpoint Failed: " + failed.reason();
      conditions.stalled(Reasons.ENDPOINT_FAILED, message);
    } else if (outcome.last() instanceof EndpointPlan.RolledBack rolledBack) {
      String message = rolledBack(target, rolledBack);
      conditions.stalled(Reasons.ROLLED_BACK, message);
    } else if (outcome.last() instanceof EndpointPlan.RollbackFailed failed) {
      String message =
          "SageMaker could neither deploy config "
              + failed.configName()
              + " nor roll it back (UpdateRollbackFailed): the endpoint serves a mix of the old and"
              + " new configs. SageMaker says: "
              + failed.failureReason()
              + " Ebb deploys again when the spec changes.";
      conditions.stalled(Reasons.ROLLBACK_FAILED, message);
    } else if (outcome.last() instanceof EndpointPlan.VariantsChanged changed) {
      String message =
          "spec.rollout deploys blue/green, and SageMaker's blue/green deployments keep the variant"
              + " names: the endpoint has variants "
              + changed.live()
              + ", the spec asks for "
              + changed.desired()
              + ". Keep the names, or remove spec.rollout for this change.";
      conditions.stalled(Reasons.VARIANT_NAMES_CHANGED, message);
    } else if (outcome.last() instanceof EndpointPlan.NotOwned notOwned) {
      String message =
          "SageMaker endpoint "
              + notOwned.endpointName()
              + " exists and was not created by this object; Ebb leaves it alone. Set"
              + " spec.sagemaker.adopt: true to take it over, or choose another endpointName.";
      conditions.stalled(Reasons.ENDPOINT_NOT_OWNED, message);
    } else if (outcome.last() instanceof EndpointPlan.Wait wait) {
      String message = "SageMaker reports the endpoint " + wait.status() + ".";
      conditions
          .set(Condition.READY, false, wait.status(), message)
          .set(Condition.RECONCILING, true, wait.status(), message);
    } else {
      // A pass that only recorded names has not created anything: it says so.
      String message =
          outcome.recordFirst()
              ? "Converging SageMaker resources (recorded the models and config to create in"
                  + " status.models and status.endpointConfigs; creating them next)."
              : "Converging SageMaker resources (last step: " + stepName(outcome.last()) + ").";
      conditions
          .set(Condition.READY, false, Reasons.PROVISIONING, message)
          .set(Condition.RECONCILING, true, Reasons.PROVISIONING, message);
    }
    return new InferenceEndpointStatus(
        generation,
        conditions.list(),
        described.map(EndpointDescription::status).orElse("Pending"),
        target.endpointName(),
        verifiedArn(endpoint.getStatus(), outcome),
        described.map(EndpointDescription::status).orElse(null),
        described.map(EndpointDescription::failureReason).orElse(null),
        described.map(EndpointDescription::configName).orElse(null),
        lastDeployed(endpoint.getStatus(), outcome),
        described.flatMap(d -> invocationsUrl).orElse(null),
        described.map(EndpointStatus::variants).orElse(null),
        GatewayAccess.mode(endpoint.getSpec().access()),
        retry,
        outcome.made().models(),
        outcome.made().configs());
  }

  /**
   * The endpoint's ARN, only once Ebb knows the endpoint is this object's (it created it, or its
   * tags or adoption say so): the gateway invokes a SageMaker endpoint only for an object whose
   * status carries its ARN, so that an object naming someone else's endpoint cannot be used to call
   * it with Ebb's credentials. A pass that failed before describing the endpoint keeps what an
   * earlier pass verified.
   */
  static String verifiedArn(
      InferenceEndpointStatus previous, SageMakerEndpointConverger.Outcome outcome) {
    if (outcome.last() instanceof EndpointPlan.NotOwned) {
      return null;
    }
    return outcome
        .endpoint()
        .map(EndpointDescription::arn)
        .orElseGet(
            () ->
                outcome.failure().isPresent() && previous != null ? previous.endpointArn() : null);
  }

  /**
   * The config Ebb last asked SageMaker to deploy: the one this pass created or updated the
   * endpoint with, else the one a deployment in progress moves to (which also covers a crash
   * between the call and this status), else what the status said before.
   */
  static String lastDeployed(
      InferenceEndpointStatus previous, SageMakerEndpointConverger.Outcome outcome) {
    if (outcome.failure().isEmpty()) {
      if (outcome.last() instanceof EndpointPlan.UpdateEndpoint update) {
        return update.configName();
      }
      if (outcome.last() instanceof EndpointPlan.CreateEndpoint create) {
        return create.configName();
      }
    }
    return outcome
        .endpoint()
        .map(EndpointDescription::pendingConfigName)
        .orElseGet(() -> previous == null ? null : previous.lastDeployedConfigName());
  }

  private static String rolledBack(SageMakerTarget target, EndpointPlan.RolledBack rolledBack) {
    String alarms =
        rolledBack.firingAlarms() == null
            ? ""
            : rolledBack.firingAlarms().isEmpty()
                ? " None of spec.rollout.autoRollbackAlarms is in ALARM now."
                : " Rollback alarm(s) in ALARM: "
                    + String.join(", ", rolledBack.firingAlarms())
                    + ".";
    return "SageMaker rolled the deployment of config "
        + rolledBack.configName()
        + " back; endpoint "
        + target.endpointName()
        + " serves its previous config. SageMaker says: "
        + rolledBack.failureReason()
        + alarms
        + " Ebb does not deploy this config again: a change to the spec deploys.";
  }

  /**
   * Status while the object is being deleted: what the teardown did last or is waiting for. The
   * SageMaker fields keep their last known values until the endpoint is gone.
   *
   * @param placedComponents InferenceComponents that still reference this endpoint; while any
   *     exists, no teardown pass runs
   * @param pass the teardown pass, when one ran
   */
  public static InferenceEndpointStatus deleting(
      InferenceEndpoint endpoint,
      List<String> placedComponents,
      Optional<SageMakerEndpointConverger.Outcome> pass,
      Instant now) {
    var conditions = Conditions.of(endpoint, now);
    String endpointName = SageMakerNames.endpointName(endpoint);
    if (!placedComponents.isEmpty()) {
      waiting(
          conditions,
          Reasons.WAITING_FOR_COMPONENTS,
          "Deleting: waiting for InferenceComponents "
              + String.join(", ", placedComponents)
              + " to be deleted first (SageMaker deletes an endpoint only once no component is"
              + " left on it).");
    } else if (pass.isPresent() && pass.get().failure().isPresent()) {
      conditions.awsFailure(pass.get().failure().get());
    } else if (pass.isPresent() && pass.get().last() instanceof EndpointPlan.WaitForComponents w) {
      waiting(
          conditions,
          Reasons.WAITING_FOR_COMPONENTS,
          "Deleting: SageMaker still has inference components on endpoint "
              + endpointName
              + ": "
              + String.join(", ", w.componentNames())
              + ". No InferenceComponent in this namespace manages them: delete them in"
              + " SageMaker, or set spec.sagemaker.deletionPolicy: Retain to let go of the endpoint"
              + " without deleting it.");
    } else {
      waiting(
          conditions,
          Reasons.DELETING,
          "Deleting SageMaker resources (last step: "
              + stepName(pass.map(SageMakerEndpointConverger.Outcome::last).orElse(null))
              + ").");
    }
    InferenceEndpointStatus previous = endpoint.getStatus();
    Optional<EndpointDescription> described =
        pass.flatMap(SageMakerEndpointConverger.Outcome::endpoint);
    return new InferenceEndpointStatus(
        endpoint.getMetadata().getGeneration(),
        conditions.list(),
        "Deleting",
        endpointName,
        described
            .map(EndpointDescription::arn)
            .orElse(previous == null ? null : previous.endpointArn()),
        described.map(EndpointDescription::status).orElse(null),
        described.map(EndpointDescription::failureReason).orElse(null),
        described.map(EndpointDescription::configName).orElse(null),
        previous == null ? null : previous.lastDeployedConfigName(),
        null,
        described.map(EndpointStatus::variants).orElse(null),
        GatewayAccess.mode(endpoint.getSpec().access()),
        null,
        pass.map(p -> p.made().models()).orElseGet(() -> previousModels(endpoint)),
        pass.map(p -> p.made().configs()).orElseGet(() -> previousConfigs(endpoint)));
  }

  /** The models the status records (kept by every status that does not look at SageMaker). */
  static List<String> previousModels(InferenceEndpoint endpoint) {
    return endpoint.getStatus() == null ? null : endpoint.getStatus().models();
  }

  /** The endpoint configs the status records (kept as models are). */
  static List<String> previousConfigs(InferenceEndpoint endpoint) {
    return endpoint.getStatus() == null ? null : endpoint.getStatus().endpointConfigs();
  }

  private static void waiting(Conditions conditions, String reason, String message) {
    conditions
        .set(Condition.READY, false, reason, message)
        .set(Condition.RECONCILING, true, reason, message);
  }

  private static String stepName(EndpointPlan.Step step) {
    return step == null ? "none" : step.getClass().getSimpleName();
  }

  private static List<InferenceEndpointStatus.VariantStatus> variants(EndpointDescription d) {
    return d.variants().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            e ->
                new InferenceEndpointStatus.VariantStatus(
                    e.getKey(),
                    e.getValue().currentInstanceCount(),
                    e.getValue().desiredInstanceCount(),
                    e.getValue().currentWeight(),
                    e.getValue().desiredWeight()))
        .toList();
  }
}
