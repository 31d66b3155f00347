package dev.ebb.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * BatchStrategy, MaxPayloadInMB and MaxConcurrentTransforms as the job runs them, decided as the
 * developer guide says ("Use your own inference code with batch transform", How containers serve
 * requests): "1. The parameter values that you provide when you create the CreateTransformJob
 * request. 2. The values that the model container returns when SageMaker invokes the
 * execution-parameters endpoint. 3. The default parameter values". The defaults: MaxPayloadInMB 6
 * and MaxConcurrentTransforms 1 (CreateTransformJob: "If the execution-parameters endpoint is not
 * enabled, the default value is 1"; MaxConcurrentTransforms 0 counts as unset), BatchStrategy
 * MultiRecord (the SageMaker Python SDK's local mode, which emulates batch transform, defaults to
 * it; the API reference names no default).
 *
 * <p>The container answers {@code {"MaxConcurrentTransforms": 8, "BatchStrategy": "MULTI_RECORD",
 * "MaxPayloadInMB": 6}}; {@code SingleRecord}/{@code MultiRecord} are taken too. A value out of
 * AWS's ranges fails the job rather than be ignored.
 */
public record TransformSettings(boolean multiRecord, int maxPayloadInMB, int maxConcurrent) {
  public static final int DEFAULT_MAX_PAYLOAD_IN_MB = 6;
  public static final int DEFAULT_MAX_CONCURRENT = 1;
  public static final boolean DEFAULT_MULTI_RECORD = true;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the job leaves any of the three to the container. */
  public static boolean asksContainer(BatchJob job) {
    return job.batchStrategy() == null
        || job.maxPayloadInMB() == null
        || job.maxConcurrentTransforms() == null
        || job.maxConcurrentTransforms() == 0;
  }

  /**
   * The settings from the job, then {@code executionParameters} (the container's answer, when it
   * has the endpoint), then the defaults.
   */
  public static TransformSettings resolve(BatchJob job, Optional<String> executionParameters) {
    JsonNode answer = JSON.createObjectNode();
    if (executionParameters.isPresent()) {
      try {
        answer = JSON.readTree(executionParameters.get());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "GET /execution-parameters answered 200 with no JSON object: "
                + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage()
                    : e.getMessage()));
      }
      if (answer == null || !answer.isObject()) {
        throw new IllegalArgumentException(
            "GET /execution-parameters answered 200 with no JSON object");
      }
    }
    boolean multi;
    if (job.batchStrategy() != null) {
      multi = job.batchStrategy().equals("MultiRecord");
    } else if (answer.hasNonNull("BatchStrategy")) {
      String s = answer.get("BatchStrategy").asText();
      multi =
          switch (s) {
            case "MULTI_RECORD", "MultiRecord" -> true;
            case "SINGLE_RECORD", "SingleRecord" -> false;
            default ->
                throw new IllegalArgumentException(
                    "GET /execution-parameters: BatchStrategy "
                        + s
                        + " is not MULTI_RECORD or"
                        + " SINGLE_RECORD");
          };
    } else {
      multi = DEFAULT_MULTI_RECORD;
    }
    int payload;
    if (job.maxPayloadInMB() != null) {
      payload = job.maxPayloadInMB();
    } else if (answer.hasNonNull("MaxPayloadInMB")) {
      payload = integer(answer, "MaxPayloadInMB", 1, 100);
    } else {
      payload = DEFAULT_MAX_PAYLOAD_IN_MB;
    }
    int concurrent;
    if (job.maxConcurrentTransforms() != null && job.maxConcurrentTransforms() > 0) {
      concurrent = job.maxConcurrentTransforms();
    } else if (answer.hasNonNull("MaxConcurrentTransforms")) {
      concurrent = integer(answer, "MaxConcurrentTransforms", 1, Integer.MAX_VALUE);
    } else {
      concurrent = DEFAULT_MAX_CONCURRENT;
    }
    return new TransformSettings(multi, payload, concurrent);
  }

  private static int integer(JsonNode answer, String field, int min, int max) {
    JsonNode v = answer.get(field);
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      throw new IllegalArgumentException(
          "GET /execution-parameters: "
              + field
              + " must be an integer "
              + min
              + ".."
              + max
              + ": "
              + v);
    }
    return v.asInt();
  }

  public long maxPayloadBytes() {
    return maxPayloadInMB * 1024L * 1024L;
  }

  @Override
  public String toString() {
    return "BatchStrategy="
        + (multiRecord ? "MultiRecord" : "SingleRecord")
        + " MaxPayloadInMB="
        + maxPayloadInMB
        + " MaxConcurrentTransforms="
        + maxConcurrent;
  }
}
