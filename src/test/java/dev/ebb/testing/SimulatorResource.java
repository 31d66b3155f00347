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

  /**
   * Where the running resource's simulator is left for {@link SimulatorContractCallback}, for tests
   * without an injected field. The JVM's system properties, not a static field: Quarkus loads test
   * resources and callbacks through different class loaders, each with its own statics.
   */
  static final String RUNNING = "ebb.tests.running-simulator";

  private SageMakerSimulator simulator;
  private final SimulatorClock clock = new SimulatorClock();

  @Override
  public Map<String, String> start() {
    simulator = SageMakerSimulator.builder().clock(clock).delays(Delays.defaults()).build().start();
    System.getProperties().put(RUNNING, simulator);
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
        // (under throttling every call is retried with backoff).
        "ebb.reconcile.steady-resync",
        "10m",
        "ebb.reconcile.jitter",
        "0",
        // Backoff after failed passes doubles from the poll above: 1, 2, 4, 8 s, so tests under
        // throttling still converge in seconds.
        "ebb.reconcile.max-retry-delay",
        "8s");
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(simulator, new TestInjector.MatchesType(SageMakerSimulator.class));
    injector.injectIntoFields(clock, new TestInjector.MatchesType(SimulatorClock.class));
  }

  @Override
  public void stop() {
    // close() throws if a violation of AWS's models is left; Quarkus only logs it, so every
    // test is checked after it runs too (SimulatorContractCallback).
    System.getProperties().remove(RUNNING);
    if (simulator != null) {
      simulator.close();
    }
  }
}
