package dev.ebb.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
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
    Map<String, String> committed = CrdGeneration.read(Path.of(directory));
    assertThat(committed.keySet())
        .as(
            "CRD files in %s/ differ from the generated set; regenerate with: %s",
            directory, CrdGeneration.REGENERATE_COMMAND)
        .isEqualTo(GENERATED.keySet());
    GENERATED.forEach(
        (file, yaml) ->
            assertThat(committed.get(file))
                .as(
                    "%s/%s is stale or was edited by hand; regenerate with: %s",
                    directory, file, CrdGeneration.REGENERATE_COMMAND)
                .isEqualTo(yaml));
  }

  @ParameterizedTest
  @ValueSource(strings = {"crds", "helm/ebb/crds"})
  void aHandEditIsCaught(String directory) {
    Map<String, String> committed = CrdGeneration.read(Path.of(directory));
    String file = committed.keySet().iterator().next();
    String edited = committed.get(file).replace("minimum: 0", "minimum: 1");
    assertThat(edited).as("the edit must change something").isNotEqualTo(committed.get(file));
    assertThat(edited).isNotEqualTo(GENERATED.get(file));
  }
}
