package dev.ebb.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Typed objects from YAML, for fast tests that need no API server. */
public final class Manifests {
  private Manifests() {}

  /** Parses {@code yaml} as {@code type} and gives it a namespace and generation. */
  public static <T extends HasMetadata> T parse(Class<T> type, String yaml, long generation) {
    T resource = Serialization.unmarshal(yaml, type);
    resource.getMetadata().setNamespace("ml");
    resource.getMetadata().setGeneration(generation);
    return resource;
  }
}
