package dev.ebb.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Where a transform stands. {@code recordsTotal} counts the records read so far (an object's
 * records are known once it is split, not before), so it grows until the last object is read.
 *
 * @param state InProgress, Completed or Failed (DescribeTransformJob's TransformJobStatus names)
 */
public record Progress(
    String state,
    int objectsTotal,
    int objectsDone,
    int objectsFailed,
    long recordsTotal,
    long recordsDone,
    long recordsFailed,
    String reason,
    Instant at) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public String json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("state", state);
    node.put("objectsTotal", objectsTotal);
    node.put("objectsDone", objectsDone);
    node.put("objectsFailed", objectsFailed);
    node.put("recordsTotal", recordsTotal);
    node.put("recordsDone", recordsDone);
    node.put("recordsFailed", recordsFailed);
    if (reason != null) {
      node.put("reason", reason);
    }
    node.put("updatedAt", at.toString());
    return node.toString();
  }

  /** The last line the batcher prints on stdout. */
  public String resultLine() {
    return "ebb-batch result="
        + state
        + " objects="
        + objectsDone
        + "/"
        + objectsTotal
        + " records="
        + recordsDone
        + " failed="
        + recordsFailed
        + " reason="
        + (reason == null ? "-" : reason.replace('\n', ' '));
  }
}
