package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How long a model server may take to come up. SageMaker accepts 60 to 3600 seconds for each;
 * locally the same numbers bound the model download and the startup probe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartupSpec(
    @JsonPropertyDescription(
            "Seconds allowed to download the model data into /opt/ml/model (SageMaker's"
                + " ModelDataDownloadTimeoutInSeconds), 60 to 3600.")
        @Min(60)
        @Max(3600)
        @Default("3600")
        Integer modelDownloadTimeoutSeconds,
    @JsonPropertyDescription(
            "Seconds allowed for the server to answer GET /ping with 200 after it starts"
                + " (SageMaker's ContainerStartupHealthCheckTimeoutInSeconds), 60 to 3600.")
        @Min(60)
        @Max(3600)
        @Default("3600")
        Integer healthCheckTimeoutSeconds) {}
