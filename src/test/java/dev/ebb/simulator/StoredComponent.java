package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** An inference component: a model placed on an endpoint variant as a number of copies. */
final class StoredComponent extends Stored {
  enum Status {
    CREATING("Creating"),
    IN_SERVICE("InService"),
    UPDATING("Updating"),
    DELETING("Deleting"),
    FAILED("Failed");

    final String wire;

    Status(String wire) {
      this.wire = wire;
    }
  }

  final String endpointName;
  final String endpointArn;
  final String variantName;
  ObjectNode specification;
  Status status = Status.CREATING;
  String failureReason;
  int currentCopyCount;
  int desiredCopyCount;
  ObjectNode lastDeploymentConfig;
  long invocations;

  /** Counted like CloudWatch's NoCapacityInvocationFailures, which scale-from-zero alarms on. */
  long noCapacityFailures;

  StoredComponent(
      String name,
      String arn,
      Instant now,
      String endpointName,
      String endpointArn,
      String variantName,
      ObjectNode specification) {
    super(name, arn, now);
    this.endpointName = endpointName;
    this.endpointArn = endpointArn;
    this.variantName = variantName;
    this.specification = specification;
  }

  String modelName() {
    return Json.text(specification, "ModelName");
  }
}
