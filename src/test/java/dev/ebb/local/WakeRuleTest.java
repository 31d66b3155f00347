package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus;
import dev.ebb.testing.Manifests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WakeRuleTest {
  private static final WakeRule WAKES = new WakeRule.Wakes("p", 1, 2, Duration.ofSeconds(60));

  @Test
  void onlyAScaleFromZeroStepWakesAComponent() {
    assertThat(WakeRule.of(List.of(policy("scaleFromZero: {}"))))
        .isEqualTo(new WakeRule.Wakes("p", 1, 2, Duration.ofSeconds(60)));
    assertThat(WakeRule.of(List.of(policy("")))).isEqualTo(new WakeRule.NoScaleFromZero("p"));
    assertThat(WakeRule.of(List.of())).isEqualTo(new WakeRule.NoPolicy());
  }

  @Test
  void aScheduleThatHoldsMaxAtZeroParksTheComponent() {
    ScalingPolicy parked = policy("scaleFromZero: {}");
    parked.setStatus(
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            "{\"local\": {\"minCapacity\": 0, \"maxCapacity\": 0}}", ScalingPolicyStatus.class));
    assertThat(WakeRule.of(List.of(parked))).isEqualTo(new WakeRule.ParkedBySchedule("p"));
  }

  @Test
  void requestsAreRefusedOnlyWhenNothingWillStartACopy() {
    assertThat(WAKES.refusal("llama")).isEmpty();
    assertThat(new WakeRule.NoPolicy().refusal("llama")).isEmpty();
    assertThat(new WakeRule.NoScaleFromZero("p").refusal("llama"))
        .contains(
            "Inference Component llama has no copies, and its ScalingPolicy p has no"
                + " scaleFromZero, so a request does not start one.");
    assertThat(new WakeRule.ParkedBySchedule("p").refusal("llama"))
        .contains(
            "Inference Component llama has no copies: its ScalingPolicy p holds it at max"
                + " capacity 0 (a scheduled action) until a schedule raises it.");
  }

  @Test
  void theStatusNeverPromisesAWakeThatWillNotHappen() {
    assertThat(WAKES.scaledToZero()).contains("the next request starts one");
    for (WakeRule rule :
        List.of(
            new WakeRule.NoScaleFromZero("p"),
            new WakeRule.ParkedBySchedule("p"),
            new WakeRule.NoPolicy())) {
      assertThat(rule.scaledToZero()).doesNotContain("starts one");
    }
  }

  private static ScalingPolicy policy(String more) {
    return Manifests.parse(
        ScalingPolicy.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: p, namespace: team}
        spec:
          targetRef: {kind: InferenceComponent, name: llama}
          minCapacity: 0
          maxCapacity: 2
        %s
        """
            .formatted(more.indent(2)),
        1);
  }
}
