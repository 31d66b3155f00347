package dev.ebb.whatif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ebb objects read from YAML manifests exactly as they are applied (several documents per file,
 * other kinds skipped). Fields the API does not know are refused, as the API server refuses them.
 */
public final class Manifests {
  static final String API_VERSION = "ebb.dev/v1alpha1";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final List<ScalingPolicy> policies = new ArrayList<>();
  private final List<InferenceComponent> components = new ArrayList<>();
  private final List<InferenceEndpoint> endpoints = new ArrayList<>();

  /** Adds every Ebb object of {@code yaml}; {@code source} names it in errors. */
  public Manifests read(String source, Reader yaml) throws IOException {
    var parser = new YAMLFactory().createParser(yaml);
    List<JsonNode> documents = new YAMLMapper().readValues(parser, JsonNode.class).readAll();
    int index = 0;
    for (JsonNode document : documents) {
      index++;
      if (document == null || document.isNull() || document.isMissingNode()) {
        continue;
      }
      String where = source + " (document " + index + ")";
      if (!API_VERSION.equals(document.path("apiVersion").asText())) {
        continue;
      }
      String kind = document.path("kind").asText();
      try {
        switch (kind) {
          case "ScalingPolicy" -> policies.add(MAPPER.treeToValue(document, ScalingPolicy.class));
          case "InferenceComponent" ->
              components.add(MAPPER.treeToValue(document, InferenceComponent.class));
          case "InferenceEndpoint" ->
              endpoints.add(MAPPER.treeToValue(document, InferenceEndpoint.class));
          default ->
              throw new IllegalArgumentException(where + ": kind " + kind + " is not one of Ebb's");
        }
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
      }
    }
    return this;
  }

  public List<ScalingPolicy> policies() {
    return List.copyOf(policies);
  }

  /** The component {@code policy} targets, among those read. */
  public InferenceComponent targetOf(ScalingPolicy policy) {
    var ref = policy.getSpec().targetRef();
    if (ref == null || ref.kind() != ScalingPolicySpec.TargetKind.InferenceComponent) {
      throw new IllegalArgumentException(
          "ScalingPolicy "
              + policy.getMetadata().getName()
              + " targets "
              + (ref == null ? "nothing" : ref.kind())
              + ": what-if replays policies on an InferenceComponent");
    }
    String name = ref.name();
    return components.stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "ScalingPolicy "
                        + policy.getMetadata().getName()
                        + " targets InferenceComponent "
                        + name
                        + ", which is in none of the manifests given (--component)"));
  }

  /** The endpoint {@code component} runs on, if it was read. */
  public Optional<InferenceEndpoint> endpointOf(InferenceComponent component) {
    var ref = component.getSpec().endpointRef();
    String name = ref == null ? null : ref.name();
    return endpoints.stream().filter(e -> e.getMetadata().getName().equals(name)).findFirst();
  }
}
