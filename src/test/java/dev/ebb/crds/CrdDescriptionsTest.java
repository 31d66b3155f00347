package dev.ebb.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kubectl explain} documents every field of every kind. */
class CrdDescriptionsTest {
  @Test
  void everyFieldHasADescription() {
    List<String> undocumented = new ArrayList<>();
    CrdGeneration.generate()
        .values()
        .forEach(
            yaml -> {
              var crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
              String kind = crd.getSpec().getNames().getKind();
              JSONSchemaProps root =
                  crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
              collect(kind, root, undocumented);
            });
    assertThat(undocumented).as("fields without a description").isEmpty();
  }

  private static void collect(String path, JSONSchemaProps schema, List<String> undocumented) {
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, property) -> {
                String child = path + "." + name;
                boolean inherited = List.of("apiVersion", "kind", "metadata").contains(name);
                if (!inherited
                    && (property.getDescription() == null || property.getDescription().isBlank())) {
                  undocumented.add(child);
                }
                collect(child, property, undocumented);
              });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collect(path + "[]", schema.getItems().getSchema(), undocumented);
    }
  }
}
