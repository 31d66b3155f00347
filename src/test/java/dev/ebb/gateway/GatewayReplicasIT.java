package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SecondReplicaResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * Two gateway replicas: this test's operator (which runs the autoscaling loop, as the leader does)
 * and a second Ebb process that reconciles nothing (as a replica that is not the leader). Demand
 * held by the second wakes the component through the first, and the first scales on the sum of both
 * replicas' load.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
@QuarkusTestResource(SecondReplicaResource.class)
class GatewayReplicasIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final KubernetesClient client = EmbeddedApiServer.newClient();

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int leaderPort;

  @ConfigProperty(name = "ebb.test.second-replica-port")
  int followerPort;

  private String ns;
  private FakeNodeAgent agent;

  @BeforeEach
  void setUp() {
    ns = TestNamespace.create(client, "replicas");
    agent =
        new FakeNodeAgent(
            client, ns, Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(700));
  }

  @AfterEach
  void tearDown() {
    client.resources(ScalingPolicy.class).inNamespace(ns).delete();
    agent.close();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void requestsHeldByAReplicaThatIsNotTheLeaderWakeTheComponent() throws Exception {
    apply(LocalManifests.cpuComponent(0) + LocalManifests.wakePolicy(2));
    LocalManifests.awaitPolicyTracked(client, ns, TIMEOUT);

    List<InvokeEndpointResponse> answers;
    Instant first;
    try (SageMakerRuntimeClient follower = GatewayClients.runtime(followerPort)) {
      // The SDK's first call in a JVM loads and initialises much: the client's time, not Ebb's.
      assertThatThrownBy(
              () ->
                  follower.invokeEndpoint(
                      r -> r.endpointName("warm-up").body(SdkBytes.fromUtf8String("x"))))
          .isInstanceOf(ValidationErrorException.class);
      first = Instant.now();
      answers =
          GatewayClients.concurrently(
              10,
              id ->
                  follower.invokeEndpoint(
                      r ->
                          r.endpointName(SageMakerNames.forObject(ns, "cpu"))
                              .contentType("text/plain")
                              .body(SdkBytes.fromUtf8String("request " + id))));
    }
    for (int i = 0; i < answers.size(); i++) {
      assertThat(answers.get(i).body().asUtf8String()).isEqualTo("request " + i);
    }
    var activity = policy().getStatus().lastScalingActivity();
    assertThat(activity.trigger()).isEqualTo("Demand");
    assertThat(activity.to()).isEqualTo(1);
    System.out.printf(
        "[ebb-tests] demand held by the second replica: the leader's scale command %d ms after"
            + " the first request%n",
        Duration.between(first, Instant.parse(activity.time())).toMillis());
  }

  @Test
  void theLeaderScalesOutOnTheSumOfBothReplicasConcurrency() throws Exception {
    // Each replica alone keeps 2 requests in flight on the one copy: below the target of 3.
    // Together they keep 4: above it, so the leader must add a copy.
    apply(
        LocalManifests.cpuComponent(1)
            + """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: tiny}
            spec:
              targetRef: {kind: InferenceComponent, name: tiny}
              minCapacity: 1
              maxCapacity: 3
              targetTracking:
              - {metric: ConcurrentRequestsPerCopy, targetValue: 3, scaleOutCooldownSeconds: 0}
            """);
    LocalManifests.awaitPolicyTracked(client, ns, TIMEOUT);
    LocalManifests.awaitReadyCopies(client, ns, 1, TIMEOUT);

    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<Future<?>> load = new ArrayList<>();
    try (SageMakerRuntimeClient leader = GatewayClients.runtime(leaderPort);
        SageMakerRuntimeClient follower = GatewayClients.runtime(followerPort)) {
      for (SageMakerRuntimeClient replica : List.of(leader, leader, follower, follower)) {
        load.add(
            threads.submit(
                () -> {
                  while (loading.get()) {
                    try {
                      replica.invokeEndpoint(
                          r ->
                              r.endpointName(SageMakerNames.forObject(ns, "cpu"))
                                  .customAttributes("sleep=500")
                                  .body(SdkBytes.fromUtf8String("x")));
                    } catch (RuntimeException e) {
                      failures.incrementAndGet();
                    }
                  }
                }));
      }
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                var activity = policy().getStatus().lastScalingActivity();
                assertThat(activity).isNotNull();
                assertThat(activity.to()).isEqualTo(2);
              });
      loading.set(false);
      for (Future<?> f : load) {
        f.get();
      }
    } finally {
      loading.set(false);
      threads.shutdownNow();
    }
    var activity = policy().getStatus().lastScalingActivity();
    assertThat(activity.cause()).contains("ConcurrentRequestsPerCopy");
    assertThat(failures).hasValue(0);
  }

  // --- helpers -----------------------------------------------------------------------------

  private ScalingPolicy policy() {
    return client.resources(ScalingPolicy.class).inNamespace(ns).withName("tiny").get();
  }

  private void apply(String yaml) {
    client
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(ns)
        .serverSideApply();
  }
}
