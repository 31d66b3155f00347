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
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    perObjectSeriesStayWithinTheirBounds(lines);

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

  /**
   * Every family that may carry an object's labels, with the series one object adds at most: the
   * bound docs/observability.md ("Cardinality") states. A new per-object meter fails this test
   * until it is given a bound here and there; one that grows past its bound fails it too.
   */
  private static final Map<String, Integer> SERIES_PER_OBJECT =
      Map.of(
          "ebb_gateway_requests_seconds", 3 * 3, // count, sum, max per outcome; 200 and 2 others
          "ebb_gateway_held_requests", 1,
          "ebb_gateway_wakes_total", 1,
          "ebb_gateway_probed_copies_seconds", 3,
          "ebb_local_cold_start_seconds", 3,
          "ebb_local_wake_command_seconds", 3,
          "ebb_scaling_activities_total", 2 * 3, // direction x trigger
          "ebb_gateway_sagemaker_wakes_total", 1,
          "ebb_gateway_sagemaker_parked_total", 1);

  /** What one component costs a scrape, and the scrape at 1,000 such components. */
  private static void perObjectSeriesStayWithinTheirBounds(List<String> lines) {
    String label = "namespace=\"" + ns.name() + "\"";
    assertThat(lines)
        .as("the operator SDK's meters are per controller, not per object")
        .noneMatch(l -> l.startsWith("operator_sdk_") && l.contains(ns.name()));
    assertThat(lines)
        .as("no histogram buckets per object unless ebb.metrics.per-component-histograms")
        .noneMatch(l -> l.contains("_bucket{") && l.contains(label));
    // Every series tagged with a component, of this test or any other the application served:
    // the bounds hold for any object.
    Map<String, Map<String, Integer>> seriesByFamily = new TreeMap<>();
    long objectBytes = 0;
    for (String line : lines) {
      Matcher component = COMPONENT.matcher(line);
      boolean ours = line.contains(label);
      if (!component.find() && !ours) {
        continue;
      }
      String family = family(line.substring(0, line.indexOf('{')));
      Matcher namespace = NAMESPACE.matcher(line);
      String object =
          (namespace.find() ? namespace.group(1) : "")
              + "/"
              + (component.find(0) ? component.group(1) : "");
      seriesByFamily.computeIfAbsent(family, f -> new TreeMap<>()).merge(object, 1, Integer::sum);
      if (ours) {
        objectBytes += line.length() + 1;
      }
    }
    assertThat(seriesByFamily.keySet())
        .as("families with per-object series, each with a stated bound")
        .isNotEmpty()
        .isSubsetOf(SERIES_PER_OBJECT.keySet());
    seriesByFamily.forEach(
        (family, perObject) ->
            perObject.forEach(
                (object, series) ->
                    assertThat(series)
                        .as("%s series of %s", family, object)
                        .isLessThanOrEqualTo(SERIES_PER_OBJECT.get(family))));
    long fleetWide =
        lines.stream().filter(l -> !l.contains(label)).mapToLong(l -> l.length() + 1).sum();
    int bound = SERIES_PER_OBJECT.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "[ebb-tests] metrics: %d bytes for this namespace's objects, %d bytes for the rest; at most"
            + " %d series per component; per-object series: %s%n",
        objectBytes, fleetWide, bound, seriesByFamily);
  }

  private static final Pattern COMPONENT = Pattern.compile("[{,]component=\"([^\"]*)\"");
  private static final Pattern NAMESPACE = Pattern.compile("[{,]namespace=\"([^\"]*)\"");

  /** A series' family: its name without the suffix Prometheus adds per sample kind. */
  private static String family(String name) {
    for (String suffix : List.of("_count", "_sum", "_max")) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
