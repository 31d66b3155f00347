package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponentStatus.ColdStart;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartsTest {
  @Test
  void eachPhaseIsTheTimeBetweenTwoOfThePodsConditions() {
    Pod pod =
        pod(
            "llama-1",
            "10:00:00",
            Map.of(
                "PodScheduled", "10:00:02",
                "Initialized", "10:01:32",
                "Ready", "10:03:10"),
            "10:01:40");

    ColdStart coldStart = ColdStarts.latest(List.of(pod)).orElseThrow();

    assertThat(coldStart.pod()).isEqualTo("llama-1");
    assertThat(coldStart.startedAt()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(coldStart.seconds()).isEqualTo(190.0);
    assertThat(coldStart.phases())
        .containsExactly(
            Map.entry("scheduled", 2.0),
            Map.entry("modelFetched", 90.0),
            Map.entry("containerStarted", 8.0),
            Map.entry("ready", 90.0));
  }

  @Test
  void theCopyThatBecameReadyLastIsReportedAndCopiesNotReadyAreNot() {
    Pod early =
        pod(
            "a",
            "10:00:00",
            Map.of("PodScheduled", "10:00:01", "Initialized", "10:00:01", "Ready", "10:00:30"),
            "10:00:05");
    Pod late =
        pod(
            "b",
            "10:05:00",
            Map.of("PodScheduled", "10:05:01", "Initialized", "10:05:01", "Ready", "10:05:20"),
            "10:05:02");
    Pod starting =
        pod("c", "10:06:00", Map.of("PodScheduled", "10:06:01", "Initialized", "10:06:01"), null);

    assertThat(ColdStarts.latest(List.of(early, late, starting)))
        .hasValueSatisfying(c -> assertThat(c.pod()).isEqualTo("b"));
    assertThat(ColdStarts.latest(List.of(starting))).isEmpty();
  }

  private static Pod pod(
      String name, String created, Map<String, String> conditions, String containerStarted) {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withCreationTimestamp(at(created))
            .endMetadata()
            .withNewStatus()
            .endStatus()
            .build();
    conditions.forEach(
        (type, time) ->
            pod.getStatus()
                .getConditions()
                .add(
                    new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                        .withType(type)
                        .withStatus("True")
                        .withLastTransitionTime(at(time))
                        .build()));
    if (containerStarted != null) {
      pod.getStatus()
          .getContainerStatuses()
          .add(
              new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                  .withName(ModelServerWorkload.SERVER_CONTAINER)
                  .withNewState()
                  .withNewRunning(at(containerStarted))
                  .endState()
                  .build());
    }
    return pod;
  }

  private static String at(String time) {
    return "2026-12-01T" + time + "Z";
  }
}
