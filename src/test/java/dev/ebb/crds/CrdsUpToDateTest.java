package dev.ebb.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed CRDs (what users install with kubectl or Helm) must be exactly what the build
 * generates from the Java types.
 */
class CrdsUpToDateTest {
  private static final Map<String, String> GENERATED = CrdGeneration.generate();

  @ParameterizedTest
  @ValueSource(strings = {"crds", "helm/ebb/crds"})
  void committedCopiesMatchTheJavaTypes(String directory) {
    assertThat(CrdGeneration.staleFiles(CrdGeneration.read(Path.of(directory)), GENERATED))
        .as(
            "CRDs in %s/ are stale or were edited by hand; regenerate them with: %s",
            directory, CrdGeneration.REGENERATE_COMMAND)
        .isEmpty();
  }

  @Test
  void aHandEditedMissingOrExtraFileIsCaught() {
    Map<String, String> committed = new HashMap<>(CrdGeneration.read(Path.of("crds")));
    String edited = "inferencecomponents.ebb.dev-v1.yaml";
    committed.put(edited, committed.get(edited).replace("minimum: 0", "minimum: 1"));
    committed.remove("scalingpolicies.ebb.dev-v1.yaml");
    committed.put("old.ebb.dev-v1.yaml", "kind: CustomResourceDefinition\n");

    assertThat(CrdGeneration.staleFiles(committed, GENERATED))
        .containsExactly(edited, "old.ebb.dev-v1.yaml", "scalingpolicies.ebb.dev-v1.yaml");
  }
}
