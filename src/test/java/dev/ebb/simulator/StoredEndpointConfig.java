package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** An endpoint configuration: the CreateEndpointConfig request as sent (less its tags). */
final class StoredEndpointConfig extends Stored {
  final ObjectNode request;

  /** Eventual consistency: whether a caller has already been told this config does not exist. */
  boolean staleReadServed;

  StoredEndpointConfig(String name, String arn, Instant now, ObjectNode request) {
    super(name, arn, now);
    this.request = request;
  }

  List<ObjectNode> variants() {
    return Json.objects(request, "ProductionVariants");
  }
}
