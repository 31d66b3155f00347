package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.EffectivePolicy;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.config.LocalConfig;
import dev.ebb.simulator.ManualClock;
import dev.ebb.testing.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local autoscaling loop on hand-written doubles of its ports (copies, capacity, events, the
 * loop's thread), one rule per test, on a stepped clock: no API server, no threads.
 */
class LocalAutoscalerTest {
  private static final ComponentKey LLAMA = new ComponentKey("ml", "llama3-8b-local");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T09:00:00Z"));
  private final FakeCopies copies = new FakeCopies();
  private final RecordingCapacity capacity = new RecordingCapacity();
  private final RecordingEvents events = new RecordingEvents();
  private final InlineLoop loop = new InlineLoop();
  private final LocalMetrics metrics = new LocalMetrics(clock);
  private final List<LocalAutoscaler.PolicyKey> changes = new ArrayList<>();
  private LocalAutoscaler autoscaler;

  @BeforeEach
  void loopOnDoubles() {
    autoscaler =
        new LocalAutoscaler(
            copies,
            capacity,
            clock,
            metrics,
            new Config(),
            new SimpleMeterRegistry(),
            events,
            () -> loop);
    autoscaler.onChange(changes::add);
  }

  @Test
  void withoutItsDeploymentThePolicySaysTheTargetIsMissingAndNothingIsWritten() {
    var view = track(policy("scaleFromZero: {adjustment: 1}"));

    assertThat(view.targetFound()).isFalse();
    assertThat(capacity.writes).isEmpty();
    assertThat(copies.watched).containsExactly("ml");
  }

  @Test
  void aRequestHeldAtZeroScalesOutAtOnceAndIsToldAsAnEvent() {
    copies.deployment(LLAMA, 0, "1");
    track(policy("scaleFromZero: {adjustment: 2}"));

    metrics.holding(LLAMA, 1);

    assertThat(capacity.writes).containsExactly(LLAMA.name() + "=2");
    assertThat(events.told).singleElement().asString().startsWith("ScaledOut");
    assertThat(changes).isNotEmpty();
  }

  @Test
  void untilTheDeploymentShowsItTheLoopsOwnWriteIsTheDesiredCount() {
    copies.deployment(LLAMA, 0, "1");
    track(policy("scaleFromZero: {adjustment: 1}"));
    metrics.holding(LLAMA, 3);
    assertThat(capacity.writes).hasSize(1);

    // The informer still shows 0 replicas at the same version: no second decision.
    metrics.holding(LLAMA, 3);
    loop.tick();

    assertThat(capacity.writes).as("one scale-out, not one per look").hasSize(1);
  }

  @Test
  void aRefusedWriteStartsNoCooldownAndTellsNothing() {
    copies.deployment(LLAMA, 0, "1");
    capacity.refuse = true;
    track(policy("scaleFromZero: {adjustment: 1}"));

    metrics.holding(LLAMA, 1);
    assertThat(events.told).isEmpty();

    capacity.refuse = false;
    metrics.holding(LLAMA, 1);
    assertThat(capacity.writes)
        .as("tried again at once: the refused write left no cooldown behind")
        .containsExactly(LLAMA.name() + "=1");
  }

  @Test
  void theLastCopyGoesAfterTheIdleWindowWithoutRequests() {
    copies.deployment(LLAMA, 1, "1");
    track(policy("idle: {scaleToZeroAfterSeconds: 600}"));
    loop.tick();
    assertThat(capacity.writes).isEmpty();

    clock.advance(Duration.ofMinutes(16));
    loop.tick();

    assertThat(capacity.writes).containsExactly(LLAMA.name() + "=0");
    assertThat(events.told).singleElement().asString().startsWith("ScaledIn");
  }

  @Test
  void anUntrackedPolicyIsNoLongerEvaluated() {
    copies.deployment(LLAMA, 0, "1");
    ScalingPolicy policy = policy("scaleFromZero: {adjustment: 1}");
    track(policy);

    autoscaler.untrack(policy);
    metrics.holding(LLAMA, 1);
    loop.tick();

    assertThat(capacity.writes).isEmpty();
  }

  @Test
  void newBoundsInTheSpecReplaceWhatAScheduleSet() {
    copies.deployment(LLAMA, 1, "1");
    track(policy("minCapacity: 0\n  maxCapacity: 4"));
    var view =
        autoscaler.track(
            policy("minCapacity: 2\n  maxCapacity: 4", 2),
            PolicyRules.of(
                EffectivePolicy.of(policy("minCapacity: 2\n  maxCapacity: 4", 2).getSpec())),
            LLAMA,
            Optional.empty());

    assertThat(view.persisted().bounds().min()).isEqualTo(2);
    assertThat(capacity.writes).as("below the new min").containsExactly(LLAMA.name() + "=2");
  }

  // --- the doubles -------------------------------------------------------------------------

  private LocalAutoscaler.View track(ScalingPolicy policy) {
    return autoscaler.track(
        policy, PolicyRules.of(EffectivePolicy.of(policy.getSpec())), LLAMA, Optional.empty());
  }

  private static ScalingPolicy policy(String rules) {
    return policy(rules, 1);
  }

  /** A policy on the component; {@code rules} are spec lines (bounds default to 0..4). */
  private static ScalingPolicy policy(String rules, long generation) {
    String bounds = rules.contains("minCapacity") ? "" : "minCapacity: 0\n  maxCapacity: 4\n  ";
    return Manifests.parse(
        ScalingPolicy.class,
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: llama3-8b-local, namespace: ml}
        spec:
          targetRef: {kind: InferenceComponent, name: llama3-8b-local}
          %s%s
        """
            .formatted(bounds, rules),
        generation);
  }

  /** Deployments by component; a write moves the replicas and the version, as the API does. */
  private static final class FakeCopies implements CopiesSource {
    final List<String> watched = new ArrayList<>();
    final Map<ComponentKey, Deployment> deployments = new HashMap<>();

    void deployment(ComponentKey key, int replicas, String version) {
      deployments.put(
          key,
          new DeploymentBuilder()
              .withNewMetadata()
              .withName(key.name())
              .withNamespace(key.namespace())
              .withResourceVersion(version)
              .endMetadata()
              .withNewSpec()
              .withReplicas(replicas)
              .endSpec()
              .withNewStatus()
              .withReadyReplicas(replicas)
              .endStatus()
              .build());
    }

    @Override
    public void watch(String namespace) {
      if (!watched.contains(namespace)) {
        watched.add(namespace);
      }
    }

    @Override
    public Optional<Deployment> deployment(ComponentKey component) {
      return Optional.ofNullable(deployments.get(component));
    }

    @Override
    public List<Pod> pods(ComponentKey component) {
      return List.of();
    }

    @Override
    public void close() {}
  }

  /** Records writes (not applied: the Deployment shows them only when a test says so). */
  private static final class RecordingCapacity implements CapacityWriter {
    final List<String> writes = new ArrayList<>();
    boolean refuse;

    @Override
    public void scale(Deployment deployment, int copies) {
      if (refuse) {
        throw new IllegalStateException("the API server refused the write");
      }
      writes.add(deployment.getMetadata().getName() + "=" + copies);
    }
  }

  private static final class RecordingEvents implements ScalingEvents {
    final List<String> told = new ArrayList<>();

    @Override
    public void scaled(HasMetadata policy, String direction, String message, Instant at) {
      told.add(direction + ": " + message);
    }
  }

  /** Runs submitted work at once, on the test's thread; the tick runs when the test says. */
  private static final class InlineLoop implements EvaluationLoop {
    private final List<Runnable> periodic = new ArrayList<>();

    @Override
    public void submit(Runnable work) {
      work.run();
    }

    @Override
    public void every(Duration period, Runnable work) {
      periodic.add(work);
    }

    void tick() {
      periodic.forEach(Runnable::run);
    }

    @Override
    public void stop() {}
  }

  private static final class Config implements LocalConfig {
    @Override
    public String modelFetcherImage() {
      return "ghcr.io/ebb-dev/ebb:test";
    }

    @Override
    public Duration autoscalingTick() {
      return Duration.ofSeconds(2);
    }

    @Override
    public Duration unschedulableTimeout() {
      return Duration.ofMinutes(10);
    }

    @Override
    public Duration metricsScrapeInterval() {
      return Duration.ofSeconds(10);
    }

    @Override
    public NetworkPolicy networkPolicy() {
      return new NetworkPolicy() {
        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public Optional<String> gatewayNamespace() {
          return Optional.empty();
        }

        @Override
        public Optional<String> gatewaySelector() {
          return Optional.empty();
        }
      };
    }

    @Override
    public GpuMetrics gpuMetrics() {
      return new GpuMetrics() {
        @Override
        public Optional<String> exporterSelector() {
          return Optional.empty();
        }

        @Override
        public Optional<String> exporterNamespace() {
          return Optional.empty();
        }

        @Override
        public int exporterPort() {
          return 9400;
        }

        @Override
        public String exporterPath() {
          return "/metrics";
        }
      };
    }
  }
}
