package dev.ebb.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch transform, as the reconciler writes it for the batcher: CreateTransformJob's fields
 * that reach the instance, in camel case. Unknown fields are refused (a field the batcher does not
 * know would otherwise be silently ignored). Nulls mean "not set", as in the API.
 *
 * @param modelUrl the model server (default {@value #DEFAULT_MODEL_URL})
 * @param input TransformInput
 * @param output TransformOutput
 * @param batchStrategy SingleRecord or MultiRecord; null asks the container, then the default
 * @param maxPayloadInMB null (or unset) asks the container, then 6
 * @param maxConcurrentTransforms null or 0 asks the container, then 1
 * @param dataProcessing DataProcessing, or null
 * @param progressFile where to write progress JSON, or null
 * @param shard this worker's share of the input objects (TransformResources.InstanceCount > 1)
 * @param modelClientConfig ModelClientConfig, or null for its defaults (600 s, 3 retries)
 * @param startupTimeoutSeconds how long to wait for {@code GET /ping} to answer 200 (Ebb's)
 */
public record BatchJob(
    String modelUrl,
    Input input,
    Output output,
    String batchStrategy,
    Integer maxPayloadInMB,
    Integer maxConcurrentTransforms,
    DataProcessing dataProcessing,
    String progressFile,
    Shard shard,
    ModelClientConfig modelClientConfig,
    Integer startupTimeoutSeconds) {

  public static final String DEFAULT_MODEL_URL = "http://127.0.0.1:8080";
  public static final int DEFAULT_STARTUP_TIMEOUT_SECONDS = 600;

  /** TransformInput with its S3DataSource flattened. */
  public record Input(
      String s3Uri,
      String s3DataType,
      String contentType,
      String splitType,
      String compressionType) {}

  /** TransformOutput. */
  public record Output(String s3OutputPath, String accept, String assembleWith, String kmsKeyId) {}

  /** DataProcessing. */
  public record DataProcessing(String inputFilter, String outputFilter, String joinSource) {}

  /** Worker {@code index} of {@code count}. */
  public record Shard(int index, int count) {}

  /** ModelClientConfig. */
  public record ModelClientConfig(
      Integer invocationsTimeoutInSeconds, Integer invocationsMaxRetries) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Parses the document; throws {@link Invalid} with what is wrong. */
  public static BatchJob parse(String json) {
    BatchJob job;
    try {
      job = JSON.readValue(json, BatchJob.class);
    } catch (JsonProcessingException e) {
      throw new Invalid("not a batch job document: " + e.getOriginalMessage());
    }
    if (job == null) {
      throw new Invalid("not a batch job document: empty");
    }
    List<String> problems = job.problems();
    if (!problems.isEmpty()) {
      throw new Invalid(String.join("; ", problems));
    }
    return job;
  }

  /**
   * What CreateTransformJob would refuse (ValidationException): missing or misspelt fields, values
   * out of AWS's ranges.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (input == null || input.s3Uri() == null) {
      problems.add("input.s3Uri is required");
    } else if (!input.s3Uri().matches("^(https|s3)://([^/]+)/?(.*)$")) {
      problems.add("input.s3Uri must match (https|s3)://bucket/key: " + input.s3Uri());
    }
    if (input != null) {
      oneOf(problems, "input.s3DataType", input.s3DataType(), "S3Prefix", "ManifestFile");
      oneOf(problems, "input.splitType", input.splitType(), "None", "Line", "RecordIO", "TFRecord");
      oneOf(problems, "input.compressionType", input.compressionType(), "None", "Gzip");
    }
    if (output == null || output.s3OutputPath() == null) {
      problems.add("output.s3OutputPath is required");
    } else {
      if (!output.s3OutputPath().matches("^(https|s3)://([^/]+)/?(.*)$")) {
        problems.add(
            "output.s3OutputPath must match (https|s3)://bucket/key: " + output.s3OutputPath());
      }
      oneOf(problems, "output.assembleWith", output.assembleWith(), "None", "Line");
    }
    oneOf(problems, "batchStrategy", batchStrategy, "SingleRecord", "MultiRecord");
    if (maxPayloadInMB != null && (maxPayloadInMB < 0 || maxPayloadInMB > 100)) {
      problems.add("maxPayloadInMB must be 0..100: " + maxPayloadInMB);
    }
    if (maxConcurrentTransforms != null && maxConcurrentTransforms < 0) {
      problems.add("maxConcurrentTransforms must be 0 or more: " + maxConcurrentTransforms);
    }
    if (maxPayloadInMB != null
        && maxConcurrentTransforms != null
        && (long) maxPayloadInMB * maxConcurrentTransforms > 100) {
      problems.add(
          "maxConcurrentTransforms × maxPayloadInMB must not exceed 100 MB: "
              + maxConcurrentTransforms
              + " × "
              + maxPayloadInMB);
    }
    if (dataProcessing != null) {
      oneOf(problems, "dataProcessing.joinSource", dataProcessing.joinSource(), "None", "Input");
      for (String filter :
          new String[] {dataProcessing.inputFilter(), dataProcessing.outputFilter()}) {
        if (filter != null && filter.length() > 63) {
          problems.add("a DataProcessing filter is at most 63 characters: " + filter);
        }
      }
    }
    if (shard != null
        && (shard.count() < 1 || shard.index() < 0 || shard.index() >= shard.count())) {
      problems.add("shard.index must be 0..count-1 and count at least 1: " + shard);
    }
    if (modelClientConfig != null) {
      Integer timeout = modelClientConfig.invocationsTimeoutInSeconds();
      if (timeout != null && (timeout < 1 || timeout > 3600)) {
        problems.add("modelClientConfig.invocationsTimeoutInSeconds must be 1..3600: " + timeout);
      }
      Integer retries = modelClientConfig.invocationsMaxRetries();
      if (retries != null && (retries < 0 || retries > 3)) {
        problems.add("modelClientConfig.invocationsMaxRetries must be 0..3: " + retries);
      }
    }
    if (startupTimeoutSeconds != null && startupTimeoutSeconds < 1) {
      problems.add("startupTimeoutSeconds must be positive: " + startupTimeoutSeconds);
    }
    return problems;
  }

  /**
   * What AWS accepts that this batcher does not do: the job fails at once, saying so, rather than
   * run differently from SageMaker.
   */
  public List<String> unsupported() {
    List<String> unsupported = new ArrayList<>();
    if (input.s3Uri().startsWith("https://")) {
      unsupported.add("input.s3Uri as an https:// URL (use s3://bucket/key)");
    }
    if (output.s3OutputPath().startsWith("https://")) {
      unsupported.add("output.s3OutputPath as an https:// URL (use s3://bucket/key)");
    }
    if (maxPayloadInMB != null && maxPayloadInMB == 0) {
      unsupported.add(
          "maxPayloadInMB 0 (arbitrarily large payloads sent with HTTP chunked encoding)");
    }
    return unsupported;
  }

  public String modelUrlOrDefault() {
    return modelUrl == null || modelUrl.isBlank() ? DEFAULT_MODEL_URL : modelUrl.strip();
  }

  public String s3DataType() {
    return input.s3DataType() == null ? "S3Prefix" : input.s3DataType();
  }

  public String splitType() {
    return input.splitType() == null ? "None" : input.splitType();
  }

  public boolean gzip() {
    return "Gzip".equals(input.compressionType());
  }

  public boolean assembleWithLine() {
    return "Line".equals(output.assembleWith());
  }

  public String inputFilter() {
    return dataProcessing == null || dataProcessing.inputFilter() == null
        ? "$"
        : dataProcessing.inputFilter();
  }

  public String outputFilter() {
    return dataProcessing == null || dataProcessing.outputFilter() == null
        ? "$"
        : dataProcessing.outputFilter();
  }

  public boolean joinInput() {
    return dataProcessing != null && "Input".equals(dataProcessing.joinSource());
  }

  /** Whether records go through DataProcessing at all (its defaults are "$", "$", None). */
  public boolean processesData() {
    return joinInput() || !inputFilter().equals("$") || !outputFilter().equals("$");
  }

  public int invocationsTimeoutSeconds() {
    return modelClientConfig == null || modelClientConfig.invocationsTimeoutInSeconds() == null
        ? 600
        : modelClientConfig.invocationsTimeoutInSeconds();
  }

  public int invocationsMaxRetries() {
    return modelClientConfig == null || modelClientConfig.invocationsMaxRetries() == null
        ? 3
        : modelClientConfig.invocationsMaxRetries();
  }

  public int startupTimeoutOrDefault() {
    return startupTimeoutSeconds == null ? DEFAULT_STARTUP_TIMEOUT_SECONDS : startupTimeoutSeconds;
  }

  public Shard shardOrWhole() {
    return shard == null ? new Shard(0, 1) : shard;
  }

  private static void oneOf(List<String> problems, String field, String value, String... allowed) {
    if (value == null) {
      return;
    }
    for (String a : allowed) {
      if (a.equals(value)) {
        return;
      }
    }
    problems.add(
        field
            + " must be one of "
            + String.join("|", allowed)
            + ": "
            + value
            + (value.equals("AugmentedManifestFile")
                ? " (batch transform does not accept AugmentedManifestFile)"
                : ""));
  }

  /** The document is not one CreateTransformJob would accept. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) {
      super(message);
    }
  }
}
