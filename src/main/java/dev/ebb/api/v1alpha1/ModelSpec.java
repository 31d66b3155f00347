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
 * A model server: the container image and its model data. The same shape serves an
 * InferenceComponent and an endpoint variant that carries its own model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.mode) || self.mode != 'MultiModel' || (has(self.modelDataUrl) &&"
            + " self.modelDataUrl.endsWith('/'))",
    message = "modelDataUrl must be an S3 prefix ending in '/' with mode MultiModel",
    fieldPath = ".modelDataUrl")
public record ModelSpec(
    @JsonPropertyDescription(
            "Container image of the model server. Any image honouring SageMaker's container"
                + " contract works on both backends: GET /ping and POST /invocations on port 8080,"
                + " model data read from /opt/ml/model. On SageMaker it must be in ECR.")
        @Required
        @Size(min = 1, max = 255)
        @Pattern(Validation.IMAGE)
        String image,
    @JsonPropertyDescription(
            "Where the model data lives: an S3 prefix ending in '/' (uncompressed, preferred: it"
                + " downloads in parallel and needs no untar) or an S3 object ending in .tar.gz."
                + " Unpacked into /opt/ml/model before the server starts. Omit for images that"
                + " carry their model.")
        @Size(max = 1024)
        @Pattern(Validation.S3_URI)
        @ValidationRule(
            value = "self.endsWith('/') || self.endsWith('.tar.gz')",
            message =
                "modelDataUrl must be an S3 prefix ending in '/' or an S3 object ending in"
                    + " '.tar.gz'")
        String modelDataUrl,
    @JsonPropertyDescription(
            "Environment variables for the model server container (at most 100; names are"
                + " shell-style identifiers, values at most 1024 characters).")
        @Size(max = 100)
        @ValidationRule(
            value = "self.all(k, size(k) <= 1024 && k.matches('^[a-zA-Z_][a-zA-Z0-9_]*$'))",
            message =
                "environment variable names must match [a-zA-Z_][a-zA-Z0-9_]* (at most 1024"
                    + " characters)")
        @ValidationRule(
            value = "self.all(k, size(self[k]) <= 1024)",
            message = "environment variable values must be at most 1024 characters")
        Map<String, String> environment,
    @JsonPropertyDescription(
            "SingleModel serves one model; MultiModel serves every model under the"
                + " modelDataUrl prefix, chosen per request by the TargetModel header.")
        @Default("SingleModel")
        Mode mode) {

  /** How many models one server hosts. */
  public enum Mode {
    SingleModel,
    MultiModel
  }
}
