package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * What to score and how: SageMaker's CreateTransformJob, field for field, on either backend. A
 * transform job cannot change once it started, so everything but the deletion policy is immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.backend == oldSelf.backend && self.model == oldSelf.model && self.input"
            + " == oldSelf.input && self.output == oldSelf.output && self.resources =="
            + " oldSelf.resources && has(self.batchStrategy) == has(oldSelf.batchStrategy) &&"
            + " (!has(self.batchStrategy) || self.batchStrategy == oldSelf.batchStrategy) &&"
            + " has(self.maxPayloadInMB) == has(oldSelf.maxPayloadInMB) &&"
            + " (!has(self.maxPayloadInMB) || self.maxPayloadInMB == oldSelf.maxPayloadInMB)"
            + " && has(self.maxConcurrentTransforms) == has(oldSelf.maxConcurrentTransforms)"
            + " && (!has(self.maxConcurrentTransforms) || self.maxConcurrentTransforms =="
            + " oldSelf.maxConcurrentTransforms) && has(self.dataProcessing) =="
            + " has(oldSelf.dataProcessing) && (!has(self.dataProcessing) ||"
            + " self.dataProcessing == oldSelf.dataProcessing) && has(self.invocations) =="
            + " has(oldSelf.invocations) && (!has(self.invocations) || self.invocations =="
            + " oldSelf.invocations) && has(self.environment) == has(oldSelf.environment) &&"
            + " (!has(self.environment) || self.environment == oldSelf.environment) &&"
            + " has(self.local) == has(oldSelf.local) && (!has(self.local) || self.local =="
            + " oldSelf.local)",
    message =
        "spec is immutable but for spec.sagemaker.deletionPolicy and tags: a transform job cannot"
            + " change once it started; create a new BatchTransform instead")
@ValidationRule(
    value =
        "(has(self.sagemaker) && has(self.sagemaker.region) ? self.sagemaker.region : '') =="
            + " (has(oldSelf.sagemaker) && has(oldSelf.sagemaker.region) ?"
            + " oldSelf.sagemaker.region : '')",
    message = "spec.sagemaker.region is immutable: the job runs where it started",
    fieldPath = ".sagemaker.region")
@ValidationRule(
    value =
        "(has(self.sagemaker) && has(self.sagemaker.executionRoleArn) ?"
            + " self.sagemaker.executionRoleArn : '') == (has(oldSelf.sagemaker) &&"
            + " has(oldSelf.sagemaker.executionRoleArn) ? oldSelf.sagemaker.executionRoleArn :"
            + " '')",
    message = "spec.sagemaker.executionRoleArn is immutable: the job runs as it started",
    fieldPath = ".sagemaker.executionRoleArn")
@ValidationRule(
    value = "self.backend == 'local' || !has(self.local)",
    message = "spec.local is only allowed with backend: local",
    fieldPath = ".local")
@ValidationRule(
    value = "self.backend == 'sagemaker' || !has(self.sagemaker)",
    message = "spec.sagemaker is only allowed with backend: sagemaker",
    fieldPath = ".sagemaker")
@ValidationRule(
    value = "self.backend != 'sagemaker' || has(self.resources.instanceType)",
    message = "spec.resources.instanceType is required with backend: sagemaker",
    fieldPath = ".resources.instanceType")
@ValidationRule(
    value = "self.backend != 'local' || !has(self.resources.instanceType)",
    message =
        "spec.resources.instanceType is only used with backend: sagemaker; on backend local give"
            + " each worker's memoryMb, cpuCores and acceleratorCount",
    fieldPath = ".resources.instanceType")
@ValidationRule(
    value =
        "self.backend != 'sagemaker' || (!has(self.resources.memoryMb) &&"
            + " !has(self.resources.cpuCores) && (!has(self.resources.acceleratorCount) ||"
            + " self.resources.acceleratorCount == 0))",
    message =
        "spec.resources.memoryMb, cpuCores and acceleratorCount are only used with backend:"
            + " local; on backend sagemaker the instance type decides them",
    fieldPath = ".resources")
