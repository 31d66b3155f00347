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
}
