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
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/**
 * One model placed on an endpoint as N copies: a SageMaker inference component, or locally a
 * Deployment of model-server pods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.endpointRef.name == oldSelf.endpointRef.name",
    message =
        "spec.endpointRef is immutable: SageMaker cannot move a component between endpoints;"
            + " create a new InferenceComponent instead",
    fieldPath = ".endpointRef")
@ValidationRule(
    value =
        "(has(self.sagemaker) && has(self.sagemaker.inferenceComponentName) ?"
            + " self.sagemaker.inferenceComponentName : '') == (has(oldSelf.sagemaker) &&"
            + " has(oldSelf.sagemaker.inferenceComponentName) ?"
            + " oldSelf.sagemaker.inferenceComponentName : '')",
    message =
        "spec.sagemaker.inferenceComponentName is immutable: Ebb would lose track of the"
            + " component it manages; create a new InferenceComponent instead",
    fieldPath = ".sagemaker.inferenceComponentName")
@JsonClassDescription(
    "Desired state of the component: its endpoint, model, per-copy resources and initial copies.")
public record InferenceComponentSpec(
    @JsonPropertyDescription("The InferenceEndpoint (same namespace) this component runs on.")
        @Required
        LocalObjectReference endpointRef,
    @JsonPropertyDescription("The endpoint variant this component is placed on.")
        @Default("AllTraffic")
        @Pattern(Validation.SAGEMAKER_NAME)
        String variant,
    @JsonPropertyDescription("The model server: image, model data, environment.") @Required
        ModelSpec model,
    @JsonPropertyDescription(
            "Compute reserved for each copy (SageMaker ComputeResourceRequirements; locally the"
                + " pod's requests and limits).")
        @Required
        Resources resources,
    @JsonPropertyDescription("Startup timeouts for each copy.") StartupSpec startup,
    @JsonPropertyDescription(
            "SageMaker-only settings: the inference component's name, and adoption of an"
                + " existing one.")
        SageMaker sagemaker,
    @JsonPropertyDescription(
            "Backend local only: where the model server exposes Prometheus metrics that a"
                + " ScalingPolicy's Custom metrics are read from.")
        Local local,
    @JsonPropertyDescription(
            "Copies to run when no ScalingPolicy targets this component. When one does, the"
                + " policy owns the live count and this is only the initial value; the live"
                + " count is in status.copies and never written back here. Also the scale"
                + " subresource: kubectl scale ic/NAME --replicas=N.")
        @Min(0)
        @Default("1")
        @SpecReplicas
        Integer copies) {

  /** Settings of a component that only backend local reads. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Local(
      @JsonPropertyDescription(
              "The model server's Prometheus endpoint on each copy. Ebb scrapes it only for the"
                  + " Custom metrics a ScalingPolicy on this component names, and annotates the"
                  + " pods with prometheus.io/scrape, /port and /path for other scrapers.")
          Metrics metrics) {}

  /** A copy's Prometheus endpoint. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Metrics(
      @JsonPropertyDescription("Container port serving the metrics (may be 8080, the model's).")
          @Required
          @Min(1)
          @Max(65535)
          Integer port,
      @JsonPropertyDescription("HTTP path of the metrics, in Prometheus' text format.")
          @Default("/metrics")
          @Size(min = 1, max = 256)
          @Pattern("^/[^?#\\s]*$")
          String path) {

    /** The path, defaulted as the CRD defaults it. */
    public String pathOrDefault() {
      return path == null ? "/metrics" : path;
    }
  }

  /** SageMaker-only settings of a component. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!self.adopt || has(self.inferenceComponentName)",
      message =
          "spec.sagemaker.inferenceComponentName is required when spec.sagemaker.adopt is true",
      fieldPath = ".inferenceComponentName")
  public record SageMaker(
      @JsonPropertyDescription(
              "Name of the SageMaker inference component. Defaults to a name derived from"
                  + " namespace and name. Set it, with adopt: true, to take over a component that"
                  + " already runs on the endpoint (for example after adopting the endpoint).")
          @Size(max = 63)
          @Pattern(Validation.SAGEMAKER_NAME)
          String inferenceComponentName,
      @JsonPropertyDescription(
              "Take over the existing inference component named inferenceComponentName instead"
                  + " of creating one: Ebb tags it as this object's and then converges it to"
                  + " this spec in place (UpdateInferenceComponent), never recreating it.")
          @Default("false")
          Boolean adopt,
      @JsonPropertyDescription(
              "How SageMaker rolls a new image, model data or resources out to running copies:"
                  + " in batches, each watched for waitSeconds, rolled back if an alarm fires"
                  + " (UpdateInferenceComponent's RollingUpdatePolicy). Without it, SageMaker's"
                  + " default update.")
          RollingUpdate rollingUpdate) {

    public SageMaker(String inferenceComponentName, Boolean adopt) {
      this(inferenceComponentName, adopt, null);
    }
  }

  /** SageMaker's rolling update of an inference component's copies. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.maxBatch.percent) || (self.maxBatch.percent >= 5 && self.maxBatch.percent <= 50)",
      message =
          "spec.sagemaker.rollingUpdate.maxBatch.percent must be 5 to 50: SageMaker's batch is 5%"
              + " to 50% of the copy count",
      fieldPath = ".maxBatch.percent")
  public record RollingUpdate(
      @JsonPropertyDescription("Copies replaced per step (SageMaker MaximumBatchSize).") @Required
          BatchSize maxBatch,
      @JsonPropertyDescription(
              "Seconds each batch is watched (the baking period, in which the alarms are"
                  + " monitored), 0 to 3600.")
          @Min(0)
          @Max(3600)
          @Default("120")
          Integer waitSeconds,
      @JsonPropertyDescription(
              "Time limit for the whole update, 600 to 28800 seconds (SageMaker's default if"
                  + " unset).")
          @Min(600)
          @Max(28800)
          Integer timeoutSeconds,
      @JsonPropertyDescription("Copies restored per step when rolling back (default: all at once).")
          BatchSize rollbackMaxBatch,
      @JsonPropertyDescription(
              "CloudWatch alarm names; if any goes into ALARM during the update, SageMaker rolls"
                  + " it back (at most 10).")
          @Size(max = 10)
          @ValidationRule(
              value = "self.all(a, size(a) >= 1 && size(a) <= 255)",
              message =
                  "spec.sagemaker.rollingUpdate.autoRollbackAlarms entries must be 1 to 255"
                      + " characters")
          List<String> autoRollbackAlarms) {}

  /** A batch of copies: a number of copies, or a percent of the copy count. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.copies) != has(self.percent)",
      message = "set exactly one of copies and percent")
  public record BatchSize(
      @JsonPropertyDescription("A number of copies, at least 1.") @Min(1) Integer copies,
      @JsonPropertyDescription("A percent of the copy count, 1 to 100.") @Min(1) @Max(100)
          Integer percent) {}

  /** Compute requirements of one copy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.sharedMemoryMb) || self.sharedMemoryMb <= self.memoryMb",
      message =
          "spec.resources.sharedMemoryMb must not exceed spec.resources.memoryMb: /dev/shm is"
              + " memory, counted against the copy's memory limit",
      fieldPath = ".sharedMemoryMb")
  public record Resources(
      @JsonPropertyDescription(
              "Accelerators (GPUs) per copy (SageMaker NumberOfAcceleratorDevicesRequired;"
                  + " locally nvidia.com/gpu). 0 for CPU-only models.")
          @Min(0)
          @Max(64)
          @Default("0")
          Integer acceleratorCount,
      @JsonPropertyDescription(
              "Memory per copy in MiB (SageMaker MinMemoryRequiredInMb), at least 128.")
          @Required
          @Min(128)
          Integer memoryMb,
      @JsonPropertyDescription(
              "CPU cores per copy (SageMaker NumberOfCpuCoresRequired), at least 0.25.")
          @Min(0.25)
          Double cpuCores,
      @JsonPropertyDescription(
              "Backend local: size of /dev/shm in MiB for each copy, at least 64 and at most"
                  + " memoryMb; defaults to half of memoryMb. Model servers share tensors between"
                  + " processes there (PyTorch data loaders, vLLM and TGI shards); a container's"
                  + " own /dev/shm is only 64 MiB. It is a memory-backed emptyDir (tmpfs): what"
                  + " the server writes there counts against its memory limit (memoryMb).")
          @Min(64)
          Integer sharedMemoryMb) {}
}
