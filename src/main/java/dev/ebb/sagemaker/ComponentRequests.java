package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.InferenceComponentSpec.Resources;
import dev.ebb.api.v1alpha1.StartupSpec;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentComputeResourceRequirements;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSpecification;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSpecificationSummary;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentStartupParameters;

/**
 * SageMaker inference component specifications from an InferenceComponent spec, and a key that
 * compares the specification Ebb wants with the one SageMaker reports (so "is the live component
 * current?" needs no tags and no memory of past calls).
 */
public final class ComponentRequests {
  private ComponentRequests() {}

  public static InferenceComponentSpecification specification(
      String modelName, Resources resources, StartupSpec startup) {
    var spec =
        InferenceComponentSpecification.builder()
            .modelName(modelName)
            .computeResourceRequirements(compute(resources));
    if (startup != null) {
      spec.startupParameters(
          InferenceComponentStartupParameters.builder()
              .modelDataDownloadTimeoutInSeconds(startup.modelDownloadTimeout())
              .containerStartupHealthCheckTimeoutInSeconds(startup.healthCheckTimeout())
              .build());
    }
    return spec.build();
  }

  static InferenceComponentComputeResourceRequirements compute(Resources resources) {
    var compute =
        InferenceComponentComputeResourceRequirements.builder()
            .minMemoryRequiredInMb(resources.memoryMb());
    if (resources.acceleratorCount() != null && resources.acceleratorCount() > 0) {
      compute.numberOfAcceleratorDevicesRequired(resources.acceleratorCount().floatValue());
    }
    if (resources.cpuCores() != null) {
      compute.numberOfCpuCoresRequired(resources.cpuCores().floatValue());
    }
    return compute.build();
  }

  /** The key of the specification Ebb would send. */
  public static String key(String modelName, Resources resources, StartupSpec startup) {
    var spec = specification(modelName, resources, startup);
    return key(spec.modelName(), spec.computeResourceRequirements(), spec.startupParameters());
  }

  /** The key of the specification SageMaker reports. */
  static String key(InferenceComponentSpecificationSummary spec) {
    return key(spec.modelName(), spec.computeResourceRequirements(), spec.startupParameters());
  }

  private static String key(
      String model,
      InferenceComponentComputeResourceRequirements compute,
      InferenceComponentStartupParameters startup) {
    return String.join(
        "|",
        String.valueOf(model),
        String.valueOf(compute == null ? null : compute.minMemoryRequiredInMb()),
        String.valueOf(compute == null ? null : compute.numberOfAcceleratorDevicesRequired()),
        String.valueOf(compute == null ? null : compute.numberOfCpuCoresRequired()),
        String.valueOf(startup == null ? null : startup.modelDataDownloadTimeoutInSeconds()),
        String.valueOf(
            startup == null ? null : startup.containerStartupHealthCheckTimeoutInSeconds()));
  }
}
