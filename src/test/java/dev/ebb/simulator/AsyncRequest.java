package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An InvokeEndpointAsync request as the runtime's REST binding carries it: the endpoint in the path
 * and every member in an X-Amzn-SageMaker-* header (the payload waits in S3). Numbers stay as sent,
 * so a malformed one is answered by the handler like any other invalid value.
 */
record AsyncRequest(
    String endpointName,
    String inputLocation,
    String contentType,
    String accept,
    String customAttributes,
    String inferenceId,
    String requestTtlSeconds,
    String invocationTimeoutSeconds) {

  ObjectNode toJson() {
    ObjectNode out = Json.object().put("EndpointName", endpointName);
    out.put("InputLocation", inputLocation);
    out.put("ContentType", contentType).put("Accept", accept);
    out.put("CustomAttributes", customAttributes).put("InferenceId", inferenceId);
    out.put("RequestTTLSeconds", requestTtlSeconds);
    return out.put("InvocationTimeoutSeconds", invocationTimeoutSeconds);
  }

  /** What InvokeEndpointAsync answers; failureLocation is null without an S3FailurePath. */
  record Accepted(String inferenceId, String outputLocation, String failureLocation) {}
}