@ValidationRule(
    value = "self.backend != 'local' || has(self.resources.memoryMb)",
    message = "spec.resources.memoryMb is required with backend: local",
    fieldPath = ".resources.memoryMb")
@ValidationRule(
    value = "!has(self.model.mode) || self.model.mode == 'SingleModel'",
    message = "spec.model.mode must be SingleModel: a batch transform runs one model",
    fieldPath = ".model.mode")
@ValidationRule(
    value =
        "!has(self.batchStrategy) || (has(self.input.splitType) && self.input.splitType != 'None')",
    message =
        "spec.batchStrategy needs spec.input.splitType Line, RecordIO or TFRecord: SageMaker"
            + " batches records only when it splits objects into them",
    fieldPath = ".batchStrategy")
@ValidationRule(
    value = "self.backend != 'local' || !has(self.maxPayloadInMB) || self.maxPayloadInMB > 0",
    message =
        "spec.maxPayloadInMB 0 (unlimited, chunked) is not supported with backend: local: Ebb's"
            + " batcher sends bounded requests; give 1 to 100",
    fieldPath = ".maxPayloadInMB")
@ValidationRule(
    value =
        "!has(self.maxPayloadInMB) || !has(self.maxConcurrentTransforms) ||"
            + " self.maxPayloadInMB * self.maxConcurrentTransforms <= 100",
    message =
        "spec.maxConcurrentTransforms times spec.maxPayloadInMB must not exceed 100 (SageMaker's"
            + " limit on the data in flight to one instance)",
    fieldPath = ".maxConcurrentTransforms")
@JsonClassDescription(
    "Desired transform: the model, the S3 input and output, how records are split and batched,"
        + " and where it runs. Immutable but for spec.sagemaker.deletionPolicy.")
