package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One request the simulator received.
 *
 * @param time the simulator clock when it arrived
 * @param region the region from the request's SigV4 credential scope
 * @param operation the SageMaker operation, e.g. "CreateEndpoint" or "InvokeEndpoint"
 * @param request the request members as JSON (for InvokeEndpoint: its headers, and the body)
 * @param status the HTTP status answered
 * @param errorCode the error code answered, or null on success
 * @param errorMessage the error message answered, or null on success
 * @param throttled whether the call was answered with throttling instead of being served
 */
public record Call(
    Instant time,
    String region,
    String operation,
    JsonNode request,
    int status,
    String errorCode,
    String errorMessage,
    boolean throttled) {

  public boolean succeeded() {
    return errorCode == null;
  }
}
