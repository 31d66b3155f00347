package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.EbbProcess;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.ReadyPods;
import dev.ebb.testing.TestNamespace;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointAsyncResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/**
 * Accepted work survives the death of a replica (issue 16, item 4). Two replicas of the packaged
 * operator (prod profile: leader election on), peers of each other, against the SageMaker
 * simulator's S3; one of them is killed with SIGKILL ({@link EbbProcess#kill}).
 *
 * <ul>
 *   <li>The leader accepts 50 asynchronous invocations (and the other replica 5) while the
 *       component's one copy cannot load; it is killed; the other replica takes the Lease, resumes
 *       every recorded invocation, and each reaches the model server exactly once and has exactly
 *       one output.
 *   <li>Synchronous requests held by a third replica that never leads, for a component at zero
 *       copies, across the leader's death (sent after the SIGKILL, before the other replica takes
 *       the Lease): the new leader learns of them from the holding replica and wakes the component,
 *       and every one is answered.
 * </ul>
 */
class DurableAsyncIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("durable", TIMEOUT);

  private static SageMakerSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator = SageMakerSimulator.builder().delays(Delays.defaults()).build().start();
  }

  @AfterAll
  static void stopSimulator() {
    if (simulator != null) {
      simulator.close();
    }
  }

  /** Two replicas, leader and follower, peers of each other. */
  private record Replicas(EbbProcess leader, EbbProcess follower, String leaderIdentity)
      implements AutoCloseable {
    @Override
    public void close() {
      leader.close();
      follower.close();
    }
  }

  /**
   * Replicas A and B on {@code portA} and {@code portB}, competing for the Lease in {@code leases},
   * peers of each other and of the replicas on {@code others}.
   */
  private Replicas startReplicas(TestNamespace leases, int portA, int portB, int... others) {
    EbbProcess a =
        EbbProcess.startAgainstTestApiServer(
            "durable-a", properties(leases, portA, peers(portB, others)));
    EbbProcess b =
        EbbProcess.startAgainstTestApiServer(
            "durable-b", properties(leases, portB, peers(portA, others)));
    try {
      a.awaitReady(Duration.ofSeconds(120));
      b.awaitReady(Duration.ofSeconds(120));
    } catch (RuntimeException e) {
      a.close();
      b.close();
      throw e;
    }
    String holder = awaitLeaseHolder(leases, null);
    return holder.startsWith("durable-a_")
        ? new Replicas(a, b, holder)
        : new Replicas(b, a, holder);
  }

  private static String peers(int port, int... others) {
    StringBuilder peers = new StringBuilder("http://localhost:" + port);
    for (int other : others) {
      peers.append(",http://localhost:").append(other);
    }
    return peers.toString();
  }

  private static Map<String, String> properties(TestNamespace leases, int port, String peers) {
    Map<String, String> p = new HashMap<>();
    p.put("quarkus.http.port", String.valueOf(port));
    p.put("ebb.leader-election.namespace", leases.name());
    p.put("ebb.leader-election.lease-duration", "4s");
    p.put("ebb.leader-election.renew-deadline", "3s");
    p.put("ebb.leader-election.retry-period", "1s");
    p.put("ebb.cluster.peer-token", "durable-peer-token");
    p.put("ebb.cluster.peers", peers);
    p.put("ebb.gateway.async-scan-interval", "2s");
    p.put("ebb.aws.endpoint-override", simulator.endpoint().toString());
    p.put("ebb.aws.default-region", "us-east-1");
    p.put(
        "ebb.aws.default-execution-role-arn", "arn:aws:iam::123456789012:role/EbbDefaultSageMaker");
    p.put("aws.accessKeyId", "test");
    p.put("aws.secretAccessKey", "test");
    return p;
  }

  @Test
  void asyncInvocationsAcceptedByAReplicaKilledWithSigkillEachRunExactlyOnceOnTheNewLeader()
      throws Exception {
    String bucket = "ebb-" + ns.name();
    simulator.s3().createBucket(bucket);
    Path gate = Files.createTempFile("durable-gate", "");
    Files.delete(gate);
    FakeNodeAgent agent =
        new FakeNodeAgent(
            ns.client(), ns.name(), Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(300));
    // The one copy cannot load until the test says so: every invocation stays accepted, unrun.
    agent.gateLoading(gate);
    TestNamespace leases = ns.another("ebb-system");
    try (Replicas replicas = startReplicas(leases, EbbProcess.freePort(), EbbProcess.freePort())) {
      ns.apply(
          LocalManifests.cpuComponent(
              1,
              "",
              "  async: {outputPath: 's3://%s/out/', maxConcurrentInvocationsPerInstance: 4}\n"
                      .formatted(bucket)
                  + LocalManifests.PUBLIC));
      String endpoint = SageMakerNames.forObject(ns.name(), "cpu");
      int onLeader = 50;
      int onFollower = 5;
      for (int i = 0; i < onLeader + onFollower; i++) {
        simulator.s3().put(bucket, "in/" + i + ".json", "{\"n\": " + i + "}");
      }
      List<InvokeEndpointAsyncResponse> accepted = new ArrayList<>();
      try (SageMakerRuntimeClient leader = GatewayClients.runtime(replicas.leader().httpPort);
          SageMakerRuntimeClient follower = GatewayClients.runtime(replicas.follower().httpPort)) {
        for (int i = 0; i < onLeader + onFollower; i++) {
          SageMakerRuntimeClient to = i < onLeader ? leader : follower;
          String input = "s3://" + bucket + "/in/" + i + ".json";
          InvokeEndpointAsyncResponse a =
              await()
                  .atMost(TIMEOUT)
                  .ignoreExceptions()
                  .until(
                      () ->
                          to.invokeEndpointAsync(
                              r ->
                                  r.endpointName(endpoint)
                                      .inputLocation(input)
                                      .contentType("application/json")),
                      r -> r != null);
          assertThat(simulator.s3().object(bucket, "out/ebb-pending/" + a.inferenceId() + ".json"))
              .as("recorded in S3 before the 202")
              .isPresent();
          accepted.add(a);
        }
      }
      assertThat(simulator.s3().keys(bucket, "out/ebb-pending/")).hasSize(onLeader + onFollower);
      assertThat(outputs(bucket)).as("no copy is ready: nothing ran yet").isEmpty();

      replicas.leader().kill();
      awaitLeaseHolder(leases, replicas.leaderIdentity());
      Files.createFile(gate);

      for (int i = 0; i < accepted.size(); i++) {
        String location = accepted.get(i).outputLocation();
        String expected = "{\"n\": " + i + "}";
        await()
            .atMost(TIMEOUT)
            .until(() -> simulator.s3().text(location).orElse(""), expected::equals);
      }
      await()
          .atMost(TIMEOUT)
          .until(() -> simulator.s3().keys(bucket, "out/ebb-pending/"), List::isEmpty);
      // Two more scans: nothing may run again.
      Thread.sleep(5_000);
      assertThat(outputs(bucket)).hasSize(onLeader + onFollower);
      assertThat(invocationsAtTheCopies())
          .as("each accepted invocation reached the model server exactly once")
          .isEqualTo(onLeader + onFollower);
    } finally {
      agent.close();
    }
  }

  @Test
  void requestsHeldByAReplicaThatIsNotTheLeaderAcrossTheLeadersDeathAreAllAnswered()
      throws Exception {
    FakeNodeAgent agent =
        new FakeNodeAgent(
            ns.client(), ns.name(), Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(700));
    TestNamespace leases = ns.another("ebb-system");
    ExecutorService threads = Executors.newFixedThreadPool(10);
    int portA = EbbProcess.freePort();
    int portB = EbbProcess.freePort();
    int portC = EbbProcess.freePort();
    // The third replica serves the gateway only: it reconciles a namespace that does not exist and
    // competes for a Lease of its own, so it never becomes the leader of A and B's Lease. Requests
    // held there must wake the component through whichever of A and B leads.
    Map<String, String> gatewayOnly =
        new HashMap<>(properties(ns.another("ebb-other"), portC, peers(portA, portB)));
    gatewayOnly.put("quarkus.operator-sdk.namespaces", "ebb-no-such-namespace");
    try (EbbProcess holding = EbbProcess.startAgainstTestApiServer("durable-c", gatewayOnly);
        Replicas replicas = startReplicas(leases, portA, portB, portC);
        SageMakerRuntimeClient atC =
            GatewayClients.runtime(
                holding.httpPort, o -> o.apiCallTimeout(Duration.ofSeconds(90)))) {
      holding.awaitReady(Duration.ofSeconds(120));
      ns.apply(LocalManifests.cpuComponent(0) + LocalManifests.wakePolicy(1));
      LocalManifests.awaitPolicyTracked(ns);
      String endpoint = SageMakerNames.forObject(ns.name(), "cpu");
      // The holding replica's gateway knows the endpoint (else requests are refused at once).
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .until(
              () ->
                  !HTTP.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      "http://localhost:"
                                          + replicas.follower().httpPort
                                          + "/endpoints/"
                                          + endpoint
                                          + "/invocations"))
                              .header("X-Amzn-SageMaker-Target-Variant", "NoSuchVariant")
                              .POST(HttpRequest.BodyPublishers.ofString("x"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains("not found"));

      replicas.leader().kill();
      int n = 10;
      List<CompletableFuture<InvokeEndpointResponse>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        calls.add(
            CompletableFuture.supplyAsync(
                () ->
                    atC.invokeEndpoint(
                        r ->
                            r.endpointName(endpoint)
                                .contentType("text/plain")
                                .body(SdkBytes.fromUtf8String("held " + id))),
                threads));
      }
      Lease lease = leases.get(Lease.class, "ebb-operator");
      assertThat(lease.getSpec().getHolderIdentity())
          .as("the requests were held before another replica took the Lease")
          .isEqualTo(replicas.leaderIdentity());

      for (int i = 0; i < n; i++) {
        assertThat(calls.get(i).get().body().asUtf8String()).isEqualTo("held " + i);
      }
      assertThat(awaitLeaseHolder(leases, replicas.leaderIdentity())).startsWith("durable-");
      var activity = ns.get(ScalingPolicy.class, "tiny").getStatus().lastScalingActivity();
      assertThat(activity.to()).as("the new leader woke the component").isEqualTo(1);
    } finally {
      threads.shutdownNow();
      ns.resources(ScalingPolicy.class).delete();
      agent.close();
    }
  }

  /** The output objects (not the records) under {@code out/}. */
  private static List<String> outputs(String bucket) {
    return simulator.s3().keys(bucket, "out/").stream()
        .filter(k -> !k.startsWith("out/ebb-pending/"))
        .toList();
  }

  /** The invocations every ready copy of the component has served (TinyModelServer counts). */
  private static int invocationsAtTheCopies() throws Exception {
    int sum = 0;
    for (var pod : ReadyPods.await(ns, 1)) {
      sum +=
          Integer.parseInt(
              HTTP.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://"
                                      + pod.getStatus().getPodIP()
                                      + ":8080/invocation-count"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body()
                  .trim());
    }
    return sum;
  }

  /** The Lease's holder, once there is one other than {@code not}. */
  private static String awaitLeaseHolder(TestNamespace leases, String not) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              var lease = leases.get(Lease.class, "ebb-operator");
              return lease == null ? null : lease.getSpec().getHolderIdentity();
            },
            holder -> holder != null && !holder.isEmpty() && !holder.equals(not));
  }
}
