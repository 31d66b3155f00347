package dev.ebb.testing;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The LLM scale-to-zero sample on the shared simulator in simulated time, as the scale-to-zero IT
 * and the SageMaker wake bench both run it: scaling executed, realistic delays, and the clock in
 * the test's hands (frozen at the next Monday 10:00 UTC, so the sample's Friday/Monday schedules
 * stay out of the way).
 */
public final class LlmSampleOnSageMaker {
  private LlmSampleOnSageMaker() {}

  /** The SageMaker names of the sample's endpoint and component. */
  public record Names(String endpointName, String inferenceComponentName) {}

  /** Scaling executed, copies 4 minutes out and 15 in, the clock frozen. */
  public static void simulatedTime(SimulatorClock clock, SageMakerSimulator simulator) {
    clock.freezeAtNextMonday(); // before scaling is on: the jump is not replayed
    simulator.delays(Delays.realistic());
    simulator.autoscaling(true);
  }

  /** Back to what the other tests of the JVM expect. */
  public static void wallTime(SimulatorClock clock, SageMakerSimulator simulator) {
    simulator.autoscaling(false);
    simulator.delays(Delays.defaults());
    clock.resume();
  }

  /**
   * Applies the sample in {@code ns} and moves simulated time (30 s steps, half a second apart so
   * the operator's polls see them) until its ScalingPolicy is Ready: the endpoint (6 min) and the
   * component (5 min) are created meanwhile.
   */
  public static Names applyAndAwaitPolicy(KubernetesClient client, SimulatorClock clock, String ns)
      throws IOException, InterruptedException {
    try (InputStream in = Files.newInputStream(Path.of("config/samples/llm-scale-to-zero.yaml"))) {
      client.load(in).inNamespace(ns).serverSideApply();
    }
    SimulatedTime.advanceUntil(
        clock, Duration.ofSeconds(30), 500, () -> policyReady(client, ns), Duration.ofHours(2));
    return new Names(
        client
            .resources(InferenceEndpoint.class)
            .inNamespace(ns)
            .withName("llama3")
            .get()
            .getStatus()
            .endpointName(),
        client
            .resources(InferenceComponent.class)
            .inNamespace(ns)
            .withName("llama3-8b")
            .get()
            .getStatus()
            .inferenceComponentName());
  }

  private static boolean policyReady(KubernetesClient client, String ns) {
    ScalingPolicy p =
        client.resources(ScalingPolicy.class).inNamespace(ns).withName("llama3-8b").get();
    if (p == null || p.getStatus() == null) {
      return false;
    }
    var ready = p.getStatus().condition(Condition.READY);
    return ready != null && "True".equals(ready.status());
  }
}
