package dev.ebb.helm;

import static dev.ebb.testing.TestNamespace.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.ConditionedStatus;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.helm.HelmChart.Values;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.EbbProcess;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.TestNamespace;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart's RBAC is enough, and all of it is needed. On an API server of its own (RBAC
 * authorization, an audit log of every ServiceAccount request), the test creates the chart's
 * namespace, ServiceAccount, Roles and bindings as rendered, mints the ServiceAccount a token with
 * the TokenRequest API, and runs the packaged operator as two separate processes (leader and
 * follower) authenticated by that token only, with the chart's environment (tenancy on: the
 * SageMaker sample goes Ready only if Ebb can read the tenancy ConfigMap through its Role). The
 * operator takes the Lease, reconciles the local sample (its Deployment and Service; a fake kubelet
 * runs its copy) and a SageMaker sample (against the simulator) to Ready, records a Warning event,
 * serves invocations through both replicas' gateways with an API key and with a ServiceAccount
 * token, scales a component and removes finalizers on delete. Then: no "forbidden" in either log,
 * no request refused in the audit log, and every permission the chart grants was used (but for the
 * few listed with the rare path that needs them). Each of these is a named scenario below, run in
 * order on the one installation; a failure names the step that broke.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacIT {
  private static final String NS = "ebb-system";
  private static final String SA_USER = "system:serviceaccount:" + NS + ":ebb";
  private static final Path DIR = Path.of("target", "rbac-it");
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String API_KEY = "rbac-it-key";

  /**
   * Granted, but not requested in this run, and why each is needed all the same. Everything else
   * the chart grants must show up in the audit log.
   */
  private static final Map<String, String> NOT_REQUESTED =
      Map.of(
          "ebb.dev inferenceendpoints get",
          "the operator SDK re-reads an object when removing its" + " finalizer meets a conflict",
          "ebb.dev inferencecomponents get",
          "the same",
          "ebb.dev scalingpolicies get",
          "the same",
          "ebb.dev batchtransforms get",
          "the same",
          "batch jobs create",
          "a BatchTransform on backend local (the real node's LocalBatchTransformE2EIT runs one)",
          "coordination.k8s.io leases update",
          "fabric8 renews with PATCH, but the operator SDK"
              + " refuses to start unless a SelfSubjectRulesReview lists update");

  private final HttpClient http = HttpClient.newHttpClient();

  // One installation for the scenarios below, which run in order on it.
  private long started;
  private Path auditLog;
  private List<HasMetadata> chart;
  private KubeAPIServer server;
  private KubernetesClient client;

  /** Where the samples go, as a user applies them. */
  private TestNamespace ml;

  private SageMakerSimulator simulator;
  private final List<EbbProcess> replicas = new ArrayList<>();
  private final List<String> objectsOfTheChart = new ArrayList<>();
  private EbbProcess leader;
  private EbbProcess follower;
  private Lease lease;
  private FakeNodeAgent kubelet;

  /**
   * The chart as Helm would install it, on an API server with RBAC and an audit log of every
   * ServiceAccount request, and the packaged operator as two processes authenticated by the chart
   * ServiceAccount's token only.
   */
  @BeforeAll
  void installTheChartAndStartTwoReplicas() throws Exception {
    started = System.nanoTime();
    deleteRecursively(DIR);
    Files.createDirectories(DIR);
    auditLog = DIR.resolve("audit.log").toAbsolutePath();
    Path policy = DIR.resolve("audit-policy.yaml").toAbsolutePath();
    // Metadata of every request made by a ServiceAccount, nothing else.
    Files.writeString(
        policy,
        """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: [RequestReceived]
        rules:
        - level: Metadata
          userGroups: ["system:serviceaccounts"]
        - level: None
        """);
    // The chart as Helm would install it (the CRDs are installed with the server).
    chart =
        HelmChart.objects(
            HelmChart.template(
                NS,
                Values.DEFAULTS,
                "--set",
                "aws.region=us-east-1",
                "--set",
                "aws.defaultExecutionRoleArn=arn:aws:iam::123456789012:role/ebb/EbbDefaultSageMaker",
                // Tenancy on: its ConfigMap and Role are part of what is proven enough and used;
                // the samples' namespace may use the roles under the /ebb/ path in us-east-1.
                "--set",
                "tenancy.enabled=true",
                "--set-json",
                "tenancy.tenants=[{\"namespaces\":[\"ml\"],\"executionRoleArns\":"
                    + "[\"arn:aws:iam::123456789012:role/ebb/*\"],\"regions\":[\"us-east-1\"]}]",
                // The simulator takes seconds where SageMaker takes minutes.
                "--set",
                "reconcile.transitioningPoll=1s",
                "--set",
                "reconcile.jitter=0"));
    server =
        EmbeddedApiServer.startPrivate(
            Map.of(
                "--audit-policy-file", policy.toString(),
                "--audit-log-path", auditLog.toString()));
    Config admin = Config.fromKubeconfig(server.getKubeConfigYaml());
    client = new KubernetesClientBuilder().withConfig(admin).build();
    ml = TestNamespace.of(client, "ml", TIMEOUT);
    simulator = SageMakerSimulator.builder().delays(Delays.defaults()).build().start();
    objectsOfTheChart.addAll(ChartInstall.apply(client, chart, NS));
    String token = ChartInstall.serviceAccountToken(client, NS);

    Map<String, String> env = ChartInstall.environment(chart, NS);
    env.put("EBB_AWS_ENDPOINT_OVERRIDE", simulator.endpoint().toString());
    // Never a kubeconfig or a mounted token: the SA token is the only credential.
    Map<String, String> properties = ChartInstall.credentials(admin, token);
    // A failure to record an event is logged at debug: make it visible to the log check.
    properties.put("quarkus.log.category.\"dev.ebb.reconciler.Events\".level", "DEBUG");

    leader = EbbProcess.start("ebb-0", DIR, env, properties);
    replicas.add(leader);
    leader.awaitReady(Duration.ofSeconds(90));
    follower = EbbProcess.start("ebb-1", DIR, env, properties);
    replicas.add(follower);
    follower.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  void stopEverything() {
    if (kubelet != null) {
      kubelet.close();
    }
    replicas.forEach(EbbProcess::close);
    if (simulator != null) {
      simulator.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
    System.out.printf(
        "[ebb-tests] RbacIT: %d objects of the chart applied; the operator ran as their"
            + " ServiceAccount only, in %.1f s%n",
        objectsOfTheChart.size(), (System.nanoTime() - started) / 1e9);
  }

  @Test
  @Order(1)
  void theFirstReplicaTakesTheLease() {
    lease =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> client.resources(Lease.class).inNamespace(NS).withName("ebb-operator").get(),
                l -> l != null && holder(l).startsWith("ebb-0_"));
  }

  /** The samples, in a namespace of their own, as a user applies them. */
  @Test
  @Order(2)
  void theSamplesGoReadyAndAStalledPolicyIsRecordedAsAWarning() {
    client.resource(namespace("ml")).create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("llama3-api-keys")
                .withNamespace("ml")
                .endMetadata()
                .withStringData(Map.of("key", API_KEY))
                .build())
        .create();
    // The batch sample's input, so its transform job runs to the end on the simulator.
    simulator.s3().createBucket("ml-data");
    simulator
        .s3()
        .put("ml-data", "reviews/2026-12-06/part-0.csv", "r1,great value\nr2,broke in a week\n");
    for (String sample :
        List.of("llm-local.yaml", "llm-scale-to-zero.yaml", "batch-transform.yaml")) {
      ml.apply(Path.of("config/samples", sample));
    }
    // A component without a ScalingPolicy (its copies follow spec.copies), and a policy on a
    // local endpoint's variant: it stalls (UnsupportedTarget), which Ebb records as an Event.
    String more =
        LocalManifests.cpuComponent(1)
            + """
            apiVersion: ebb.dev/v1alpha1
            kind: ScalingPolicy
            metadata: {name: by-variant}
            spec:
              targetRef: {kind: InferenceEndpoint, name: cpu, variant: AllTraffic}
              minCapacity: 1
              maxCapacity: 2
              targetTracking: [{metric: InvocationsPerInstance, targetValue: 10}]
            """;
    ml.apply(more);

    kubelet =
        new FakeNodeAgent(
            client, "ml", Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .conditionEvaluationListener(
            c -> {
              if (c.getRemainingTimeInMS() <= 1000) {
                System.out.println("[ebb-tests] RbacIT: not all Ready:\n" + summary(client));
              }
            })
        .until(
            () ->
                Stream.of("llama3-local", "llama3", "cpu")
                        .allMatch(n -> ready(ml.get(InferenceEndpoint.class, n)))
                    && Stream.of("llama3-8b-local", "llama3-8b", "tiny")
                        .allMatch(n -> ready(ml.get(InferenceComponent.class, n)))
                    && Stream.of("llama3-8b-local", "llama3-8b")
                        .allMatch(n -> ready(ml.get(ScalingPolicy.class, n)))
                    && ready(ml.get(BatchTransform.class, "score-reviews")));
    assertThat(ml.get(Deployment.class, "llama3-8b-local")).isNotNull();
    assertThat(ml.get(Service.class, "llama3-8b-local")).isNotNull();
    // EBB_GATEWAY_URL from the chart: the ebb-gateway Service of the release namespace.
    assertThat(localEndpoint().getStatus().url()).startsWith("http://ebb-gateway." + NS + "/");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ml.resources(Event.class).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "by-variant".equals(e.getInvolvedObject().getName())
                                && "Warning".equals(e.getType())
                                && "UnsupportedTarget".equals(e.getReason())));
  }

  /**
   * The gateway of either replica, with an API key (the Secret is watched) and with a
   * ServiceAccount token of namespace chat (checked by a TokenReview).
   */
  @Test
  @Order(3)
  void bothGatewaysServeWithAnApiKeyAndWithAServiceAccountToken() throws Exception {
    String endpointName = localEndpoint().getStatus().endpointName();
    String chatToken = chatToken(client);
    for (EbbProcess replica : replicas) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> invoke(replica, endpointName, "X-Api-Key", API_KEY).statusCode() == 200);
      assertThat(invoke(replica, endpointName, "X-Api-Key", API_KEY).body()).isEqualTo("hello");
      assertThat(invoke(replica, endpointName, "Authorization", "Bearer " + chatToken).statusCode())
          .isEqualTo(200);
      assertThat(invoke(replica, endpointName, "X-Api-Key", "wrong").statusCode()).isEqualTo(401);
    }
  }

  /** spec.copies without a ScalingPolicy: the scale subresource. */
  @Test
  @Order(4)
  void aComponentsCopiesAreScaled() {
    ml.resources(InferenceComponent.class)
        .withName("tiny")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"copies\":2}}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ml.get(Deployment.class, "tiny").getSpec().getReplicas() == 2);
  }

  /** Deleting everything: Ebb tears down and removes its finalizers. */
  @Test
  @Order(5)
  void deletingEverythingRemovesTheFinalizers() {
    ml.resources(InferenceComponent.class).delete();
    ml.resources(ScalingPolicy.class).delete();
    ml.resources(InferenceEndpoint.class).delete();
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                ml.resources(InferenceEndpoint.class).list().getItems().isEmpty()
                    && ml.resources(InferenceComponent.class).list().getItems().isEmpty()
                    && ml.resources(ScalingPolicy.class).list().getItems().isEmpty());
    kubelet.close();
    kubelet = null;
    assertThat(holder(client.resources(Lease.class).inNamespace(NS).withName("ebb-operator").get()))
        .as("the leader kept the Lease throughout")
        .isEqualTo(holder(lease));
  }

  /**
   * A rollout: the kubelet sends the leader SIGTERM. It exits at once, not after the grace period,
   * and the follower takes the Lease when it expires and reconciles from then on.
   */
  @Test
  @Order(6)
  void theLeaderHandsOverOnSigterm() {
    Duration exit = leader.terminate();
    assertThat(exit).as("the leader's exit on SIGTERM").isLessThan(Duration.ofSeconds(15));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> client.resources(Lease.class).inNamespace(NS).withName("ebb-operator").get(),
            l -> holder(l).startsWith("ebb-1_"));
    // New names: the test server has no garbage collector to remove the old Deployments.
    String after =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: handover}
        spec:
          backend: local
          variants: [{name: AllTraffic}]
        ---
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: after-handover}
        spec:
          endpointRef: {name: handover}
          model: {image: 'ghcr.io/example/tiny-model-server:1'}
          resources: {memoryMb: 512}
          copies: 0
        """;
    ml.apply(after);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                reported(ml.get(InferenceEndpoint.class, "handover"))
                    && ready(ml.get(InferenceComponent.class, "after-handover")));
    System.out.printf(
        "[ebb-tests] RbacIT: the leader exited %.1f s after SIGTERM; ebb-1 leads%n",
        exit.toMillis() / 1e3);
    assertThat(holder(lease)).startsWith("ebb-0_");
    assertThat(follower.status("/q/health/ready")).as("the follower stays ready").isEqualTo(200);
  }

  @Test
  @Order(7)
  void neitherReplicaLoggedAForbiddenRequestOrAnError() {
    for (EbbProcess replica : replicas) {
      assertThat(replica.logText().toLowerCase())
          .as("%s's log (%s)", replica.name, replica.log)
          .doesNotContain("forbidden")
          .doesNotContain(" error ");
    }
  }

  /** The audit log: nothing refused, and every grant used. */
  @Test
  @Order(8)
  void theApiServerRefusedNothingAndEveryGrantWasUsed() throws IOException {
    List<JsonNode> requests = auditedRequestsOf(auditLog, SA_USER);
    assertThat(requests).as("requests by the operator's ServiceAccount").isNotEmpty();
    assertThat(
            requests.stream()
                .filter(r -> r.path("responseStatus").path("code").asInt() == 403)
                .map(r -> r.path("verb").asText() + " " + r.path("requestURI").asText()))
        .as("requests the API server refused")
        .isEmpty();
    Map<String, Integer> used = usedThroughTheChart(requests);
    Set<String> granted =
        granted(
            HelmChart.find(chart, ClusterRole.class).getRules(),
            chart.stream()
                .filter(Role.class::isInstance)
                .flatMap(r -> ((Role) r).getRules().stream())
                .toList());
    System.out.println("[ebb-tests] RbacIT: permissions the operator used (requests):");
    used.forEach((k, v) -> System.out.printf("[ebb-tests]   %-60s %d%n", k, v));
    assertThat(granted).as("granted").containsAll(used.keySet());
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(used.keySet());
    assertThat(unused).as("granted but never used").isSubsetOf(NOT_REQUESTED.keySet());
  }

  private InferenceEndpoint localEndpoint() {
    return ml.get(InferenceEndpoint.class, "llama3-local");
  }

  private HttpResponse<String> invoke(
      EbbProcess replica, String endpointName, String header, String credential)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + replica.httpPort
                        + "/endpoints/"
                        + endpointName
                        + "/invocations"))
            .header("Content-Type", "text/plain")
            .header(header, credential)
            .POST(HttpRequest.BodyPublishers.ofString("hello"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A token of ServiceAccount chat/frontend for the gateway's audience (llm-local.yaml). */
  private static String chatToken(KubernetesClient client) {
    client.resource(namespace("chat")).create();
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("frontend")
                .withNamespace("chat")
                .endMetadata()
                .build())
        .create();
    return client
        .serviceAccounts()
        .inNamespace("chat")
        .withName("frontend")
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences("ebb-gateway")
                .withExpirationSeconds(600L)
                .endSpec()
                .build())
        .getStatus()
        .getToken();
  }

  /**
   * Whether the new leader wrote the endpoint's status for its generation (its component runs no
   * copy and no policy wakes it, so it is not Ready: VariantNotServing).
   */
  private static boolean reported(InferenceEndpoint endpoint) {
    return endpoint != null
        && endpoint.getStatus() != null
        && endpoint.getStatus().condition(dev.ebb.api.v1alpha1.Condition.READY) != null
        && java.util.Objects.equals(
            endpoint.getStatus().observedGeneration(), endpoint.getMetadata().getGeneration());
  }

  /** Each Ebb object in namespace ml with its Ready condition, for a failure's message. */
  private static String summary(KubernetesClient client) {
    StringBuilder text = new StringBuilder();
    for (Class<? extends CustomResource<?, ? extends ConditionedStatus>> type :
        List.of(
            InferenceEndpoint.class,
            InferenceComponent.class,
            ScalingPolicy.class,
            BatchTransform.class)) {
      for (var object : client.resources(type).inNamespace("ml").list().getItems()) {
        Condition ready =
            object.getStatus() == null ? null : object.getStatus().condition(Condition.READY);
        text.append(
            "  %s %s: %s%n"
                .formatted(
                    type.getSimpleName(),
                    object.getMetadata().getName(),
                    ready == null
                        ? "no status"
                        : ready.status() + " " + ready.reason() + " " + ready.message()));
      }
    }
    return text.toString();
  }

  /** The audit events of {@code user}'s requests. */
  private static List<JsonNode> auditedRequestsOf(Path auditLog, String user) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> requests = new ArrayList<>();
    for (String line : Files.readAllLines(auditLog)) {
      JsonNode event = json.readTree(line);
      if (user.equals(event.path("user").path("username").asText())) {
        requests.add(event);
      }
    }
    return requests;
  }

  /**
   * "apiGroup resource[/subresource] verb" of each request that the chart's ClusterRole or Role
   * allowed (as the audit annotation says), with counts. Requests allowed by Kubernetes' default
   * roles for every authenticated user (discovery, SelfSubjectRulesReview) are not the chart's.
   */
  private static Map<String, Integer> usedThroughTheChart(List<JsonNode> requests) {
    Map<String, Integer> used = new TreeMap<>();
    for (JsonNode request : requests) {
      String reason = request.path("annotations").path("authorization.k8s.io/reason").asText();
      if (!reason.contains("of ClusterRole \"ebb\"")
          && !reason.contains("of Role \"ebb-leader-election\"")
          && !reason.contains("of Role \"ebb-tenancy\"")) {
        continue;
      }
      JsonNode ref = request.path("objectRef");
      String resource = ref.path("resource").asText();
      if (ref.hasNonNull("subresource")) {
        resource += "/" + ref.path("subresource").asText();
      }
      String key = ref.path("apiGroup").asText("") + " " + resource + " ";
      used.merge(key + request.path("verb").asText(), 1, Integer::sum);
      if (request.path("verb").asText().equals("patch")
          && request.path("responseStatus").path("code").asInt() == 201) {
        // A server-side apply that creates the object is also authorized as create.
        used.merge(key + "create", 1, Integer::sum);
      }
    }
    return used;
  }

  /** Every "apiGroup resource verb" the rules grant. */
  private static Set<String> granted(List<PolicyRule> clusterRules, List<PolicyRule> roleRules) {
    Set<String> granted = new TreeSet<>();
    for (List<PolicyRule> rules : List.of(clusterRules, roleRules)) {
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              granted.add(group + " " + resource + " " + verb);
            }
          }
        }
      }
    }
    return granted;
  }

  /** The Lease's holder: the pod's name (HOSTNAME), "_" and a suffix. */
  private static String holder(Lease lease) {
    return String.valueOf(lease.getSpec().getHolderIdentity());
  }

  private static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
