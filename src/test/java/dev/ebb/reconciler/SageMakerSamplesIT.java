package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.OwnerTags;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every SageMaker sample in {@code config/samples/}, applied as a user would (one namespace, all
 * files), converges to Ready with half of all AWS calls throttled (endpoints, components and their
 * ScalingPolicies); the call log shows each object was described at most once per poll interval;
 * deleting everything leaves nothing in SageMaker, Application Auto Scaling or CloudWatch.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SageMakerSamplesIT {
  private static final Path SAMPLES = Path.of("config/samples");
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

  /** Half the calls fail and the SDK's adaptive retry slows the shared client down. */
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  private static final KubernetesClient client = EmbeddedApiServer.newClient();

  SageMakerSimulator simulator;

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void everySampleConvergesWithHalfOfAllCallsThrottledAndDeletingLeavesNothing()
      throws IOException {
    String ns = TestNamespace.create(client, "samples");
    List<Path> samples = sageMakerSamples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(6);
    simulator.faults().throttle(0.5, 7);
    try {
      long started = System.nanoTime();
      for (Path sample : samples) {
        try (InputStream in = Files.newInputStream(sample)) {
          client.load(in).inNamespace(ns).serverSideApply();
        }
      }

      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  endpoints(ns).stream().allMatch(SageMakerSamplesIT::ready)
                      && components(ns).stream().allMatch(SageMakerSamplesIT::ready)
                      && policies(ns).stream().allMatch(SageMakerSamplesIT::ready));
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "[ebb-tests] %d samples (%d endpoints, %d components, %d scaling policies) converged"
              + " with 50%% of calls"
              + " throttled in %.1f s%n",
          samples.size(),
          endpoints(ns).size(),
          components(ns).size(),
          policies(ns).size(),
          seconds);

      List<Call> calls = simulator.calls();
      assertThat(calls).as("throttling was in force").anyMatch(Call::throttled);
      // Tests poll every second (production: 30 s); a few extra looks come from events.
      long budget = (long) Math.ceil(seconds) + 3;
      for (InferenceEndpoint endpoint : endpoints(ns)) {
        String name = endpoint.getStatus().endpointName();
        assertThat(served(calls, "DescribeEndpoint", "EndpointName", name))
            .as("served DescribeEndpoint calls for %s in %.1f s", name, seconds)
            .isBetween(1L, budget);
      }
      for (InferenceComponent component : components(ns)) {
        String name = component.getStatus().inferenceComponentName();
        assertThat(served(calls, "DescribeInferenceComponent", "InferenceComponentName", name))
            .as("served DescribeInferenceComponent calls for %s in %.1f s", name, seconds)
            .isBetween(1L, budget);
      }
      assertThat(endpoints(ns)).hasSize(samples.size());
      assertThat(components(ns)).isNotEmpty();
      assertThat(policies(ns)).hasSize(2);
      assertThat(scalingLeftBehind(ns)).as("the policies' objects exist").isNotEmpty();
      assertThat(ownedBy(ns)).isNotEmpty();

      for (Path sample : samples) {
        try (InputStream in = Files.newInputStream(sample)) {
          client.load(in).inNamespace(ns).delete();
        }
      }

      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> endpoints(ns).isEmpty() && components(ns).isEmpty() && policies(ns).isEmpty());
      assertThat(ownedBy(ns)).as("SageMaker resources left behind").isEmpty();
      assertThat(scalingLeftBehind(ns)).as("scaling objects left behind").isEmpty();
    } finally {
      simulator.faults().throttle(0);
    }
  }

  private static List<Path> sageMakerSamples() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      List<Path> samples = new ArrayList<>();
      for (Path file : files.sorted().toList()) {
        String text = Files.readString(file);
        if (text.contains("kind: InferenceEndpoint") && !text.contains("backend: local")) {
          samples.add(file);
        }
      }
      return samples;
    }
  }

  private static List<InferenceEndpoint> endpoints(String ns) {
    return client.resources(InferenceEndpoint.class).inNamespace(ns).list().getItems();
  }

  private static List<InferenceComponent> components(String ns) {
    return client.resources(InferenceComponent.class).inNamespace(ns).list().getItems();
  }

  private static List<ScalingPolicy> policies(String ns) {
    return client.resources(ScalingPolicy.class).inNamespace(ns).list().getItems();
  }

  /**
   * Scaling objects for namespace {@code ns}: targets and actions on its resources (their names
   * start with the namespace), and alarms named for its policies.
   */
  private List<String> scalingLeftBehind(String ns) {
    List<String> left = new ArrayList<>();
    for (String region : REGIONS) {
      Snapshot.Scaling scaling = simulator.scaling(region);
      scaling.scalableTargets().stream()
          .map(t -> t.path("ResourceId").asText())
          .filter(id -> id.contains("/" + ns + "-"))
          .forEach(id -> left.add("scalable target " + id));
      scaling.scalingPolicies().stream()
          .filter(p -> p.path("ResourceId").asText().contains("/" + ns + "-"))
          .forEach(p -> left.add("scaling policy " + p.path("PolicyName").asText()));
      scaling.scheduledActions().stream()
          .filter(a -> a.path("ResourceId").asText().contains("/" + ns + "-"))
          .forEach(a -> left.add("scheduled action " + a.path("ScheduledActionName").asText()));
      scaling.alarms().stream()
          .map(a -> a.path("AlarmName").asText())
          .filter(n -> n.startsWith("ebb-" + ns + "-") || n.contains("/" + ns + "-"))
          .forEach(n -> left.add("alarm " + n));
    }
    return left;
  }

  private static boolean ready(CustomResource<?, ? extends ConditionedStatus> object) {
    ConditionedStatus status = object.getStatus();
    if (status == null || status.condition(Condition.READY) == null) {
      return false;
    }
    return "True".equals(status.condition(Condition.READY).status())
        && object.getMetadata().getGeneration().equals(status.observedGeneration());
  }

  private static long served(List<Call> calls, String operation, String member, String name) {
    return calls.stream()
        .filter(c -> c.operation().equals(operation) && !c.throttled())
        .filter(c -> name.equals(c.request().path(member).asText()))
        .count();
  }

  /** Names of every SageMaker resource, in any region, tagged as made for namespace {@code ns}. */
  private List<String> ownedBy(String ns) {
    List<String> owned = new ArrayList<>();
    for (String region : REGIONS) {
      Snapshot.Region state = simulator.region(region);
      state.models().values().stream()
          .filter(m -> inNamespace(m.tags(), ns))
          .forEach(m -> owned.add("model " + m.name()));
      state.endpointConfigs().values().stream()
          .filter(c -> inNamespace(c.tags(), ns))
          .forEach(c -> owned.add("endpoint config " + c.name()));
      state.endpoints().values().stream()
          .filter(e -> inNamespace(e.tags(), ns))
          .forEach(e -> owned.add("endpoint " + e.name()));
      state.components().values().stream()
          .filter(c -> inNamespace(c.tags(), ns))
          .forEach(c -> owned.add("inference component " + c.name()));
    }
    return owned;
  }

  private static boolean inNamespace(Map<String, String> tags, String ns) {
    return ns.equals(tags.get(OwnerTags.NAMESPACE));
  }
}
