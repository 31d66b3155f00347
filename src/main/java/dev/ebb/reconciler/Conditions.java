package dev.ebb.reconciler;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import dev.ebb.api.v1alpha1.RetryStatus;
import dev.ebb.sagemaker.AwsErrorKind;
import dev.ebb.sagemaker.AwsFailure;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the condition list of a status from scratch on every reconcile, carrying over {@code
 * lastTransitionTime} from the previous list when a condition's status did not change, so an
 * unchanged situation yields an equal list (and therefore no status patch).
 */
public final class Conditions {
  private final List<Condition> previous;
  private final Long generation;
  private final String now;
  private final Instant at;
  private final List<Condition> next = new ArrayList<>();

  private Conditions(List<Condition> previous, Long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
    this.at = now;
  }

  /** The time these conditions are computed at. */
  public Instant now() {
    return at;
  }

  /** Starts a new list for {@code object}, from its current conditions and generation. */
  public static Conditions of(CustomResource<?, ? extends ConditionedStatus> object, Instant now) {
    ConditionedStatus status = object.getStatus();
    return new Conditions(
        status == null ? null : status.conditions(), object.getMetadata().getGeneration(), now);
  }

  /** Starts a new list for an object at {@code generation}, given its current conditions. */
  public static Conditions after(List<Condition> previous, Long generation, Instant now) {
    return new Conditions(previous, generation, now);
  }

  /** Adds (or replaces) one condition. Conditions not set are absent from the result. */
  public Conditions set(String type, boolean status, String reason, String message) {
    String statusText = status ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> c.type().equals(type) && c.status().equals(statusText))
            .map(Condition::lastTransitionTime)
            .findFirst()
            .orElse(now);
    next.removeIf(c -> c.type().equals(type));
    next.add(new Condition(type, statusText, generation, since, reason, message));
    return this;
  }

  /** Not Ready, and Stalled, for the same reason: only a change to the spec (or AWS) helps. */
  public Conditions stalled(String reason, String message) {
    return set(Condition.READY, false, reason, message)
        .set(Condition.STALLED, true, reason, message);
  }

  /**
   * The conditions for a failed AWS call: Stalled when only a spec change can help (SageMaker
   * rejected the request), otherwise Reconciling while Ebb retries (AccessDenied told apart, since
   * IAM is for a human to fix).
   */
  public Conditions awsFailure(AwsFailure failure) {
    return awsFailure(failure, null);
  }

  /** The same, telling when Ebb tries again ({@code retry} null: no retry is scheduled). */
  public Conditions awsFailure(AwsFailure failure, RetryStatus retry) {
    String message =
        failure.operation()
            + " failed: "
            + failure.errorCode()
            + ": "
            + failure.message()
            + (retry == null || !failure.kind().retryable()
                ? ""
                : " Next attempt at "
                    + retry.nextAttemptTime()
                    + (retry.failures() > 1
                        ? " (" + retry.failures() + " failed passes in a row)."
                        : "."));
    if (!failure.kind().retryable()) {
      return set(Condition.READY, false, Reasons.INVALID_REQUEST, message)
          .set(Condition.STALLED, true, Reasons.INVALID_REQUEST, message);
    }
    String reason =
        failure.kind() == AwsErrorKind.ACCESS_DENIED ? Reasons.ACCESS_DENIED : Reasons.AWS_RETRYING;
    return set(Condition.READY, false, reason, message)
        .set(Condition.RECONCILING, true, reason, message);
  }

  /** The conditions, Ready first, then in the order they were set. */
  public List<Condition> list() {
    if (next.stream().noneMatch(c -> c.type().equals(Condition.READY))) {
      throw new IllegalStateException("every status carries a Ready condition");
    }
    List<Condition> ordered = new ArrayList<>(next);
    ordered.sort(
        (a, b) ->
            Boolean.compare(!a.type().equals(Condition.READY), !b.type().equals(Condition.READY)));
    return List.copyOf(ordered);
  }
}
