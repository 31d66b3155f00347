package dev.ebb.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A response stream's events are checked as members of the model's event union. */
class EventStreamShapeTest {
  private static final ServiceModel RUNTIME = Botocore.model("sagemaker-runtime");
  private static final String SHAPE = RUNTIME.outputShape("InvokeEndpointWithResponseStream");

  @Test
  void aPayloadPartIsAnEventTheModelKnowsAndAnyOtherIsNot() {
    var json = new ObjectMapper();
    ObjectNode good = json.createObjectNode();
    good.putObject("Body").putObject("PayloadPart").put("Bytes", new byte[] {1, 2});
    ObjectNode bad = json.createObjectNode();
    bad.putObject("Body").putObject("Chunk").put("Bytes", new byte[] {1});

    assertThat(ShapeValidator.output(RUNTIME, SHAPE, good)).isEmpty();
    assertThat(ShapeValidator.output(RUNTIME, SHAPE, bad)).isNotEmpty();
  }
}
