package dev.ebb.testing;

import dev.ebb.simulator.Delays;
import dev.ebb.simulator.ManualClock;
import dev.ebb.simulator.SageMakerSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The SageMaker simulator with scaling executed (CloudWatch alarms evaluated, Application Auto
 * Scaling's policies and scheduled actions run) on a {@link ManualClock} the test moves, with
 * {@link Delays#realistic()} (copies 4 minutes out, 15 in), and the operator pointed at it as
 * {@link SimulatorResource} does. The test gets the simulator and the clock injected into fields of
 * those types. Only the simulator's time is manual: the operator runs in real time.
 */
public class ScalingSimulatorResource implements QuarkusTestResourceLifecycleManager {
  private SageMakerSimulator simulator;
  private final ManualClock clock = new ManualClock();

  @Override
  public Map<String, String> start() {
    simulator =
        SageMakerSimulator.builder()
            .clock(clock)
            .delays(Delays.realistic())
            .autoscaling(true)
            .build()
            .start();
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    return Map.of(
        "ebb.aws.endpoint-override",
        simulator.endpoint().toString(),
        "ebb.aws.default-region",
        SimulatorResource.REGION,
        "ebb.aws.default-execution-role-arn",
        SimulatorResource.DEFAULT_ROLE,
        "ebb.reconcile.transitioning-poll",
        "1s",
        "ebb.reconcile.steady-resync",
        "10m",
        "ebb.reconcile.jitter",
        "0");
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(simulator, new TestInjector.MatchesType(SageMakerSimulator.class));
    injector.injectIntoFields(clock, new TestInjector.MatchesType(ManualClock.class));
  }

  @Override
  public void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
