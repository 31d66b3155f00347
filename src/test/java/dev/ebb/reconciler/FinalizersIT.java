package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The race that made the operator SDK's own finalizer removal fail ten times in a row: the copy a
 * cleanup runs on is older than the object (a status write landed after the deletion). Removal
 * starts from a fresh read, so the stale copy costs nothing, and another controller's finalizer,
 * even one removed meanwhile from in front of ours, is left alone.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class FinalizersIT {
  private static final String OURS = "ebb.dev/test";
  private static final String THEIRS = "example.com/other";

  @RegisterExtension
  static final TestNamespaceExtension ns =
      new TestNamespaceExtension("finalizers", Duration.ofSeconds(30));

  @Test
  void aStaleCopyStillLetsGoOfOnlyOurFinalizer() {
    var objects = ns.client().configMaps().inNamespace(ns.name());
    objects
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("held")
                .withFinalizers(THEIRS, OURS)
                .endMetadata()
                .withData(Map.of("pass", "1"))
                .build())
        .create();
    ConfigMap stale = objects.withName("held").get();
    objects.withName("held").delete();
    // Written after the copy was read: the copy's resourceVersion and data are both out of date,
    // and the other finalizer is gone, so ours moved from index 1 to 0.
    objects.withName("held").edit(c -> new ConfigMapBuilder(c).addToData("pass", "2").build());
    objects
        .withName("held")
        .edit(
            c ->
                new ConfigMapBuilder(c)
                    .editMetadata()
                    .removeFromFinalizers(THEIRS)
                    .endMetadata()
                    .build());

    Finalizers.remove(ns.client(), stale, OURS);

    assertThat(objects.withName("held").get()).as("no finalizer left: deleted").isNull();
  }

  @Test
  void anotherControllersFinalizerStays() {
    var objects = ns.client().configMaps().inNamespace(ns.name());
    objects
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("shared")
                .withFinalizers(OURS, THEIRS)
                .endMetadata()
                .build())
        .create();
    ConfigMap copy = objects.withName("shared").get();
    objects.withName("shared").delete();

    Finalizers.remove(ns.client(), copy, OURS);
    Finalizers.remove(ns.client(), copy, OURS);

    assertThat(objects.withName("shared").get().getMetadata().getFinalizers())
        .containsExactly(THEIRS);
    objects
        .withName("shared")
        .edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers().endMetadata().build());
  }
}
