package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicyStatus.ScalingActivity;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestClock;
import dev.ebb.testing.TestNamespaceExtension;
import dev.ebb.testing.TinyComponent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ScalingPolicy on a Custom metric on backend local: the metric is what the model server itself
 * exposes at its Prometheus endpoint ({@code spec.local.metrics}), scraped by the leader and read
 * by the policy engine; a policy whose metric nothing measures is Stalled, not silently ignored.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class LocalCustomMetricsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("custom-metric", TIMEOUT);

  @Inject TestClock clock;
  @Inject LocalAutoscaler autoscaler;
  @Inject LocalMetrics metrics;

  private FakeNodeAgent agent;
  private TinyComponent tiny;

  @BeforeEach
  void namespace() {
    agent =
        new FakeNodeAgent(
            ns.client(),
            ns.name(),
            Duration.ofMillis(1100),
            Duration.ZERO,
            Duration.ofMillis(1100));
    tiny = new TinyComponent(ns);
  }

  @AfterEach
  void cleanUp() {
    tiny.deletePolicies();
    clock.reset();
    agent.close();
  }

  @Test
  void theModelServersQueueDepthScalesTheComponentOut() throws Exception {
    tiny.apply(
        component("local: {metrics: {port: 8080}}")
            + policy(
                """
                minCapacity: 1
                maxCapacity: 3
                targetTracking:
                - metric: Custom
                  custom: {namespace: TinyModelServer, name: tiny_queue_depth, dimensions: {model: tiny}}
                  targetValue: 5
                  scaleOutCooldownSeconds: 0
                """));
    tiny.awaitComponent(
        c -> c.getStatus().copies() != null && c.getStatus().copies().current() == 1);
    tiny.awaitPolicy(
        p ->
            p.getStatus().condition(Condition.READY) != null
                && "Applied".equals(p.getStatus().condition(Condition.READY).reason()));
    assertThat(tiny.onlyPod().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/metrics");

    // 12 waiting on the one copy, 5 wanted per copy. The one-minute average climbs from the zeros
    // scraped before towards 12, so the engine may step through 2 copies (whose new copy reports
    // 0: the average over copies is then 6, ceil(2 x 6 / 5) = 3); without a cooldown it ends at 3.
    setQueueDepth(tiny.onlyPod().getStatus().getPodIP(), 12);

    try {
      tiny.awaitReplicas(3);
    } catch (RuntimeException e) {
      // What the loop saw, for the failure's message: the series it scrapes and their average.
      throw new AssertionError(
          "no scale-out; scraped "
              + autoscaler.measured(LocalMetricCatalog.ModelServer.class)
              + ", average "
              + metrics
                  .of(new ComponentKey(ns.name(), "tiny"))
                  .average("tiny_queue_depth{model=\"tiny\"}", Duration.ofMinutes(1))
              + ", policy "
              + tiny.policy().getStatus(),
          e);
    }
    ScalingActivity out = tiny.awaitActivity(a -> a.to() == 3);
    assertThat(out.cause())
        .contains("tiny_queue_depth{model=\"tiny\"}")
        .contains("above target 5.0");
  }

  @Test
  void aCustomMetricOfAComponentWithoutAMetricsEndpointIsUnavailable() {
    tiny.apply(
        component("")
            + policy(
                """
                minCapacity: 1
                maxCapacity: 3
                targetTracking:
                - metric: Custom
                  custom: {namespace: TinyModelServer, name: tiny_queue_depth}
                  targetValue: 5
                """));

    var stalled = ns.awaitStalled(ScalingPolicy.class, "tiny", "MetricUnavailable");
    assertThat(stalled.getStatus().condition(Condition.STALLED).message())
        .isEqualTo(
            "spec.targetTracking[0]: tiny_queue_depth is read from the model server's Prometheus"
                + " endpoint, and InferenceComponent tiny declares none (spec.local.metrics).");
  }

  @Test
  void anAwsMetricNothingHereMeasuresIsUnavailable() {
    tiny.apply(
        component("local: {metrics: {port: 8080}}")
            + policy(
                """
                minCapacity: 1
                maxCapacity: 3
                stepScaling:
                - name: latency
                  alarm: {metric: {name: ModelLatency}, threshold: 100000}
                  steps: [{lower: 0, adjustment: 1}]
                """));

    var stalled = ns.awaitStalled(ScalingPolicy.class, "tiny", "MetricUnavailable");
    assertThat(stalled.getStatus().condition(Condition.STALLED).message())
        .startsWith("spec.stepScaling[latency].alarm.metric: backend local measures only ")
        .endsWith(" in AWS/SageMaker, not ModelLatency.");
  }

  private static void setQueueDepth(String podIp, int depth) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/queue-depth"))
                    .POST(HttpRequest.BodyPublishers.ofString(String.valueOf(depth)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  /** The tiny CPU component on a local endpoint, with {@code local} as its spec.local. */
  private static String component(String local) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: cpu}
        spec:
          backend: local
          variants: [{name: AllTraffic}]
        ---
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: tiny}
        spec:
          endpointRef: {name: cpu}
          model: {image: 'ghcr.io/example/tiny-model-server:1'}
          resources: {memoryMb: 512}
          copies: 1
        %s
        ---
        """
        .formatted(local.indent(2));
  }

  private static String policy(String spec) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: tiny}
        spec:
          targetRef: {kind: InferenceComponent, name: tiny}
        %s
        """
        .formatted(spec.indent(2));
  }
}
