package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** An InvokeEndpoint request as the runtime's REST binding carries it: path, headers, body. */
record Invocation(
    String endpointName,
    String contentType,
    String accept,
    String inferenceComponent,
    String targetVariant,
    String customAttributes,
    byte[] body) {

  /** What the call log records: the members, with the body as text. */
  ObjectNode toJson() {
    ObjectNode out = Json.object().put("EndpointName", endpointName);
    out.put("ContentType", contentType).put("Accept", accept);
    out.put("InferenceComponentName", inferenceComponent);
    out.put("TargetVariant", targetVariant).put("CustomAttributes", customAttributes);
    out.put("BodyLength", body.length);
    out.put("Body", new String(body, StandardCharsets.UTF_8));
    return out;
  }

  /** What InvokeEndpoint answers. */
  record Reply(byte[] body, String contentType, String invokedVariant, String customAttributes) {}
}
