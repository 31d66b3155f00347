package dev.ebb.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No CRD defaults a field inside a list item: client-side apply sends a custom resource's list
 * whole, so a default the API server adds there makes every re-apply "configured" and GitOps tools
 * show drift that never settles. Such defaults are applied in code and stated in the description.
 */
class CrdListDefaultsTest {
  @Test
  void noFieldInsideAListItemHasADefault() {
    for (Map.Entry<String, String> crd : CrdGeneration.generate().entrySet()) {
      JsonNode schema =
          Serialization.yamlMapper()
              .valueToTree(Serialization.unmarshal(crd.getValue(), Map.class))
              .path("spec")
              .path("versions")
              .path(0)
              .path("schema")
              .path("openAPIV3Schema");
      List<String> defaulted = new ArrayList<>();
      collect(schema, "", false, defaulted);
      assertThat(defaulted).as(crd.getKey()).isEmpty();
    }
  }

  private static void collect(JsonNode schema, String path, boolean inItem, List<String> out) {
    if (inItem && schema.has("default")) {
      out.add(path);
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(p -> collect(p.getValue(), path + "." + p.getKey(), inItem, out));
    if (schema.has("items")) {
      collect(schema.get("items"), path + "[]", true, out);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), path + "{}", inItem, out);
    }
  }
}
