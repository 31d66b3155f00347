package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to another Ebb object in the same namespace, by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocalObjectReference(
    @JsonPropertyDescription("Name of the referenced object, in the same namespace.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(Validation.K8S_NAME)
        String name) {}
