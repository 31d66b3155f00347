package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FinalizersTest {
  @Test
  void theRemovalIsGuardedByATestOfWhereTheFinalizerWasRead() {
    assertThat(Finalizers.patch(List.of("a/b", "ebb.dev/finalizer"), "ebb.dev/finalizer"))
        .isEqualTo(
            "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/1\",\"value\":\"ebb.dev/finalizer\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/1\"}]");
  }

  @Test
  void nothingToRemoveIsNoPatch() {
    assertThat(Finalizers.patch(null, "ebb.dev/finalizer")).isNull();
    assertThat(Finalizers.patch(List.of("a/b"), "ebb.dev/finalizer")).isNull();
  }

  @Test
  void anObjectLetGoOfIsKnownByItsUidUntilTenThousandOthersFollow() {
    var released = object("0f1e2d3c-0000-4000-8000-000000000001");
    var other = object("0f1e2d3c-0000-4000-8000-000000000002");
    assertThat(Finalizers.released(released)).isFalse();

    Finalizers.remember(released.getMetadata().getUid());

    assertThat(Finalizers.released(released)).isTrue();
    assertThat(Finalizers.released(other)).isFalse();
    assertThat(Finalizers.released(object(null))).isFalse();
    for (int i = 0; i < Finalizers.REMEMBERED; i++) {
      Finalizers.remember("later-" + i);
    }
    assertThat(Finalizers.released(released)).as("forgotten, oldest first").isFalse();
  }

  private static io.fabric8.kubernetes.api.model.ConfigMap object(String uid) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata()
        .withName("x")
        .withUid(uid)
        .endMetadata()
        .build();
  }
}
