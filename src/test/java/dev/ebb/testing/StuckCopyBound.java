package dev.ebb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.ScalingPolicyStatus.ScalingActivity;
import java.time.Duration;
import java.time.Instant;

/**
 * The check that a copy stuck while starting (no node can take it, or its model fetch keeps
 * failing) holds back the idle window for {@code ebb.local.unschedulable-timeout} and no longer.
 * The ITs of each kind of stuck copy share it, so both hold the operator to the same bound.
 */
public final class StuckCopyBound {
  private StuckCopyBound() {}

  /**
   * With one copy of {@code tiny}, stuck since {@code since}, the last request over the policy's 60
   * s idle window old, and the scale-out its only scaling activity: moves the operator's clock to 2
   * s before {@code since}, checks the copy is kept (it still counts as starting), then that the
   * idle window takes it, not before {@code since + bound}.
   *
   * @param stuck how the copy was stuck, for the assertion's description
   * @return the idle window's scaling activity
   */
  public static ScalingActivity assertIdleWindowWaitsForTheBound(
      TinyComponent tiny, TestClock clock, Instant since, Duration bound, String stuck) {
    clock.setTo(since.minusSeconds(2));
    tiny.awaitReplicasStay(1, Duration.ofSeconds(4), Duration.ofSeconds(6));
    assertThat(tiny.policy().getStatus().lastScalingActivity().to())
        .as("only the scale-out so far")
        .isEqualTo(1);

    // Once it has been stuck for the bound, the idle window takes it.
    tiny.awaitReplicas(0);
    ScalingActivity idle = tiny.awaitActivity(a -> a.to() == 0);
    assertThat(idle.cause()).contains("no requests for 60 s");
    assertThat(Instant.parse(idle.time()))
        .as("not before the copy was " + stuck + " for the bound")
        .isAfterOrEqualTo(since.plus(bound));
    return idle;
  }
}
