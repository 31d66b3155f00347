package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * A CloudWatch metric with its statistic. On backend local, Ebb's gateway publishes the SageMaker
 * metric names (e.g. ConcurrentRequestsPerCopy) and the same reference resolves there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricRef(
    @JsonPropertyDescription("CloudWatch namespace, e.g. AWS/SageMaker.")
        @Default(EffectivePolicy.Defaults.METRIC_NAMESPACE)
        @Size(min = 1, max = 255)
        @Pattern(Validation.METRIC_NAMESPACE)
        String namespace,
    @JsonPropertyDescription("Metric name, e.g. ApproximateBacklogSizePerInstance.")
        @Required
        @Size(min = 1, max = 255)
        String name,
    @JsonPropertyDescription("Metric dimensions, e.g. {EndpointName: whisper} (at most 30).")
        @Size(max = 30)
        @ValidationRule(
            value = "self.all(k, size(k) >= 1 && size(k) <= 255 && size(self[k]) <= 1024)",
            message =
                "dimensions keys must be 1 to 255 characters and values at most 1024 characters")
        Map<String, String> dimensions,
    @JsonPropertyDescription("Statistic: Average, Minimum, Maximum, SampleCount or Sum.")
        @Default(EffectivePolicy.Defaults.STATISTIC)
        Statistic statistic) {

  /** CloudWatch statistics. */
  public enum Statistic {
    Average,
    Minimum,
    Maximum,
    SampleCount,
    Sum
  }
}
