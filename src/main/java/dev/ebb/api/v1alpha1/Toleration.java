package dev.ebb.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A pod toleration, copied onto local model-server pods (same fields as core/v1 Toleration). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.operator) || self.operator != 'Exists' || !has(self.value)",
    message = "a toleration with operator Exists must not set value")
public record Toleration(
    @JsonPropertyDescription("Taint key the toleration applies to; empty matches all keys.")
        @Size(max = 316)
        String key,
    @JsonPropertyDescription("Exists or Equal (default Equal).") @Pattern("^(Exists|Equal)$")
        String operator,
    @JsonPropertyDescription("Taint value to match when the operator is Equal.") @Size(max = 63)
        String value,
    @JsonPropertyDescription(
            "Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches"
                + " all.")
        @Pattern("^(NoSchedule|PreferNoSchedule|NoExecute)?$")
        String effect,
    @JsonPropertyDescription(
            "For NoExecute: seconds the pod stays bound after the taint appears; unset means"
                + " forever.")
        Long tolerationSeconds) {}
