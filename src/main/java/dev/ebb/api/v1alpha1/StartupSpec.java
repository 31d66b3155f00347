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
        @Default(StartupSpec.DEFAULT_SECONDS_TEXT)
        Integer modelDownloadTimeoutSeconds,
    @JsonPropertyDescription(
            "Seconds allowed for the server to answer GET /ping with 200 after it starts"
                + " (SageMaker's ContainerStartupHealthCheckTimeoutInSeconds), 60 to 3600.")
        @Min(60)
        @Max(3600)
        @Default(StartupSpec.DEFAULT_SECONDS_TEXT)
        Integer healthCheckTimeoutSeconds) {

  /**
   * Each timeout when unset. The CRD defaults it where the API server can (not in a list item, see
   * {@code CrdGeneration}); code reads the fields through the accessors below.
   */
  public static final int DEFAULT_SECONDS = 3600;

  public static final String DEFAULT_SECONDS_TEXT = "" + DEFAULT_SECONDS;

  /** {@link #modelDownloadTimeoutSeconds}, defaulted. */
  public int modelDownloadTimeout() {
    return modelDownloadTimeoutSeconds == null ? DEFAULT_SECONDS : modelDownloadTimeoutSeconds;
  }

  /** {@link #healthCheckTimeoutSeconds}, defaulted. */
  public int healthCheckTimeout() {
    return healthCheckTimeoutSeconds == null ? DEFAULT_SECONDS : healthCheckTimeoutSeconds;
  }
}
