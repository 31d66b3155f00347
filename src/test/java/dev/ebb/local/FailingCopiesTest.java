package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.scaling.Copies;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailingCopiesTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration BOUND = Duration.ofMinutes(5);
  private static final String NO_SUCH_KEY =
      "fetch-model: s3://models/llama/model.tar.gz: NoSuchKey: The specified key does not exist."
          + " (HTTP 404)";

  /**
   * One container of a pod that is not Ready (the other container, if any, waits healthily), to
   * whether the copy is failing and the state word reported. state: {@code waiting:REASON}, {@code
   * running}, {@code terminated:EXIT}; lastExit: the exit code in lastState.terminated, - for none.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // row | container | state | restarts | lastExit | failing state word
        "kubelet backs off the server            | model-server | waiting:CrashLoopBackOff           | 6 | 1   | CrashLoopBackOff",
        "kubelet backs off the fetch             | fetch-model  | waiting:CrashLoopBackOff           | 6 | 1   | CrashLoopBackOff",
        "an image it cannot pull, backing off    | model-server | waiting:ImagePullBackOff           | 0 | -   | ImagePullBackOff",
        "an image it cannot pull                 | model-server | waiting:ErrImagePull               | 0 | -   | ErrImagePull",
        "an image never pulled, not present      | model-server | waiting:ErrImageNeverPull          | 0 | -   | ErrImageNeverPull",
        "a missing Secret or ConfigMap           | model-server | waiting:CreateContainerConfigError | 0 | -   | CreateContainerConfigError",
        "the runtime cannot create it            | model-server | waiting:CreateContainerError       | 0 | -   | CreateContainerError",
        "an image name that is not one           | fetch-model  | waiting:InvalidImageName           | 0 | -   | InvalidImageName",
        "the runtime cannot run it               | model-server | waiting:RunContainerError          | 0 | -   | RunContainerError",
        "failed again after a restart            | model-server | terminated:1                       | 1 | 1   | exited",
        "killed again after restarts             | model-server | terminated:137                     | 2 | 137 | exited",
        "running again after two failures        | fetch-model  | running                            | 2 | 1   | running again",
        // Not failing:
        "being created                           | model-server | waiting:ContainerCreating          | 0 | -   | -",
        "waiting for the init container          | model-server | waiting:PodInitializing            | 0 | -   | -",
        "running, healthy                        | model-server | running                            | 0 | -   | -",
        "failed once, not restarted yet          | model-server | terminated:1                       | 0 | -   | -",
        "failed once, running again: retried     | fetch-model  | running                            | 1 | 1   | -",
        "restarted after clean exits             | model-server | running                            | 3 | 0   | -",
        "fetched, after two failures             | fetch-model  | terminated:0                       | 2 | 1   | -",
        "the init container completed            | fetch-model  | terminated:0                       | 0 | -   | -",
        "exited cleanly after a restart          | model-server | terminated:0                       | 1 | 0   | -",
      })
  void whenACopyIsFailing(
      String row, String container, String state, int restarts, Integer lastExit, String word) {
    Pod pod = pod("copy-0", 60, false, status(container, state, restarts, lastExit, null));

    var failing = FailingCopies.of(List.of(pod));

    if (word == null) {
      assertThat(failing).isEmpty();
    } else {
      assertThat(failing)
          .singleElement()
          .returns("copy-0", FailingCopies.Failing::pod)
          .returns(container, FailingCopies.Failing::container)
          .returns(container.equals("fetch-model"), FailingCopies.Failing::init)
          .returns(word, FailingCopies.Failing::state)
          .returns(restarts, FailingCopies.Failing::restarts)
          .returns(NOW.minusSeconds(60), FailingCopies.Failing::since);
    }
  }

  @Test
  void aReadyCopyOrOneBeingDeletedIsNotFailing() {
    ContainerStatus crashing = status("model-server", "waiting:CrashLoopBackOff", 3, 1, null);
    assertThat(FailingCopies.of(List.of(pod("ready", 60, true, crashing)))).isEmpty();

    Pod deleting = pod("deleting", 60, false, crashing);
    deleting.getMetadata().setDeletionTimestamp(NOW.toString());
    assertThat(FailingCopies.of(List.of(deleting))).isEmpty();
  }

  @Test
  void aFetchThatKeepsFailingIsToldWithTheFetchersLine() {
    Pod pod =
        pod(
            "llama-0",
            60,
            false,
            status("fetch-model", "waiting:CrashLoopBackOff", 6, 1, NO_SUCH_KEY + "\n"),
            new ContainerStatusBuilder()
                .withName("model-server")
                .withRestartCount(0)
                .withState(
                    new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason("PodInitializing")
                        .endWaiting()
                        .build())
                .build());
    pod.getStatus()
        .getInitContainerStatuses()
        .get(0)
        .getState()
        .getWaiting()
        .setMessage("back-off 5m0s restarting failed container=fetch-model pod=llama-0");

    var failing = FailingCopies.of(List.of(pod));

    assertThat(failing).singleElement().returns(1, FailingCopies.Failing::lastExitCode);
    assertThat(failing.get(0).describe())
        .as("the back-off's own message is left out: it changes with each back-off")
        .isEqualTo(
            "container fetch-model CrashLoopBackOff after 6 restarts, last exit 1: " + NO_SUCH_KEY);
  }

  @Test
  void anOutOfMemoryKillNamesKubeletsReasonAndTheLogsTail() {
    ContainerStatus status = status("model-server", "running", 2, 137, "loading shard 3 of 4\n");
    status.getLastState().getTerminated().setReason("OOMKilled");

    var failing = FailingCopies.of(List.of(pod("llama-0", 60, false, status)));

    assertThat(failing.get(0).describe())
        .isEqualTo(
            "container model-server running again after 2 restarts, last exit 137 (OOMKilled):"
                + " loading shard 3 of 4");
  }

  @Test
  void anImageThatCannotBePulledIsToldWithKubeletsWordsSinceItNeverRan() {
    ContainerStatus status = status("model-server", "waiting:ImagePullBackOff", 0, null, null);
    status.getState().getWaiting().setMessage("Back-off pulling image \"tgi:nope\"");

    var failing = FailingCopies.of(List.of(pod("llama-0", 60, false, status)));

    assertThat(failing.get(0).describe())
        .isEqualTo("container model-server ImagePullBackOff: Back-off pulling image \"tgi:nope\"");
    assertThat(failing.get(0).lastExitCode()).isNull();
  }

  @Test
  void aLongLogIsCollapsedToOneLineAndItsEndKept() {
    String log =
        "Traceback (most recent call last):\n"
            + "  File \"serve.py\", line 12, in <module>\n".repeat(20)
            + "ValueError: SM_NUM_GPUS=2 but 1 GPU is visible\n";

    String trimmed = FailingCopies.trimmed(log);

    assertThat(trimmed).hasSize(FailingCopies.MESSAGE_LIMIT);
    assertThat(trimmed)
        .startsWith("...")
        .endsWith("ValueError: SM_NUM_GPUS=2 but 1 GPU is visible");
    assertThat(trimmed).doesNotContain("\n").doesNotContain("  ");
    assertThat(FailingCopies.trimmed(" one line \n")).isEqualTo("one line");
    assertThat(FailingCopies.trimmed(" \n ")).isNull();
    assertThat(FailingCopies.trimmed(null)).isNull();
  }

  @Test
  void sinceIsWhenTheCopyStoppedBeingReadyAndTheLongestFailingComesFirst() {
    ContainerStatus crashing = status("model-server", "waiting:CrashLoopBackOff", 3, 1, null);
    Pod recent = pod("recent", 30, false, crashing);
    Pod old = pod("old", 600, false, crashing);
    Pod untimed = pod("untimed", 900, false, crashing);
    untimed.getStatus().getConditions().clear();

    var failing = FailingCopies.of(List.of(recent, old, untimed));

    assertThat(failing)
        .extracting(FailingCopies.Failing::pod, FailingCopies.Failing::since)
        .as("without a Ready condition, from the pod's creation (900 s ago here)")
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("untimed", NOW.minusSeconds(900)),
            org.assertj.core.groups.Tuple.tuple("old", NOW.minusSeconds(600)),
            org.assertj.core.groups.Tuple.tuple("recent", NOW.minusSeconds(30)));
  }

  /**
   * Copies asked for and ready, and copies failing (not ready for N s), to the copies still
   * starting for the engine. The bound is 5 minutes, as for unschedulable copies.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "failing for less than the bound: starting     | 1 | 0 | 299      | 1",
        "failing for the bound: not coming             | 1 | 0 | 300      | 0",
        "one ready, one failing long: nothing starting | 2 | 1 | 3600     | 0",
        "one failing long, one really starting         | 3 | 1 | 3600     | 1",
        "one failing long, one within the bound        | 3 | 1 | 3600 10  | 1",
        "two failing long                              | 3 | 1 | 3600 900 | 0",
      })
  void aFailingCopyCountsAsStartingForTheBound(
      String row, int desired, int ready, String failingFor, int starting) {
    String[] seconds = failingFor.trim().split("\\s+");
    List<Pod> pods =
        java.util.stream.IntStream.range(0, seconds.length)
            .mapToObj(
                i ->
                    pod(
                        "copy-" + i,
                        Long.parseLong(seconds[i]),
                        false,
                        status("fetch-model", "waiting:CrashLoopBackOff", 4, 1, NO_SUCH_KEY)))
            .toList();

    Copies copies =
        UnschedulableCopies.forEngine(
            desired, ready, false, List.of(), FailingCopies.of(pods), NOW, BOUND);

    assertThat(copies).isEqualTo(new Copies(desired, ready, starting));
  }

  /** A container's status: state, restarts, and lastState.terminated when lastExit is set. */
  private static ContainerStatus status(
      String name, String state, int restarts, Integer lastExit, String lastMessage) {
    String[] parts = state.split(":");
    var now = new ContainerStateBuilder();
    switch (parts[0]) {
      case "waiting" -> now.withNewWaiting().withReason(parts[1]).endWaiting();
      case "running" -> now.withNewRunning().withStartedAt(NOW.toString()).endRunning();
      case "terminated" ->
          now.withNewTerminated()
              .withExitCode(Integer.parseInt(parts[1]))
              .withReason(parts[1].equals("0") ? "Completed" : "Error")
              .withFinishedAt(NOW.toString())
              .endTerminated();
      default -> throw new IllegalArgumentException(state);
    }
    var status =
        new ContainerStatusBuilder()
            .withName(name)
            .withRestartCount(restarts)
            .withReady(false)
            .withState(now.build());
    if (lastExit != null) {
      status.withLastState(
          new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(lastExit)
              .withReason(lastExit == 0 ? "Completed" : "Error")
              .withMessage(lastMessage)
              .withFinishedAt(NOW.minusSeconds(5).toString())
              .endTerminated()
              .build());
    }
    return status.build();
  }

  /**
   * A pod created {@code secondsAgo} and not ready since (or Ready), with the fetch-model status as
   * an init container's and the others as containers'.
   */
  private static Pod pod(
      String name, long secondsAgo, boolean ready, ContainerStatus... containers) {
    Instant since = NOW.minusSeconds(secondsAgo);
    List<ContainerStatus> init =
        java.util.Arrays.stream(containers).filter(c -> c.getName().equals("fetch-model")).toList();
    List<ContainerStatus> main =
        java.util.Arrays.stream(containers)
            .filter(c -> !c.getName().equals("fetch-model"))
            .toList();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(since.toString())
        .endMetadata()
        .withNewStatus()
        .withPhase(init.isEmpty() ? "Running" : "Pending")
        .addToConditions(
            new PodConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withLastTransitionTime(since.toString())
                .build())
        .withInitContainerStatuses(init)
        .withContainerStatuses(main)
        .endStatus()
        .build();
  }
}
