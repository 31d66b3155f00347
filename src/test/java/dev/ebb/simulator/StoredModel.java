package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A model: the CreateModel request as sent (less its tags). */
final class StoredModel extends Stored {
  final ObjectNode request;

  /** Eventual consistency: whether a caller has already been told this model does not exist. */
  boolean staleReadServed;

  StoredModel(String name, String arn, Instant now, ObjectNode request) {
    super(name, arn, now);
    this.request = request;
  }

  /** The images of its containers, which failure rules may match. */
  List<String> images() {
    List<String> images = new ArrayList<>();
    String primary = Json.text(Json.child(request, "PrimaryContainer"), "Image");
    if (primary != null) {
      images.add(primary);
    }
    Json.objects(request, "Containers").stream()
        .map(c -> Json.text(c, "Image"))
        .filter(i -> i != null)
        .forEach(images::add);
    return images;
  }
}
