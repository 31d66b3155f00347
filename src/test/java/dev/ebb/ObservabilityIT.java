package dev.ebb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;

/**
 * What an operator of Ebb sees at {@code /q/metrics} and in Events after a local component wakes
 * and a SageMaker endpoint is created: reconciles by controller, AWS calls by operation and
 * outcome, scaling activities, cold starts.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class ObservabilityIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("observe", TIMEOUT);

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  @Test
  void metricsAndEventsTellWhatHappened() throws Exception {
    try (FakeNodeAgent agent =
            new FakeNodeAgent(
                ns.client(),
                ns.name(),
                Duration.ofMillis(100),
                Duration.ZERO,
                Duration.ofMillis(300));
        var runtime = GatewayClients.runtime(httpPort)) {
      ns.apply(
          LocalManifests.cpuComponent(0)
              + LocalManifests.wakePolicy(1)
              + """
              ---
              apiVersion: ebb.dev/v1alpha1
              kind: InferenceEndpoint
              metadata: {name: on-sagemaker}
              spec:
                backend: sagemaker
                variants:
                - name: AllTraffic
                  instanceType: ml.m5.xlarge
                  model: {image: 'echo:1'}
              """);
      LocalManifests.awaitPolicyTracked(ns);
      runtime.invokeEndpoint(
          r ->
              r.endpointName(SageMakerNames.forObject(ns.name(), "cpu"))
                  .body(SdkBytes.fromUtf8String("wake up")));
      ns.awaitReady(InferenceEndpoint.class, "on-sagemaker");
    }

    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    List<String> lines = metrics.lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(lines)
        .as("reconciles, by controller")
        .anyMatch(l -> l.startsWith("operator_sdk_") && l.contains("inferenceendpoint"))
        .anyMatch(l -> l.startsWith("operator_sdk_") && l.contains("scalingpolicy"));
    assertThat(lines)
        .as("AWS calls by operation and outcome")
        .anyMatch(
            l ->
                l.startsWith("ebb_aws_calls_seconds_count")
                    && l.contains("operation=\"CreateEndpoint\"")
                    && l.contains("outcome=\"success\"")
                    && l.contains("service=\"SageMaker\""));
    assertThat(lines)
        .as("scaling activities")
        .anyMatch(
            l ->
                l.startsWith("ebb_scaling_activities_total")
                    && l.contains("namespace=\"" + ns.name() + "\"")
                    && l.contains("direction=\"ScaledOut\"")
                    && l.contains("trigger=\"Demand\""));
    assertThat(lines)
        .as("cold starts")
        .anyMatch(
            l ->
                l.startsWith("ebb_local_cold_start_seconds_count")
                    && l.contains("namespace=\"" + ns.name() + "\""));
    assertThat(lines)
        .as("the gateway")
        .anyMatch(l -> l.startsWith("ebb_gateway_requests_seconds_count") && l.contains(ns.name()));

    var reasons =
        ns.resources(Event.class).list().getItems().stream()
            .map(e -> e.getInvolvedObject().getKind() + "/" + e.getReason())
            .toList();
    assertThat(reasons)
        .as("Events on significant transitions")
        .contains("ScalingPolicy/ScaledOut")
        .anyMatch(r -> r.startsWith("InferenceEndpoint/"))
        .anyMatch(r -> r.startsWith("InferenceComponent/"));
    System.out.println(
        "[ebb-tests] operator SDK metrics: "
            + lines.stream()
                .filter(l -> l.startsWith("operator_sdk_"))
                .map(l -> l.substring(0, l.indexOf('{') < 0 ? l.indexOf(' ') : l.indexOf('{')))
                .distinct()
                .toList());
    System.out.println("[ebb-tests] events: " + reasons.stream().distinct().toList());
  }
}
