package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.scaling.Copies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnschedulableCopiesTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration BOUND = Duration.ofMinutes(5);
  private static final String NO_GPU = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.";

  /**
   * pods: space-separated, each {@code kind} or {@code kind:secondsAgo}: {@code ready}, {@code
   * scheduled} (not ready), {@code unschedulable:N} (PodScheduled=False, Unschedulable, since N s
   * ago), {@code untimed:N} (the same without lastTransitionTime, created N s ago), {@code gated:N}
   * (PodScheduled=False for another reason), {@code deleting:N} (unschedulable, being deleted). The
   * bound is 5 minutes.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no pods yet: a copy asked for is starting         | 1 | 0 | false | -                                   | 1",
        "scheduled, not ready: starting                    | 1 | 0 | false | scheduled                           | 1",
        "unschedulable for less than the bound: starting   | 1 | 0 | false | unschedulable:299                   | 1",
        "unschedulable for exactly the bound: not starting | 1 | 0 | false | unschedulable:300                   | 0",
        "unschedulable for more than the bound             | 1 | 0 | false | unschedulable:3600                  | 0",
        "no lastTransitionTime: counted from creation      | 1 | 0 | false | untimed:3600                        | 0",
        "another reason (scheduling gates) is no verdict   | 1 | 0 | false | gated:3600                          | 1",
        "a pod being deleted does not count                | 1 | 0 | false | deleting:3600                       | 1",
        "one ready, one stuck: nothing starting            | 2 | 1 | false | ready unschedulable:600             | 0",
        "one stuck, one really starting                    | 3 | 1 | false | ready scheduled unschedulable:600   | 1",
        "one stuck, one still within the bound             | 3 | 1 | false | ready unschedulable:10 unschedulable:600 | 1",
        "a stuck rollout: nothing starting                 | 2 | 0 | true  | scheduled unschedulable:10          | 0",
        "an extra stuck pod never makes starting negative  | 1 | 1 | false | ready unschedulable:600             | 0",
      })
  void copiesAsTheEngineSeesThem(
      String row, int desired, int ready, boolean stuck, String pods, int starting) {
    Copies copies =
        UnschedulableCopies.forEngine(
            desired, ready, stuck, UnschedulableCopies.of(pods(pods)), List.of(), NOW, BOUND);

    assertThat(copies).isEqualTo(new Copies(desired, Math.min(ready, desired), starting));
  }

  @Test
  void theLongestWaitingComesFirstWithTheSchedulersWordsAndWhenItStopsCountingAsStarting() {
    var waiting =
        UnschedulableCopies.of(
            pods("scheduled unschedulable:10 ready unschedulable:600 gated:900"));

    assertThat(waiting)
        .extracting(UnschedulableCopies.Waiting::since)
        .containsExactly(NOW.minusSeconds(600), NOW.minusSeconds(10));
    assertThat(waiting.get(0).message()).isEqualTo(NO_GPU);
    assertThat(waiting.get(0).startingUntil(BOUND)).isEqualTo(NOW.minusSeconds(300));
    assertThat(waiting.get(0).overdue(NOW, BOUND)).isTrue();
    assertThat(waiting.get(1).overdue(NOW, BOUND)).isFalse();
    assertThat(UnschedulableCopies.of(List.of())).isEmpty();
  }

  private static List<Pod> pods(String spec) {
    if (spec.equals("-")) {
      return List.of();
    }
    String[] tokens = spec.trim().split("\\s+");
    return java.util.stream.IntStream.range(0, tokens.length)
        .mapToObj(i -> pod("copy-" + i, tokens[i]))
        .toList();
  }

  private static Pod pod(String name, String token) {
    String[] parts = token.split(":");
    String kind = parts[0];
    Instant since = parts.length > 1 ? NOW.minusSeconds(Long.parseLong(parts[1])) : NOW;
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withCreationTimestamp(since.toString())
            .withDeletionTimestamp(kind.equals("deleting") ? NOW.toString() : null)
            .endMetadata()
            .withNewStatus()
            .withPhase(kind.equals("ready") || kind.equals("scheduled") ? "Running" : "Pending")
            .endStatus()
            .build();
    var scheduled = new PodConditionBuilder().withType("PodScheduled");
    switch (kind) {
      case "ready", "scheduled" -> scheduled.withStatus("True").withLastTransitionTime(at(since));
      case "unschedulable", "deleting" ->
          scheduled
              .withStatus("False")
              .withReason("Unschedulable")
              .withMessage(NO_GPU)
              .withLastTransitionTime(at(since));
      case "untimed" -> scheduled.withStatus("False").withReason("Unschedulable");
      case "gated" -> scheduled.withStatus("False").withReason("SchedulingGated");
      default -> throw new IllegalArgumentException(kind);
    }
    pod.getStatus().getConditions().add(scheduled.build());
    pod.getStatus()
        .getConditions()
        .add(
            new PodConditionBuilder()
                .withType("Ready")
                .withStatus(kind.equals("ready") ? "True" : "False")
                .withLastTransitionTime(at(since))
                .build());
    return pod;
  }

  private static String at(Instant instant) {
    return instant.toString();
  }
}
