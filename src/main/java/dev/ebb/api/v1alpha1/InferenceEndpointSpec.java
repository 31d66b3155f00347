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
import java.util.List;
import java.util.Map;

/**
 * Where models are hosted: a SageMaker endpoint and its endpoint config, or locally the serving
 * unit the Ebb gateway routes to. The spec holds intent and bounds only; instance counts and
 * weights chosen at run time live in status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.backend == 'sagemaker' || !has(self.sagemaker)",
    message = "spec.sagemaker is only allowed with backend: sagemaker",
    fieldPath = ".sagemaker")
@ValidationRule(
    value = "self.backend == 'local' || !has(self.local)",
    message = "spec.local is only allowed with backend: local",
    fieldPath = ".local")
@ValidationRule(
    value =
        "self.backend != 'sagemaker' || self.variants.all(v, has(v.instanceType) || has(v.serverless))",
    message =
        "spec.variants[].instanceType (or spec.variants[].serverless) is required with backend:"
            + " sagemaker",
    fieldPath = ".variants")
@ValidationRule(
    value = "self.backend != 'local' || self.variants.all(v, !has(v.serverless))",
    message = "spec.variants[].serverless is only available with backend: sagemaker",
    fieldPath = ".variants")
@ValidationRule(
    value = "self.backend != 'local' || !has(self.dataCapture)",
    message = "spec.dataCapture is only available with backend: sagemaker",
    fieldPath = ".dataCapture")
@ValidationRule(
    value = "self.backend != 'local' || !has(self.rollout)",
    message =
        "spec.rollout configures SageMaker's deployments and is only available with backend:"
            + " sagemaker (a local component's copies are replaced by its Deployment's rolling"
            + " update)",
    fieldPath = ".rollout")
@ValidationRule(
    value = "self.backend != 'local' || self.variants.all(v, !has(v.model))",
    message =
        "spec.variants[].model is only available with backend: sagemaker; on backend local,"
            + " place the model with an InferenceComponent",
    fieldPath = ".variants")
@ValidationRule(
    value = "self.backend != 'local' || self.variants.all(v, !has(v.startup))",
    message =
        "spec.variants[].startup is only available with backend: sagemaker; on backend local,"
            + " set the InferenceComponent's spec.startup",
    fieldPath = ".variants")
@ValidationRule(
    value =
        "self.backend != 'local' || self.variants.all(v, !has(v.instanceType) &&"
            + " !has(v.initialInstanceCount) && !has(v.managedInstanceScaling))",
    message =
        "spec.variants[].instanceType, initialInstanceCount and managedInstanceScaling are only"
            + " available with backend: sagemaker; backend local runs copies on the cluster's"
            + " nodes (spec.local.nodeSelector, tolerations)",
    fieldPath = ".variants")
@ValidationRule(
    value =
        "self.backend != 'local' || self.variants.all(v, !has(v.routingStrategy) ||"
            + " v.routingStrategy == 'LeastOutstandingRequests')",
    message =
        "spec.variants[].routingStrategy Random is only available with backend: sagemaker; the"
            + " gateway always sends a request to the least busy copy (LeastOutstandingRequests)",
    fieldPath = ".variants")
@ValidationRule(
    value = "!has(self.async) || self.variants.all(v, !has(v.serverless))",
    message =
        "spec.async cannot be combined with serverless variants (SageMaker does not support it)",
    fieldPath = ".async")
@ValidationRule(
    value = "!has(self.dataCapture) || self.variants.all(v, !has(v.serverless))",
    message =
        "spec.dataCapture cannot be combined with serverless variants (SageMaker does not"
            + " support it)",
    fieldPath = ".dataCapture")
@ValidationRule(
    value = "!has(self.async) || size(self.variants) == 1",
    message = "spec.variants must have exactly one variant with spec.async",
    fieldPath = ".variants")
@ValidationRule(
    value =
        "self.backend != 'sagemaker' || !has(self.rollout)"
            + " || (self.variants.all(v, oldSelf.variants.exists(o, o.name == v.name))"
            + " && oldSelf.variants.all(o, self.variants.exists(v, v.name == o.name)))",
    message =
        "spec.variants[].name cannot change while spec.rollout is set: SageMaker's blue/green"
            + " deployments need the new endpoint config to keep the variant names. Remove"
            + " spec.rollout for this change (SageMaker's default deployment), or keep the names",
    fieldPath = ".variants")
@ValidationRule(
    value = "self.backend == oldSelf.backend",
    message =
        "spec.backend is immutable: create a new InferenceEndpoint to move a model to another"
            + " backend",
    fieldPath = ".backend")
@ValidationRule(
    value =
        "(has(self.sagemaker) && has(self.sagemaker.endpointName) ? self.sagemaker.endpointName"
            + " : '') == (has(oldSelf.sagemaker) && has(oldSelf.sagemaker.endpointName) ?"
            + " oldSelf.sagemaker.endpointName : '')",
    message =
        "spec.sagemaker.endpointName is immutable: Ebb would lose track of the endpoint it"
            + " manages; create a new InferenceEndpoint instead",
    fieldPath = ".sagemaker.endpointName")
@ValidationRule(
    value =
        "(has(self.sagemaker) && has(self.sagemaker.region) ? self.sagemaker.region : '') =="
            + " (has(oldSelf.sagemaker) && has(oldSelf.sagemaker.region) ?"
            + " oldSelf.sagemaker.region : '')",
    message =
        "spec.sagemaker.region is immutable: Ebb would lose track of the endpoint it manages;"
            + " create a new InferenceEndpoint instead",
    fieldPath = ".sagemaker.region")
@JsonClassDescription(
    "Desired state of the endpoint: backend, variants and optional asynchronous inference, data capture, rollout and local settings. Holds intent and bounds only.")
public record InferenceEndpointSpec(
    @JsonPropertyDescription(
            "Where the models run: sagemaker (Amazon SageMaker hosting) or local (model-server"
                + " pods on this cluster, routed to by the Ebb gateway).")
        @Default("sagemaker")
        Backend backend,
    @JsonPropertyDescription("SageMaker settings; only with backend: sagemaker.")
        SageMaker sagemaker,
    @JsonPropertyDescription(
            "The production variants (SageMaker ProductionVariants), 1 to 10, names unique."
                + " Several variants with weights make an A/B test.")
        @Required
        @Size(min = 1, max = 10)
        @ValidationRule(
            value = "self.all(v, self.exists_one(w, w.name == v.name))",
            message = "spec.variants[].name must be unique")
        @ValidationRule(
            value = "self.exists(v, !has(v.weight) || v.weight > 0.0)",
            message = "spec.variants[].weight must not all be zero: no variant would get traffic")
        List<Variant> variants,
    @JsonPropertyDescription(
            "Asynchronous inference: requests are read from S3 and answered there, with"
                + " optional SNS notifications. Requires exactly one variant.")
        Async async,
    @JsonPropertyDescription("Capture of requests and responses to S3 (SageMaker only).")
        DataCapture dataCapture,
    @JsonPropertyDescription(
            "How a change of the endpoint's configuration is deployed. A change of variant"
                + " weights alone always shifts traffic live, without a new configuration.")
        Rollout rollout,
    @JsonPropertyDescription("Local settings; only with backend: local.") Local local,
    @JsonPropertyDescription(
            "Who may call the endpoint through the Ebb gateway (either backend). Omitted, only"
                + " ServiceAccount tokens of the endpoint's namespace are accepted; 'public: true'"
                + " opens it to every caller.")
        GatewayAccess access) {

  /** SageMaker-only settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!self.adopt || has(self.endpointName)",
      message = "spec.sagemaker.endpointName is required when spec.sagemaker.adopt is true",
      fieldPath = ".endpointName")
  public record SageMaker(
      @JsonPropertyDescription(
              "AWS region of the endpoint, e.g. us-east-1. Defaults to the operator's"
                  + " configured region.")
          @Size(max = 32)
          @Pattern(Validation.AWS_REGION)
          String region,
      @JsonPropertyDescription(
              "IAM role SageMaker assumes to pull the image and model data. Required for"
                  + " endpoints with variant models or inference components.")
          @Size(max = 2048)
          @Pattern(Validation.IAM_ROLE_ARN)
          String executionRoleArn,
      @JsonPropertyDescription(
              "Name of the SageMaker endpoint. Defaults to a name derived from namespace and"
                  + " name. Set it, with adopt: true, to take over an existing endpoint.")
          @Size(max = 63)
          @Pattern(Validation.SAGEMAKER_NAME)
          String endpointName,
      @JsonPropertyDescription(
              "Take over an existing endpoint named endpointName instead of creating one.")
          @Default("false")
          Boolean adopt,
      @JsonPropertyDescription(
              "What happens to the SageMaker endpoint when this object is deleted: Delete it"
                  + " (and its configs and models), or Retain it.")
          @Default("Delete")
          DeletionPolicy deletionPolicy,
      @JsonPropertyDescription(
              "Tags added to every SageMaker resource Ebb creates for this endpoint (at most"
                  + " 40; keys must not start with aws: or ebb.dev/, which Ebb reserves).")
          @Size(max = 40)
          @ValidationRule(value = Validation.TAG_KEYS, message = Validation.TAG_KEYS_MESSAGE)
          @ValidationRule(value = Validation.TAG_VALUES, message = Validation.TAG_VALUES_MESSAGE)
          Map<String, String> tags) {}

  /** What happens to cloud resources when the Kubernetes object goes. */
  public enum DeletionPolicy {
    Delete,
    Retain
  }

  /** One production variant. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.serverless) || !(has(self.instanceType) || has(self.initialInstanceCount) ||"
              + " has(self.managedInstanceScaling))",
      message =
          "spec.variants[].serverless is mutually exclusive with instanceType,"
              + " initialInstanceCount and managedInstanceScaling")
  @ValidationRule(
      value =
          "!has(self.managedInstanceScaling) || !has(self.initialInstanceCount) ||"
              + " self.initialInstanceCount <= self.managedInstanceScaling.maxInstanceCount",
      message =
          "spec.variants[].initialInstanceCount must not exceed"
              + " managedInstanceScaling.maxInstanceCount",
      fieldPath = ".initialInstanceCount")
  public record Variant(
      @JsonPropertyDescription("Variant name (SageMaker VariantName), unique in the endpoint.")
          @Required
          @Size(min = 1, max = 63)
          @Pattern(Validation.SAGEMAKER_NAME)
          String name,
      @JsonPropertyDescription(
              "SageMaker instance type, e.g. ml.g5.2xlarge. Ignored by backend local, where"
                  + " the components' resources decide placement.")
          @Pattern("^ml\\.[a-z0-9]+\\.[a-z0-9]+$")
          String instanceType,
      @JsonPropertyDescription(
              "Instances to start with (SageMaker InitialInstanceCount). Defaults to 1 for"
                  + " instance-backed variants. Live counts are reported in status, never"
                  + " written here.")
          @Min(1)
          Integer initialInstanceCount,
      @JsonPropertyDescription(
              "Managed instance scaling: instances follow the inference components' copies."
                  + " minInstanceCount 0 lets the endpoint scale to zero instances.")
          ManagedInstanceScaling managedInstanceScaling,
      @JsonPropertyDescription(
              "How requests are spread over instances: LeastOutstandingRequests or Random.")
          @Default("LeastOutstandingRequests")
          RoutingStrategy routingStrategy,
      @JsonPropertyDescription(
              "Relative traffic weight (SageMaker InitialVariantWeight), >= 0. A change of"
                  + " weights alone shifts traffic live without redeploying.")
          @Min(0)
          @Default("1.0")
          Double weight,
      @JsonPropertyDescription(
              "Serverless hosting instead of instances: memory and concurrency. Mutually"
                  + " exclusive with the instance fields.")
          Serverless serverless,
      @JsonPropertyDescription(
              "Model served by this variant, for endpoints without inference components"
                  + " (classic, asynchronous, multi-model).")
          ModelSpec model,
      @JsonPropertyDescription("Startup timeouts for this variant's model.") StartupSpec startup) {}

  /** Managed instance scaling bounds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.minInstanceCount <= self.maxInstanceCount",
      message =
          "spec.variants[].managedInstanceScaling.minInstanceCount must be less than or equal to"
              + " maxInstanceCount")
  public record ManagedInstanceScaling(
      @JsonPropertyDescription("Fewest instances; 0 allows scale to zero.") @Required @Min(0)
          Integer minInstanceCount,
      @JsonPropertyDescription("Most instances, at least 1.") @Required @Min(1)
          Integer maxInstanceCount) {}

  /** Variant routing strategies. */
  public enum RoutingStrategy {
    LeastOutstandingRequests,
    Random
  }

  /** Serverless configuration. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.provisionedConcurrency) || self.provisionedConcurrency <= self.maxConcurrency",
      message =
          "spec.variants[].serverless.provisionedConcurrency must be less than or equal to"
              + " maxConcurrency",
      fieldPath = ".provisionedConcurrency")
  public record Serverless(
      @JsonPropertyDescription("Memory in MB: 1024, 2048, 3072, 4096, 5120 or 6144.")
          @Required
          @Min(1024)
          @Max(6144)
          @ValidationRule(
              value = "self % 1024 == 0",
              message =
                  "spec.variants[].serverless.memorySizeMb must be one of 1024, 2048, 3072,"
                      + " 4096, 5120, 6144")
          Integer memorySizeMb,
      @JsonPropertyDescription("Most concurrent invocations, 1 to 200.") @Required @Min(1) @Max(200)
          Integer maxConcurrency,
      @JsonPropertyDescription(
              "Concurrency kept warm (no cold starts), 1 to maxConcurrency; omit for none.")
          @Min(1)
          @Max(200)
          Integer provisionedConcurrency) {}

  /** Asynchronous inference. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Async(
      @JsonPropertyDescription("S3 prefix where results are written.")
          @Required
          @Size(max = 512)
          @Pattern(Validation.S3_URI)
          String outputPath,
      @JsonPropertyDescription("S3 prefix where failures are written.")
          @Size(max = 512)
          @Pattern(Validation.S3_URI)
          String failurePath,
      @JsonPropertyDescription("SNS topics told of each success or error.")
          Notification notification,
      @JsonPropertyDescription("Concurrent requests per instance, 1 to 1000.") @Min(1) @Max(1000)
          Integer maxConcurrentInvocationsPerInstance) {}

  /** SNS notification topics. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Notification(
      @JsonPropertyDescription("SNS topic ARN for successes.") @Pattern(Validation.SNS_TOPIC_ARN)
          String successTopicArn,
      @JsonPropertyDescription("SNS topic ARN for errors.") @Pattern(Validation.SNS_TOPIC_ARN)
          String errorTopicArn) {}

  /** Data capture. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DataCapture(
      @JsonPropertyDescription("Whether capture is on.") @Default("true") Boolean enabled,
      @JsonPropertyDescription("Percentage of requests captured, 0 to 100.")
          @Min(0)
          @Max(100)
          @Default("100")
          Integer samplingPercent,
      @JsonPropertyDescription("S3 prefix the captured data is written to.")
          @Required
          @Size(max = 512)
          @Pattern(Validation.S3_URI)
          String destination,
      @JsonPropertyDescription("What is captured: Input, Output or both.")
          @Size(min = 1, max = 2)
          @ValidationRule(
              value = "self.all(c, self.exists_one(d, d == c))",
              message = "spec.dataCapture.capture must not repeat an entry")
          List<CaptureMode> capture) {}

  /** Which side of an invocation is captured. */
  public enum CaptureMode {
    Input,
    Output
  }

  /** Rollout of configuration changes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.strategy != 'Canary' || has(self.canary)",
      message = "spec.rollout.canary is required with strategy Canary",
      fieldPath = ".canary")
  @ValidationRule(
      value = "self.strategy != 'Linear' || has(self.linear)",
      message = "spec.rollout.linear is required with strategy Linear",
      fieldPath = ".linear")
  @ValidationRule(
      value = "self.strategy == 'Canary' || !has(self.canary)",
      message = "spec.rollout.canary is only allowed with strategy Canary",
      fieldPath = ".canary")
  @ValidationRule(
      value = "self.strategy == 'Linear' || !has(self.linear)",
      message = "spec.rollout.linear is only allowed with strategy Linear",
      fieldPath = ".linear")
  public record Rollout(
      @JsonPropertyDescription(
              "AllAtOnce, or blue/green traffic shifting: Canary (one step, then the rest) or"
                  + " Linear (equal steps).")
          @Default("AllAtOnce")
          RolloutStrategy strategy,
      @JsonPropertyDescription("Canary shift: percent of capacity first, then wait.") Canary canary,
      @JsonPropertyDescription("Linear shift: step size and wait between steps.") Linear linear,
      @JsonPropertyDescription(
              "CloudWatch alarm names; if any goes into ALARM during the rollout, SageMaker"
                  + " rolls back (at most 10).")
          @Size(max = 10)
          @ValidationRule(
              value = "self.all(a, size(a) >= 1 && size(a) <= 255)",
              message = "spec.rollout.autoRollbackAlarms entries must be 1 to 255 characters")
          List<String> autoRollbackAlarms) {}

  /** Rollout strategies. */
  public enum RolloutStrategy {
    AllAtOnce,
    Canary,
    Linear
  }

  /** Canary traffic shifting. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Canary(
      @JsonPropertyDescription("Percent of capacity shifted first, 1 to 99.")
          @Required
          @Min(1)
          @Max(99)
          Integer percent,
      @JsonPropertyDescription("Seconds to watch before shifting the rest, 0 to 3600.")
          @Min(0)
          @Max(3600)
          @Default("300")
          Integer waitSeconds) {}

  /** Linear traffic shifting. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Linear(
      @JsonPropertyDescription("Percent of capacity shifted per step, 1 to 99.")
          @Required
          @Min(1)
          @Max(99)
          Integer stepPercent,
      @JsonPropertyDescription("Seconds between steps, 0 to 3600.")
          @Min(0)
          @Max(3600)
          @Default("120")
          Integer waitSeconds) {}

  /** Local-backend settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Local(
      @JsonPropertyDescription("Node labels model-server pods must match (e.g. a GPU pool).")
          @Size(max = 64)
          Map<String, String> nodeSelector,
      @JsonPropertyDescription("Tolerations for model-server pods (e.g. GPU taints).")
          @Size(max = 64)
          List<Toleration> tolerations,
      @JsonPropertyDescription("How the gateway holds requests while a model wakes.")
          GatewaySettings gateway,
      @JsonPropertyDescription(
              "ServiceAccount (same namespace) the pods of this endpoint's components run as."
                  + " Annotate it for IRSA (eks.amazonaws.com/role-arn) or name it in an EKS Pod"
                  + " Identity association, so that the model fetcher and the model server get S3"
                  + " credentials. Unset: the namespace's default ServiceAccount. Model pods never"
                  + " mount a Kubernetes API token (automountServiceAccountToken: false); IRSA's"
                  + " and Pod Identity's own tokens are injected regardless.")
          @Size(max = 253)
          @Pattern(Validation.K8S_NAME)
          String serviceAccountName) {}

  /** Request holding at the gateway. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GatewaySettings(
      @JsonPropertyDescription(
              "Requests held per component while it has no ready copy; beyond it the gateway"
                  + " answers 429 with Retry-After.")
          @Min(1)
          @Max(1000000)
          @Default("1000")
          Integer maxQueuedRequests,
      @JsonPropertyDescription(
              "Seconds a held request waits for a copy to become ready before a 504, 1 to"
                  + " 3600. Sized for GPU cold starts of minutes.")
          @Min(1)
          @Max(3600)
          @Default("600")
          Integer coldStartTimeoutSeconds) {}
}
