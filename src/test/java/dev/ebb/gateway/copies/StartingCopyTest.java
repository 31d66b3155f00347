package dev.ebb.gateway.copies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.local.ModelServerWorkload;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which pods the gateway probes while it holds requests: {@link CopyWatch#starting(Pod)}. */
class StartingCopyTest {
  private static final String STARTED = "2026-12-02T10:00:00Z";

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("server running, not Ready", pod(ip(), running(), "False", false), true),
        Arguments.of("Ready condition absent", pod(ip(), running(), null, false), true),
        Arguments.of("Ready: kubelet answered", pod(ip(), running(), "True", false), false),
        Arguments.of("being deleted", pod(ip(), running(), "False", true), false),
        Arguments.of("no IP yet", pod(null, running(), "False", false), false),
        Arguments.of("empty IP", pod("", running(), "False", false), false),
        Arguments.of(
            "server waiting (model still downloading)",
            pod(ip(), waiting("PodInitializing"), "False", false),
            false),
        Arguments.of(
            "server crashed", pod(ip(), waiting("CrashLoopBackOff"), "False", false), false),
        Arguments.of("no container statuses", pod(ip(), null, "False", false), false),
        Arguments.of(
            "only another container runs", pod(ip(), running("sidecar"), "False", false), false),
        Arguments.of(
            "no status at all", new PodBuilder().withNewMetadata().endMetadata().build(), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void aPodIsProbedOnlyWhileItsServerRunsAndKubeletHasNotCalledItReady(
      String why, Pod pod, boolean probed) {
    assertThat(CopyWatch.starting(pod).isPresent()).as(why).isEqualTo(probed);
  }

  @org.junit.jupiter.api.Test
  void aStartingCopyIsThisRunOfTheServer() {
    Optional<StartingCopy> copy = CopyWatch.starting(pod(ip(), running(), "False", false));
    assertThat(copy).contains(new StartingCopy("tiny-abc", "10.1.2.3", Instant.parse(STARTED)));
    // A restarted container is another starting copy: it has to answer again.
    Pod restarted = pod(ip(), running(), "False", false);
    restarted
        .getStatus()
        .getContainerStatuses()
        .get(0)
        .getState()
        .getRunning()
        .setStartedAt("2026-12-02T10:05:00Z");
    assertThat(CopyWatch.starting(restarted)).isPresent().isNotEqualTo(copy);
  }

  private static String ip() {
    return "10.1.2.3";
  }

  private static ContainerStatus running() {
    return running(ModelServerWorkload.SERVER_CONTAINER);
  }

  private static ContainerStatus running(String container) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withNewState()
        .withNewRunning()
        .withStartedAt(STARTED)
        .endRunning()
        .endState()
        .build();
  }

  private static ContainerStatus waiting(String reason) {
    return new ContainerStatusBuilder()
        .withName(ModelServerWorkload.SERVER_CONTAINER)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .endWaiting()
        .endState()
        .build();
  }

  private static Pod pod(String ip, ContainerStatus server, String ready, boolean deleting) {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("tiny-abc")
            .withNamespace("team-a")
            .withDeletionTimestamp(deleting ? "2026-12-02T10:01:00Z" : null)
            .endMetadata()
            .withNewStatus()
            .withPodIP(ip)
            .withContainerStatuses(server == null ? List.of() : List.of(server))
            .endStatus();
    if (ready != null) {
      pod.editStatus()
          .addNewCondition()
          .withType("Ready")
          .withStatus(ready)
          .endCondition()
          .endStatus();
    }
    return pod.build();
  }
}
