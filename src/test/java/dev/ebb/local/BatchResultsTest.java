package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workers' results, as kubelet keeps their batchers' termination messages. */
class BatchResultsTest {
  private static Pod worker(String name, Integer exitCode, String message) {
    var status = new ContainerStatusBuilder().withName(BatchWorkload.BATCHER_CONTAINER);
    if (exitCode == null) {
      status.withNewState().withNewRunning().endRunning().endState();
    } else {
      status
          .withNewState()
          .withNewTerminated()
          .withExitCode(exitCode)
          .withMessage(message)
          .endTerminated()
          .endState();
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withContainerStatuses(status.build())
        .endStatus()
        .build();
  }

  private static String result(String state, int done, int total, int records, String reason) {
    return "{\"state\":\"%s\",\"objectsTotal\":%d,\"objectsDone\":%d,\"objectsFailed\":%d,"
            .formatted(state, total, done, total - done)
        + "\"recordsTotal\":%d,\"recordsDone\":%d,\"recordsFailed\":%d%s}"
            .formatted(
                records,
                records - (reason == null ? 0 : 1),
                reason == null ? 0 : 1,
                reason == null ? "" : ",\"reason\":\"" + reason + "\"");
  }

  @Test
  void workersThatEndedAreSummedThoseStillRunningAreNot() {
    BatchResults results =
        BatchResults.of(
            List.of(
                worker("w-0", 0, result("Completed", 2, 2, 5, null)),
                worker("w-1", null, null),
                worker("w-2", 0, result("Completed", 1, 1, 2, null))));
    assertThat(results.workers()).isEqualTo(2);
    assertThat(results.objectsDone()).isEqualTo(3);
    assertThat(results.objectsTotal()).isEqualTo(3);
    assertThat(results.recordsDone()).isEqualTo(7);
    assertThat(results.failureReason()).isEmpty();
  }

  @Test
  void aFailedWorkersReasonIsTheTransformsReason() {
    BatchResults results =
        BatchResults.of(
            List.of(
                worker("w-0", 0, result("Completed", 1, 1, 1, null)),
                worker("w-1", 1, result("Failed", 0, 1, 1, "a record exceeds MaxPayloadInMB"))));
    assertThat(results.failureReason()).hasValue("a record exceeds MaxPayloadInMB");
    assertThat(results.recordsFailed()).isEqualTo(1);
  }

  @Test
  void aBatcherThatCrashedBeforeReportingIsToldByItsExitAndLogTail() {
    List<Pod> pods = List.of(worker("w-0", 137, "Killed\nOutOfMemoryError: Java heap space"));
    assertThat(BatchResults.of(pods).workers()).isZero();
    assertThat(BatchResults.crash(pods))
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .startsWith("the batcher of pod w-0 exited with 137")
                    .endsWith("OutOfMemoryError: Java heap space"));
  }

  @Test
  void runningWorkersCountWithWhatTheyServeAndEndedOnesWithTheirTerminationMessage() {
    BatchResults results =
        BatchResults.of(
            List.of(
                worker("w-0", 0, result("Completed", 2, 2, 5, null)),
                worker("w-1", null, null),
                worker("w-2", null, null)),
            java.util.Map.of("w-1", result("InProgress", 1, 3, 4, null)));
    assertThat(results.workers()).as("w-2 did not answer: counted when it ends").isEqualTo(2);
    assertThat(results.objectsDone()).isEqualTo(3);
    assertThat(results.objectsTotal()).isEqualTo(5);
    assertThat(results.failureReason()).isEmpty();
  }
}
