package dev.ebb.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DataProcessing.JoinSource {@code Input} (API reference, DataProcessing): the input record as
 * read, joined with the model's output for it.
 *
 * <ul>
 *   <li>JSON: "SageMaker adds the transformed data to the input JSON object in an attribute called
 *       SageMakerOutput"; when the input "is not a key-value pair object", a new object with the
 *       input under {@code SageMakerInput} and the output under {@code SageMakerOutput}. An input
 *       attribute named SageMakerOutput is overwritten, as AWS warns.
 *   <li>CSV: "appending each transformed row to the end of the input": the input's fields followed
 *       by the output's.
 * </ul>
 */
public final class JoinSource {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JoinSource() {}

  public static JsonNode join(RecordFormat format, JsonNode input, JsonNode output) {
    if (format == RecordFormat.CSV) {
      ArrayNode joined = NODES.arrayNode();
      joined.addAll((ArrayNode) input);
      if (output.isArray()) {
        joined.addAll((ArrayNode) output);
      } else {
        joined.add(output);
      }
      return joined;
    }
    if (input.isObject()) {
      ObjectNode joined = ((ObjectNode) input).deepCopy();
      joined.set("SageMakerOutput", output);
      return joined;
    }
    ObjectNode joined = NODES.objectNode();
    joined.set("SageMakerInput", input);
    joined.set("SageMakerOutput", output);
    return joined;
  }
}
