package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.ConditionedStatus;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.OwnerTags;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespace;
import dev.ebb.testing.TestNamespaceExtension;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  /** Half the calls fail, and each is retried with backoff. */
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("samples", TIMEOUT);

  SageMakerSimulator simulator;

  @Test
  void everySampleConvergesWithHalfOfAllCallsThrottledAndDeletingLeavesNothing()
      throws IOException {
    List<Path> samples = sageMakerSamples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(6);
    simulator.faults().throttle(0.5, 7);
    try {
      long started = System.nanoTime();
      for (Path sample : samples) {
        ns.apply(sample);
      }

      try {
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    endpoints().stream().allMatch(TestNamespace::ready)
                        && components().stream().allMatch(TestNamespace::ready)
                        && policies().stream().allMatch(TestNamespace::ready));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // Say which objects did not converge, and what their status says.
        List<String> waiting = new java.util.ArrayList<>();
        waiting.addAll(notReady(endpoints()));
        waiting.addAll(notReady(components()));
        waiting.addAll(notReady(policies()));
        throw new AssertionError("not converged: " + waiting, e);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "[ebb-tests] %d samples (%d endpoints, %d components, %d scaling policies) converged"
              + " with 50%% of calls"
              + " throttled in %.1f s%n",
          samples.size(), endpoints().size(), components().size(), policies().size(), seconds);

      List<Call> calls = simulator.calls();
      assertThat(calls).as("throttling was in force").anyMatch(Call::throttled);
      // Tests poll every second (production: 30 s); a few extra looks come from events.
      long budget = (long) Math.ceil(seconds) + 3;
      for (InferenceEndpoint endpoint : endpoints()) {
        String name = endpoint.getStatus().endpointName();
        assertThat(served(calls, "DescribeEndpoint", "EndpointName", name))
            .as("served DescribeEndpoint calls for %s in %.1f s", name, seconds)
            .isBetween(1L, budget);
      }
      for (InferenceComponent component : components()) {
        String name = component.getStatus().inferenceComponentName();
        assertThat(served(calls, "DescribeInferenceComponent", "InferenceComponentName", name))
            .as("served DescribeInferenceComponent calls for %s in %.1f s", name, seconds)
            .isBetween(1L, budget);
      }
      assertThat(endpoints()).hasSize(samples.size());
      assertThat(components()).isNotEmpty();
      assertThat(policies()).hasSize(2);
      assertThat(scalingLeftBehind()).as("the policies' objects exist").isNotEmpty();
      assertThat(ownedBy()).isNotEmpty();

      for (Path sample : samples) {
        try (InputStream in = Files.newInputStream(sample)) {
          ns.client().load(in).inNamespace(ns.name()).delete();
        }
      }

      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> endpoints().isEmpty() && components().isEmpty() && policies().isEmpty());
      assertThat(ownedBy()).as("SageMaker resources left behind").isEmpty();
      assertThat(scalingLeftBehind()).as("scaling objects left behind").isEmpty();
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

  private static List<String> notReady(
      List<? extends io.fabric8.kubernetes.client.CustomResource<?, ? extends ConditionedStatus>>
          objects) {
    return objects.stream()
        .filter(o -> !TestNamespace.ready(o))
        .map(
            o ->
                o.getKind()
                    + "/"
                    + o.getMetadata().getName()
                    + ": "
                    + (o.getStatus() == null ? "no status" : o.getStatus().conditions()))
        .toList();
  }

  private static List<InferenceEndpoint> endpoints() {
    return ns.resources(InferenceEndpoint.class).list().getItems();
  }

  private static List<InferenceComponent> components() {
    return ns.resources(InferenceComponent.class).list().getItems();
  }

  private static List<ScalingPolicy> policies() {
    return ns.resources(ScalingPolicy.class).list().getItems();
  }

  /**
   * Scaling objects for the test's namespace: targets and actions on its resources (their names
   * start with the namespace), and alarms named for its policies.
   */
  private List<String> scalingLeftBehind() {
    String namespace = ns.name();
    List<String> left = new ArrayList<>();
    for (String region : REGIONS) {
      Snapshot.Scaling scaling = simulator.scaling(region);
      scaling.scalableTargets().stream()
          .map(t -> t.path("ResourceId").asText())
          .filter(id -> id.contains("/" + namespace + "-"))
          .forEach(id -> left.add("scalable target " + id));
      scaling.scalingPolicies().stream()
          .filter(p -> p.path("ResourceId").asText().contains("/" + namespace + "-"))
          .forEach(p -> left.add("scaling policy " + p.path("PolicyName").asText()));
      scaling.scheduledActions().stream()
          .filter(a -> a.path("ResourceId").asText().contains("/" + namespace + "-"))
          .forEach(a -> left.add("scheduled action " + a.path("ScheduledActionName").asText()));
      scaling.alarms().stream()
          .map(a -> a.path("AlarmName").asText())
          .filter(n -> n.startsWith("ebb-" + namespace + "-") || n.contains("/" + namespace + "-"))
          .forEach(n -> left.add("alarm " + n));
    }
    return left;
  }

  private static long served(List<Call> calls, String operation, String member, String name) {
    return calls.stream()
        .filter(c -> c.operation().equals(operation) && !c.throttled())
        .filter(c -> name.equals(c.request().path(member).asText()))
        .count();
  }

  /** Names of every SageMaker resource, in any region, tagged as made for the test's namespace. */
  private List<String> ownedBy() {
    List<String> owned = new ArrayList<>();
    for (String region : REGIONS) {
      Snapshot.Region state = simulator.region(region);
      state.models().values().stream()
          .filter(m -> inNamespace(m.tags()))
          .forEach(m -> owned.add("model " + m.name()));
      state.endpointConfigs().values().stream()
          .filter(c -> inNamespace(c.tags()))
          .forEach(c -> owned.add("endpoint config " + c.name()));
      state.endpoints().values().stream()
          .filter(e -> inNamespace(e.tags()))
          .forEach(e -> owned.add("endpoint " + e.name()));
      state.components().values().stream()
          .filter(c -> inNamespace(c.tags()))
          .forEach(c -> owned.add("inference component " + c.name()));
    }
    return owned;
  }

  private static boolean inNamespace(Map<String, String> tags) {
    return ns.name().equals(tags.get(OwnerTags.NAMESPACE));
  }
}
