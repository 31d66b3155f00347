package dev.ebb.testing;

import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts Ebb's SageMaker simulator for a {@code @QuarkusTest} and points the operator at it, with
 * short poll intervals so SageMaker's minutes become the simulator's seconds. The test gets the
 * simulator injected into a field of type {@link SageMakerSimulator}, and its clock (wall time
 * unless a test freezes it) into one of type {@link SimulatorClock}.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {
  public static final String REGION = "us-east-1";
  public static final String DEFAULT_ROLE = "arn:aws:iam::123456789012:role/EbbDefaultSageMaker";

  private SageMakerSimulator simulator;
  private final SimulatorClock clock = new SimulatorClock();

  @Override
  public Map<String, String> start() {
    simulator = SageMakerSimulator.builder().clock(clock).delays(Delays.defaults()).build().start();
    // The SDK's default credential chain reads these system properties first.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    return Map.of(
        "ebb.aws.endpoint-override",
        simulator.endpoint().toString(),
        "ebb.aws.default-region",
        REGION,
        "ebb.aws.default-execution-role-arn",
        DEFAULT_ROLE,
        "ebb.reconcile.transitioning-poll",
        "1s",
        // Steady objects from earlier tests stay quiet, so tests do not compete for AWS calls
        // (under throttling the SDK's adaptive retry rate-limits the whole client).
        "ebb.reconcile.steady-resync",
        "10m",
        "ebb.reconcile.jitter",
        "0");
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(simulator, new TestInjector.MatchesType(SageMakerSimulator.class));
    injector.injectIntoFields(clock, new TestInjector.MatchesType(SimulatorClock.class));
  }

  @Override
  public void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
