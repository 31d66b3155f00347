package dev.ebb.reconciler;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for significant transitions, so {@code kubectl describe} tells the story. An
 * event is recorded when a condition enters a new reason, not on every reconcile; failing to record
 * one never fails a reconcile.
 */
public final class Events {
  private static final Logger LOG = Logger.getLogger(Events.class);
  private static final String COMPONENT = "ebb-operator";

  /** Which replica recorded it: the pod's name. */
  private static final String INSTANCE =
      java.util.Optional.ofNullable(System.getenv("HOSTNAME")).orElse("ebb");

  private Events() {}

  /**
   * Conditions whose False tells of a problem that needs no spec change to pass (so it is not
   * Stalled), but that someone should hear of: a Warning is recorded when one turns False.
   */
  static final Set<String> WARN_WHEN_FALSE =
      Set.of(Condition.COPIES_SCHEDULABLE, Condition.SCHEDULES_FIRE_AS_WRITTEN);

  /**
   * Ready reasons that tell of a problem needing no spec change to pass (so not Stalled) but that
   * someone should hear of: Ready entering one of them is recorded as a Warning, not Normal.
   */
  static final Set<String> WARN_REASONS = Set.of(Reasons.COPIES_FAILING);

  /**
   * The significant transitions between two statuses: a Warning when {@code next} is newly Stalled
   * (or stalled for a new reason), or when one of {@link #WARN_WHEN_FALSE} turns False (its reason
   * and message); otherwise an event when its Ready condition changes status or reason (Creating →
   * InService, InService → Updating, ScaledToZero...), carrying Ready's reason and message: a
   * Warning for one of {@link #WARN_REASONS}, else Normal. One event per transition.
   */
  public static void onTransition(
      KubernetesClient client,
      HasMetadata object,
      ConditionedStatus previous,
      ConditionedStatus next,
      Instant now) {
    if (onNewStall(client, object, previous, next, now)) {
      return;
    }
    Optional<Condition> warning = newWarning(previous, next);
    if (warning.isPresent()) {
      record(client, object, "Warning", warning.get().reason(), warning.get().message(), now);
      return;
    }
    readyTransition(previous, next)
        .ifPresent(e -> record(client, object, e.type(), e.reason(), e.message(), now));
  }

  /** An event to record: its type (Normal, Warning), reason and message. */
  record Told(String type, String reason, String message) {}

  /**
   * The event for Ready's transition from {@code previous} to {@code next}, if its status or reason
   * changed: Ready's reason and message, a Warning for one of {@link #WARN_REASONS}, else Normal.
   */
  static Optional<Told> readyTransition(ConditionedStatus previous, ConditionedStatus next) {
    Condition ready = next == null ? null : next.condition(Condition.READY);
    if (ready == null || ready.reason() == null) {
      return Optional.empty();
    }
    Condition before = previous == null ? null : previous.condition(Condition.READY);
    if (before != null
        && Objects.equals(before.status(), ready.status())
        && Objects.equals(before.reason(), ready.reason())) {
      return Optional.empty();
    }
    return Optional.of(
        new Told(
            WARN_REASONS.contains(ready.reason()) ? "Warning" : "Normal",
            ready.reason(),
            ready.message()));
  }

  /**
   * A Warning when {@code next} is Stalled for a reason {@code previous} was not stalled for;
   * whether one was recorded.
   */
  static boolean onNewStall(
      KubernetesClient client,
      HasMetadata object,
      ConditionedStatus previous,
      ConditionedStatus next,
      Instant now) {
    Condition stalled = next == null ? null : next.condition(Condition.STALLED);
    if (stalled == null || !"True".equals(stalled.status())) {
      return false;
    }
    Condition before = previous == null ? null : previous.condition(Condition.STALLED);
    if (before != null
        && "True".equals(before.status())
        && Objects.equals(before.reason(), stalled.reason())
        && Objects.equals(before.message(), stalled.message())) {
      return true; // still stalled, already told
    }
    record(client, object, "Warning", stalled.reason(), stalled.message(), now);
    return true;
  }

  /**
   * The condition of {@link #WARN_WHEN_FALSE} that is False in {@code next} and was not False in
   * {@code previous} (absent, or True), if any.
   */
  static Optional<Condition> newWarning(ConditionedStatus previous, ConditionedStatus next) {
    if (next == null) {
      return Optional.empty();
    }
    return WARN_WHEN_FALSE.stream()
        .sorted()
        .map(next::condition)
        .filter(c -> c != null && "False".equals(c.status()))
        .filter(
            c -> {
              Condition before = previous == null ? null : previous.condition(c.type());
              return before == null || !"False".equals(before.status());
            })
        .findFirst();
  }

  /** Records one event about {@code object}. */
  public static void record(
      KubernetesClient client,
      HasMetadata object,
      String type,
      String reason,
      String message,
      Instant now) {
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(object.getMetadata().getName() + ".")
            .withNamespace(object.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withUid(object.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(timestamp)
            .withLastTimestamp(timestamp)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .withHost(INSTANCE)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(INSTANCE)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(object.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      LOG.debugf(e, "could not record event %s for %s", reason, object.getMetadata().getName());
    }
  }
}
