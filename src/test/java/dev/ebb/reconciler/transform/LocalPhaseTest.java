package dev.ebb.reconciler.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A local transform's phase, from its Job's status. */
class LocalPhaseTest {
  private static JobStatus status(int active, int ready, String condition) {
    var status = new JobStatusBuilder().withActive(active).withReady(ready);
    if (condition != null) {
      status.addNewCondition().withType(condition).withStatus("True").endCondition();
    }
    return status.build();
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("no status yet", null, "Pending"),
        Arguments.of("pods scheduled, models starting", status(2, 0, null), "Pending"),
        Arguments.of("a worker transforms", status(2, 1, null), "InProgress"),
        Arguments.of("every worker succeeded", status(0, 0, "Complete"), "Completed"),
        Arguments.of("a worker failed", status(1, 1, "Failed"), "Failed"),
        Arguments.of(
            "Complete wins over a stale active count", status(1, 0, "Complete"), "Completed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void phase(String name, JobStatus status, String expected) {
    assertThat(BatchTransformReconciler.localPhase(status)).isEqualTo(expected);
  }
}
