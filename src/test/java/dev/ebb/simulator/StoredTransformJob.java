package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A batch transform job: the CreateTransformJob request as sent (less its tags), and its run. */
final class StoredTransformJob extends Stored {
  enum Status {
    IN_PROGRESS("InProgress"),
    COMPLETED("Completed"),
    FAILED("Failed"),
    STOPPING("Stopping"),
    STOPPED("Stopped");

    final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    boolean ended() {
      return this == COMPLETED || this == FAILED || this == STOPPED;
    }
  }

  final ObjectNode request;
  final String modelName;
  Status status = Status.IN_PROGRESS;
  String failureReason;
  Instant transformStartTime;
  Instant transformEndTime;

  /** When the next transition is due (the run's end, or Stopping's), or null once ended. */
  Instant dueAt;

  /** A failure injected at creation ({@link Faults}), reported when the run ends. */
  String injectedFailure;

  /** The environment the model gave its containers, for {@link ModelContainer.Request}. */
  ObjectNode modelEnvironment;

  /** How many container invocations the run made (for snapshots). */
  int invocations;

  StoredTransformJob(String name, String arn, Instant now, ObjectNode request) {
    super(name, arn, now);
    this.request = request;
    this.modelName = Json.text(request, "ModelName");
  }
}
