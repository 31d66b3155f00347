package dev.ebb.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.local.ColdStarts;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cold start Ebb measured ({@code status.lastColdStart}, ending at kubelet's Ready) ends instead
 * where the gateway could first send, when the operator's log says when the copy answered {@code
 * /ping}.
 */
class ColdStartModelTest {
  private static final InferenceComponent COMPONENT =
      Serialization.unmarshal(
          """
          apiVersion: ebb.dev/v1alpha1
          kind: InferenceComponent
          metadata: {name: tiny, namespace: ml}
          spec: {endpointRef: {name: cpu}, model: {image: 'echo:1'}}
          status:
            lastColdStart:
              pod: tiny-7f9c-abcde
              startedAt: '2026-12-07T10:00:00Z'
              seconds: 12.0
              phases: {scheduled: 1.0, modelFetched: 3.0, containerStarted: 1.0, ready: 7.0}
          """,
          InferenceComponent.class);

  private static String answered(String pod, String seconds) {
    return "2026-12-07T10:00:07.300Z level=INFO  logger=d.e.g.c.CopyProbes namespace=ml name=tiny"
        + " kind=InferenceComponent msg="
        + ColdStarts.PING_ANSWERED
        + " pod="
        + pod
        + " address=10.0.0.7:8080 since_container_started_seconds="
        + seconds;
  }

  @Test
  void theGatewaysFirstPingAnswerEndsTheColdStartInsteadOfReady() {
    ColdStartModel model =
        ColdStartModel.measured(
                COMPONENT,
                List.of(answered("tiny-other", "0.5"), answered("tiny-7f9c-abcde", "2.3")))
            .orElseThrow();

    assertThat(model.total()).isEqualTo(Duration.ofMillis(7_300));
    assertThat(model.phases())
        .containsOnlyKeys("scheduled", "modelFetched", "containerStarted", "pingAnswered");
    assertThat(model.phases().get("pingAnswered")).isEqualTo(Duration.ofMillis(2_300));
    assertThat(model.source()).contains("first /ping answer");
  }

  @Test
  void withoutTheLineForItsPodItEndsAtReady() {
    ColdStartModel model =
        ColdStartModel.measured(COMPONENT, List.of(answered("tiny-other", "0.5"))).orElseThrow();

    assertThat(model.total()).isEqualTo(Duration.ofSeconds(12));
    assertThat(model.phases()).containsKey("ready");
  }
}