public record BatchTransformSpec(
    @JsonPropertyDescription(
            "Where the job runs: sagemaker (a SageMaker transform job) or local (a Kubernetes Job"
                + " on this cluster's nodes).")
        @Required
        Backend backend,
    @JsonPropertyDescription(
            "The model server: image, model data, environment. The same container as an"
                + " InferenceComponent's; it must also answer SageMaker's batch contract (it is"
                + " started with the argument serve).")
        @Required
        ModelSpec model,
    @JsonPropertyDescription("The S3 objects to score and how to cut them into records.") @Required
        Input input,
    @JsonPropertyDescription("Where and how the results are written.") @Required Output output,
    @JsonPropertyDescription(
            "Compute: the instance type and count on SageMaker; each worker's memory, CPU and"
                + " GPUs on backend local.")
        @Required
        Resources resources,
    @JsonPropertyDescription(
            "SingleRecord sends one record per request; MultiRecord as many as fit in"
                + " maxPayloadInMB. Unset: the container's answer at GET /execution-parameters,"
                + " else SingleRecord (SageMaker's BatchStrategy).")
        BatchStrategy batchStrategy,
    @JsonPropertyDescription(
            "Largest request body in MB, 0 to 100 (SageMaker's MaxPayloadInMB; 0: no limit, the"
                + " body sent with chunked encoding, which few containers support). Unset: the"
                + " container's answer, else 6.")
        @Min(0)
        @Max(100)
        Integer maxPayloadInMB,
    @JsonPropertyDescription(
            "Requests in flight to each instance's container, at least 1 (SageMaker's"
                + " MaxConcurrentTransforms). Unset: the container's answer, else 1.")
        @Min(1)
        @Max(1000)
        Integer maxConcurrentTransforms,
    @JsonPropertyDescription(
            "Which part of each record is sent and kept: JSONPath input and output filters and"
                + " joining the input to the result (SageMaker's DataProcessing).")
        DataProcessing dataProcessing,
    @JsonPropertyDescription("Each request's timeout and retries (SageMaker's ModelClientConfig).")
        Invocations invocations,
    @JsonPropertyDescription(
            "Environment variables of the transform (SageMaker's Environment, at most 16), in"
                + " addition to the model's own.")
        @Size(max = 16)
        @ValidationRule(
            value = "self.all(k, size(k) <= 1024 && k.matches('^[a-zA-Z_][a-zA-Z0-9_]*$'))",
            message =
                "spec.environment names must match [a-zA-Z_][a-zA-Z0-9_]* (at most 1024"
                    + " characters)")
        @ValidationRule(
            value = "self.all(k, size(self[k]) <= 10240)",
            message = "spec.environment values must be at most 10240 characters")
        Map<String, String> environment,
    @JsonPropertyDescription("Backend sagemaker only: region, role, tags, deletion policy.")
        SageMaker sagemaker,
    @JsonPropertyDescription(
            "Backend local only: the workers' ServiceAccount and AWS credentials for S3.")
        Local local) {

  /** Backend local's settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Local(
      @JsonPropertyDescription(
              "ServiceAccount of the worker pods: on EKS, the one whose IAM role (IRSA or Pod"
                  + " Identity) may read the model data and the input and write the output."
                  + " Default: the namespace's default ServiceAccount.")
          @Size(max = 253)
          @Pattern(Validation.K8S_NAME)
          String serviceAccountName,
      @JsonPropertyDescription(
              "A Secret in this namespace holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                  + " (and optionally AWS_SESSION_TOKEN, AWS_REGION), passed to the model fetch and"
                  + " the batcher as environment variables: for clusters outside AWS, where no"
                  + " ServiceAccount carries an IAM role. Ebb never reads it; kubelet does.")
          @Size(max = 253)
          @Pattern(Validation.K8S_NAME)
          String awsCredentialsSecret) {}

  /** How records are grouped into requests. */
  public enum BatchStrategy {
    SingleRecord,
    MultiRecord
  }

  /** The input: an S3 prefix or manifest, its content type, split and compression. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(
      @JsonPropertyDescription(
              "S3 URI of the input: a prefix (every object under it is scored) or, with"
                  + " dataType ManifestFile, a manifest listing the objects.")
          @Required
          @Size(max = 1024)
          @Pattern(Validation.S3_URI)
          String s3Uri,
      @JsonPropertyDescription("S3Prefix or ManifestFile (SageMaker's S3DataType).")
          @Default("S3Prefix")
          DataType dataType,
      @JsonPropertyDescription(
              "MIME type of the input, sent as each request's Content-Type (at most 256"
                  + " characters).")
          @Size(max = 256)
          String contentType,
      @JsonPropertyDescription(
              "How an object is cut into records: None (the object is one record), Line,"
                  + " RecordIO or TFRecord.")
          @Default("None")
          SplitType splitType,
      @JsonPropertyDescription("None or Gzip: how the input objects are compressed.")
          @Default("None")
          Compression compression) {}

  /** SageMaker's S3DataType for a transform. */
  public enum DataType {
    S3Prefix,
    ManifestFile
  }

  /** SageMaker's SplitType. */
  public enum SplitType {
    None,
    Line,
    RecordIO,
    TFRecord
  }

  /** SageMaker's CompressionType. */
  public enum Compression {
    None,
    Gzip
  }

  /** SageMaker's AssembleWith. */
  public enum Assembly {
    None,
    Line
  }

  /** The output: S3 path, accepted type, assembly. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Output(
      @JsonPropertyDescription(
              "S3 URI the results are written under: one object <input name>.out per input"
                  + " object.")
          @Required
          @Size(max = 1024)
          @Pattern(Validation.S3_URI)
          String s3Uri,
      @JsonPropertyDescription(
              "MIME type asked of the container, sent as each request's Accept (at most 256"
                  + " characters).")
          @Size(max = 256)
          String accept,
      @JsonPropertyDescription(
              "None concatenates the results of an object as returned; Line ends each record's"
                  + " result with a newline.")
          @Default("None")
          Assembly assembleWith) {}

  /** Compute for the job. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(
      @JsonPropertyDescription(
              "Backend sagemaker: the ML instance type, e.g. ml.m5.xlarge or ml.g5.xlarge."
                  + " SageMaker rejects types it does not offer for transform.")
          @Size(max = 64)
          @Pattern("^ml\\.[a-z0-9]+\\.[a-z0-9]+$")
          String instanceType,
      @JsonPropertyDescription(
              "Instances (backend local: worker pods); the input objects are divided among"
                  + " them.")
          @Min(1)
          @Max(100)
          @Default("1")
          Integer instanceCount,
      @JsonPropertyDescription("Backend local: memory of each worker's model server in MiB.")
          @Min(128)
          Integer memoryMb,
      @JsonPropertyDescription("Backend local: CPU cores of each worker's model server.") @Min(0.25)
          Double cpuCores,
      @JsonPropertyDescription("Backend local: GPUs (nvidia.com/gpu) of each worker.")
          @Min(0)
          @Max(64)
          Integer acceleratorCount) {}

  /** JSONPath filters and the input join. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DataProcessing(
      @JsonPropertyDescription(
              "JSONPath selecting the part of each JSON or CSV record sent to the model, e.g."
                  + " $[1:] (at most 63 characters).")
          @Size(max = 63)
          @Pattern("^\\$.*$")
          String inputFilter,
      @JsonPropertyDescription(
              "JSONPath selecting the part of the joined result kept in the output (at most 63"
                  + " characters).")
          @Size(max = 63)
          @Pattern("^\\$.*$")
          String outputFilter,
      @JsonPropertyDescription("None, or Input to join each input record to its result.")
          @Default("None")
          JoinSource joinSource) {}

  /** SageMaker's JoinSource. */
  public enum JoinSource {
    None,
    Input
  }

  /** Each request's timeout and retries. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Invocations(
      @JsonPropertyDescription("Timeout of one request in seconds, 1 to 3600 (default 600).")
          @Min(1)
          @Max(3600)
          Integer timeoutSeconds,
      @JsonPropertyDescription("Retries of a failed request, 0 to 3 (default 3).") @Min(0) @Max(3)
          Integer maxRetries) {}

  /** SageMaker-only settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SageMaker(
      @JsonPropertyDescription(
              "AWS region of the job, e.g. us-east-1. Defaults to the operator's configured"
                  + " region.")
          @Size(max = 32)
          @Pattern(Validation.AWS_REGION)
          String region,
      @JsonPropertyDescription(
              "IAM role SageMaker assumes to pull the image and read the model, input and"
                  + " output. Defaults to the operator's configured execution role.")
          @Size(max = 2048)
          @Pattern(Validation.IAM_ROLE_ARN)
          String executionRoleArn,
      @JsonPropertyDescription(
              "What happens when this object is deleted while the job runs: Delete stops the"
                  + " job (StopTransformJob) and deletes its model; Retain lets it run to the end"
                  + " and keeps the model. A finished job stays in SageMaker's history either"
                  + " way (SageMaker cannot delete one).")
          @Default("Delete")
          InferenceEndpointSpec.DeletionPolicy deletionPolicy,
      @JsonPropertyDescription(
              "Tags added to the job and its model (at most 40; keys must not start with aws:"
                  + " or ebb.dev/, which Ebb reserves).")
          @Size(max = 40)
          @ValidationRule(value = Validation.TAG_KEYS, message = Validation.TAG_KEYS_MESSAGE)
          @ValidationRule(value = Validation.TAG_VALUES, message = Validation.TAG_VALUES_MESSAGE)
          Map<String, String> tags) {}
}
