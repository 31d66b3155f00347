package dev.ebb.reconciler.endpoint;

import static dev.ebb.testing.TestNamespace.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.Reasons;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.FaultRule;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.simulator.Snapshot;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespace;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * InferenceEndpoints on backend sagemaker: the operator in Quarkus, a real kube-apiserver, and
 * SageMaker played by the simulator through the real AWS SDK.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class SageMakerEndpointIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("sagemaker", TIMEOUT);

  SageMakerSimulator simulator;

  @Test
  void convergesToInServiceAndRollsAnEditToANewConfigRemovingTheOld() {
    ns.apply(classic("whisper", "ml.m5.large", "Delete"));
    var ready = ns.awaitReady(InferenceEndpoint.class, "whisper");
    String endpointName = ready.getStatus().endpointName();
    String firstConfig = ready.getStatus().endpointConfigName();
    assertThat(sagemaker().endpoint(endpointName).status()).isEqualTo("InService");
    assertThat(sagemaker().endpoint(endpointName).configName()).isEqualTo(firstConfig);
    assertThat(sagemaker().endpoint(endpointName).tags())
        .containsEntry("ebb.dev/uid", ready.getMetadata().getUid())
        .containsEntry("team", "speech");

    ns.apply(
        classic("whisper", "ml.m5.xlarge", "Delete")
            + """
              rollout:
                strategy: Canary
                canary: {percent: 10, waitSeconds: 60}
                autoRollbackAlarms: [whisper-p99-latency]
            """);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var endpoint = endpoints().withName("whisper").get();
              assertThat(ready(endpoint)).isTrue();
              assertThat(endpoint.getStatus().endpointConfigName()).isNotEqualTo(firstConfig);
              assertThat(sagemaker().endpointConfigs().keySet())
                  .as("the superseded config is removed")
                  .filteredOn(n -> n.startsWith(endpointName))
                  .containsExactly(endpoint.getStatus().endpointConfigName());
            });
    JsonNode deployment = sagemaker().endpoint(endpointName).lastDeploymentConfig();
    assertThat(deployment.at("/BlueGreenUpdatePolicy/TrafficRoutingConfiguration/Type").asText())
        .isEqualTo("CANARY");
    assertThat(
            deployment
                .at("/BlueGreenUpdatePolicy/TrafficRoutingConfiguration/CanarySize/Value")
                .asInt())
        .isEqualTo(10);
    assertThat(deployment.at("/AutoRollbackConfiguration/Alarms/0/AlarmName").asText())
        .isEqualTo("whisper-p99-latency");
  }

  /** Edits that change the endpoint config (other than the instance type, tested above). */
  static Stream<Arguments> configEdits() {
    return Stream.of(
        Arguments.of(
            "a new variant",
            """
              - name: Challenger
                instanceType: ml.m5.large
                weight: 0.1
                model:
                  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/whisper:2
                  modelDataUrl: s3://models-bucket/whisper/model.tar.gz
            """,
            List.of(
                "CreateModel", "CreateEndpointConfig", "UpdateEndpoint", "DeleteEndpointConfig")),
        Arguments.of(
            "data capture",
            """
              dataCapture:
                enabled: true
                samplingPercent: 20
                destination: s3://ebb-datacapture-123456789012/whisper/
            """,
            List.of("CreateEndpointConfig", "UpdateEndpoint", "DeleteEndpointConfig")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configEdits")
  void anEditRollsToANewConfigAndRemovesTheOld(
      String edit, String addition, List<String> expectedMutations) {
    String name = "edit-" + edit.replace(' ', '-').replace("a-", "");
    ns.apply(classic(name, "ml.m5.large", "Delete"));
    var ready = ns.awaitReady(InferenceEndpoint.class, name);
    String endpointName = ready.getStatus().endpointName();
    String firstConfig = ready.getStatus().endpointConfigName();
    simulator.clearCalls();

    ns.apply(classic(name, "ml.m5.large", "Delete") + addition);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var endpoint = endpoints().withName(name).get();
              assertThat(ready(endpoint)).isTrue();
              assertThat(endpoint.getStatus().endpointConfigName()).isNotEqualTo(firstConfig);
              assertThat(sagemaker().endpointConfigs().keySet())
                  .as("the superseded config is removed")
                  .filteredOn(n -> n.startsWith(endpointName))
                  .containsExactly(endpoint.getStatus().endpointConfigName());
            });
    assertThat(mutations()).containsExactlyElementsOf(expectedMutations);
  }

  @Test
  void convergesWithHalfOfAllCallsThrottledAndKeepsThePollingBudget() {
    long started = System.nanoTime();
    simulator.faults().throttle(0.5, 42);
    try {
      ns.apply(classic("busy", "ml.m5.large", "Delete"));
      // Half the calls fail, each retried with backoff: allow minutes.
      String endpointName =
          await()
              .atMost(Duration.ofMinutes(3))
              .until(() -> endpoints().withName("busy").get(), TestNamespace::ready)
              .getStatus()
              .endpointName();
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("[ebb-tests] converged with 50%% of calls throttled in %.1f s%n", seconds);

      List<Call> describes =
          simulator.calls("DescribeEndpoint").stream()
              .filter(c -> endpointName.equals(c.request().path("EndpointName").asText()))
              .toList();
      assertThat(simulator.calls()).as("throttling was in force").anyMatch(Call::throttled);
      long served = describes.stream().filter(c -> !c.throttled()).count();
      // The tests poll every second (production: 30 s); a few extra looks come from events.
      assertThat(served)
          .as("served DescribeEndpoint calls in %.1f s", seconds)
          .isLessThanOrEqualTo((long) Math.ceil(seconds) + 3);
    } finally {
      simulator.faults().throttle(0);
    }
  }

  /**
   * A 5xx that does not go away is retried less and less often, across passes: each wait is at
   * least twice the last (1, 2, 4, 8 s here; from 30 s up to 10 min by default), the status says
   * when the next attempt is, and the endpoint converges once AWS answers again.
   */
  @Test
  void aPersistentServerErrorIsRetriedLessAndLessOftenAndTheStatusSaysWhen() {
    simulator.faults().inject(FaultRule.internalFailure("CreateEndpointConfig", -1));
    Map<Integer, Instant> nextAttempts = new TreeMap<>();
    try {
      ns.apply(classic("failing", "ml.m5.large", "Delete"));
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var status = endpoints().withName("failing").get().getStatus();
                if (status != null && status.retry() != null) {
                  nextAttempts.putIfAbsent(
                      status.retry().failures(), Instant.parse(status.retry().nextAttemptTime()));
                  assertThat(status.condition(Condition.RECONCILING).message())
                      .contains("InternalFailure")
                      .contains("Next attempt at " + status.retry().nextAttemptTime());
                }
                return nextAttempts.containsKey(5);
              });
    } finally {
      simulator.faults().reset();
    }
    System.out.println("[ebb-tests] next attempts after each failed pass: " + nextAttempts);
    // Attempt n+1 starts at nextAttempts[n]; its own next attempt is its end plus its wait.
    for (int n = 1; n < 5; n++) {
      if (nextAttempts.containsKey(n) && nextAttempts.containsKey(n + 1)) {
        long waitSeconds = Math.min(1L << n, 8);
        assertThat(Duration.between(nextAttempts.get(n), nextAttempts.get(n + 1)))
            .as("between attempts %d and %d", n + 1, n + 2)
            .isGreaterThanOrEqualTo(Duration.ofSeconds(waitSeconds).minusMillis(5));
      }
    }
    var ready = ns.awaitReady(InferenceEndpoint.class, "failing");
    assertThat(ready.getStatus().retry()).as("no retry once a pass succeeds").isNull();
  }

  @Test
  void aWeightsOnlyEditShiftsTrafficWithoutANewConfig() {
    ns.apply(abTest("ranker", 70, 30));
    var ready = ns.awaitReady(InferenceEndpoint.class, "ranker");
    String config = ready.getStatus().endpointConfigName();
    simulator.clearCalls();

    ns.apply(abTest("ranker", 50, 50));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var endpoint = endpoints().withName("ranker").get();
              assertThat(endpoint.getStatus().variants())
                  .extracting(v -> v.desiredWeight())
                  .containsExactly(50.0, 50.0);
              assertThat(ready(endpoint)).isTrue();
            });
    assertThat(endpoints().withName("ranker").get().getStatus().endpointConfigName())
        .isEqualTo(config);
    assertThat(mutations()).containsExactly("UpdateEndpointWeightsAndCapacities");
  }

  @Test
  void aRequestSageMakerRejectsStallsWithAWarningAndAFixedSpecRecovers() {
    // Well-formed for the API server, unknown to SageMaker.
    ns.apply(classic("bad", "ml.zz9.huge", "Delete"));

    var stalled =
        ns.awaitStalled(InferenceEndpoint.class, "bad", Reasons.INVALID_REQUEST).getStatus();
    assertThat(stalled.condition(Condition.READY).message()).contains("CreateEndpointConfig");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(ns.resources(Event.class).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo(Reasons.INVALID_REQUEST);
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("bad");
                        }));

    ns.apply(classic("bad", "ml.m5.large", "Delete"));
    ns.awaitReady(InferenceEndpoint.class, "bad");
    // AWS's model refused the unknown instance type, as meant; the test takes those refusals.
    assertThat(simulator.modelViolations().drain())
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.message()).contains("'ml.zz9.huge'"));
  }

  @Test
  void deleteTearsDownEndpointThenConfigsThenModels() {
    ns.apply(classic("gone", "ml.m5.large", "Delete"));
    String endpointName = ns.awaitReady(InferenceEndpoint.class, "gone").getStatus().endpointName();
    simulator.clearCalls();

    endpoints().withName("gone").delete();

    ns.awaitGone(InferenceEndpoint.class, "gone");
    assertThat(sagemaker().endpoints()).doesNotContainKey(endpointName);
    assertThat(sagemaker().endpointConfigs().keySet()).noneMatch(n -> n.startsWith(endpointName));
    assertThat(sagemaker().models().keySet()).noneMatch(n -> n.startsWith(endpointName));
    assertThat(mutations())
        .containsExactly("DeleteEndpoint", "DeleteEndpointConfig", "DeleteModel");
  }

  /**
   * The field report: past 45 characters of namespace-name the endpoint's name is cut and hashed,
   * and the configs and models derived from it must still be found again, rolled and deleted.
   */
  @Test
  @TestNamespaceExtension.Prefix("team-forecasting-production")
  void aLongNamedEndpointRollsAndDeletesWithoutStallOrLeak() {
    String name = "fraud-scoring-xgb2-with-a-name-long-enough-to-be-cut";
    ns.apply(classic(name, "ml.m5.large", "Delete"));
    var ready = ns.awaitReady(InferenceEndpoint.class, name);
    String endpointName = ready.getStatus().endpointName();
    String firstConfig = ready.getStatus().endpointConfigName();
    var derived = SageMakerNames.derivedFrom(endpointName);
    assertThat(endpointName.length())
        .as("too long to keep whole in derived names")
        .isGreaterThan(54);

    ns.apply(classic(name, "ml.m5.xlarge", "Delete"));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var endpoint = endpoints().withName(name).get();
              assertThat(ready(endpoint)).isTrue();
              assertThat(endpoint.getStatus().endpointConfigName()).isNotEqualTo(firstConfig);
              assertThat(sagemaker().endpointConfigs().keySet())
                  .as("the superseded config is found again and removed")
                  .filteredOn(n -> derived.matcher(n).matches())
                  .containsExactly(endpoint.getStatus().endpointConfigName());
            });
    assertThat(simulator.calls("CreateEndpointConfig"))
        .as("each config created once, never retried into 'already exists'")
        .filteredOn(c -> derived.matcher(c.request().path("EndpointConfigName").asText()).matches())
        .hasSize(2)
        .allMatch(Call::succeeded);

    endpoints().withName(name).delete();

    ns.awaitGone(InferenceEndpoint.class, name);
    assertThat(sagemaker().endpoints()).doesNotContainKey(endpointName);
    assertThat(sagemaker().endpointConfigs().keySet()).noneMatch(n -> derived.matcher(n).matches());
    assertThat(sagemaker().models().keySet()).noneMatch(n -> derived.matcher(n).matches());
  }

  /**
   * The field report: after SageMaker rolled a deployment back (its alarm fired), Ebb saw the old
   * config live and deployed the new one again, in a loop. Now the rollback stalls, names the
   * alarm, and only a spec change deploys again.
   */
  @Test
  void aRolledBackDeploymentStallsNamingTheAlarmAndIsNotDeployedAgain() {
    String alarm = "whisper-5xx-" + ns.name();
    cloudWatch("PutMetricAlarm", alarmDefinition(alarm));
    ns.apply(classic("guarded", "ml.m5.large", "Delete") + rollbackOn(alarm));
    var ready = ns.awaitReady(InferenceEndpoint.class, "guarded");
    String liveConfig = ready.getStatus().endpointConfigName();
    simulator.clearCalls();

    cloudWatch("SetAlarmState", alarmState(alarm, "ALARM"));
    ns.apply(classic("guarded", "ml.m5.xlarge", "Delete") + rollbackOn(alarm));

    var stalled =
        ns.awaitStalled(InferenceEndpoint.class, "guarded", Reasons.ROLLED_BACK).getStatus();
    assertThat(stalled.condition(Condition.STALLED).message()).contains(alarm);
    assertThat(stalled.endpointConfigName()).isEqualTo(liveConfig);
    assertThat(stalled.lastDeployedConfigName()).isNotEqualTo(liveConfig);
    // Several polls later, still one deployment: no loop.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> true);
    assertThat(simulator.calls("UpdateEndpoint")).filteredOn(Call::succeeded).hasSize(1);
    assertThat(sagemaker().endpoint(stalled.endpointName()).configName()).isEqualTo(liveConfig);

    cloudWatch("SetAlarmState", alarmState(alarm, "OK"));
    ns.apply(classic("guarded", "ml.m5.2xlarge", "Delete") + rollbackOn(alarm));
    var fixed = ns.awaitReady(InferenceEndpoint.class, "guarded").getStatus();
    assertThat(fixed.endpointConfigName()).isNotEqualTo(liveConfig);
    assertThat(fixed.lastDeployedConfigName()).isEqualTo(fixed.endpointConfigName());
  }

  /** UpdateRollbackFailed is no longer waited on forever: it stalls until the spec changes. */
  @Test
  void aFailedRollbackStallsAndANewSpecDeploys() {
    ns.apply(classic("mixed", "ml.m5.large", "Delete"));
    ns.awaitReady(InferenceEndpoint.class, "mixed");
    simulator.faults().failNextUpdate("UpdateEndpoint", "Insufficient capacity for ml.m5.xlarge.");
    simulator.faults().failNextRollback("The rollback failed: insufficient capacity.");

    ns.apply(classic("mixed", "ml.m5.xlarge", "Delete"));

    var stalled =
        ns.awaitStalled(InferenceEndpoint.class, "mixed", Reasons.ROLLBACK_FAILED).getStatus();
    assertThat(stalled.endpointStatus()).isEqualTo("UpdateRollbackFailed");
    assertThat(stalled.condition(Condition.STALLED).message())
        .contains("The rollback failed: insufficient capacity.");

    ns.apply(classic("mixed", "ml.m5.2xlarge", "Delete"));
    assertThat(ns.awaitReady(InferenceEndpoint.class, "mixed").getStatus().endpointStatus())
        .isEqualTo("InService");
  }

  private static String rollbackOn(String alarm) {
    return """
          rollout:
            strategy: AllAtOnce
            autoRollbackAlarms: [%s]
        """
        .formatted(alarm);
  }

  private static String alarmDefinition(String name) {
    return """
        {"AlarmName": "%s", "Namespace": "AWS/SageMaker", "MetricName": "Invocation5XXErrors",
         "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1,
         "ComparisonOperator": "GreaterThanOrEqualToThreshold"}
        """
        .formatted(name);
  }

  private static String alarmState(String name, String state) {
    return """
        {"AlarmName": "%s", "StateValue": "%s", "StateReason": "set by the test"}
        """
        .formatted(name, state);
  }

  /** A CloudWatch call, as a person would make it beside Ebb. */
  private void cloudWatch(String operation, String json) {
    try {
      simulator.call(
          SimulatorResource.REGION,
          operation,
          (com.fasterxml.jackson.databind.node.ObjectNode)
              new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void retainLetsGoWithoutTouchingAws() {
    ns.apply(classic("kept", "ml.m5.large", "Retain"));
    String endpointName = ns.awaitReady(InferenceEndpoint.class, "kept").getStatus().endpointName();
    simulator.clearCalls();

    endpoints().withName("kept").delete();

    ns.awaitGone(InferenceEndpoint.class, "kept");
    assertThat(sagemaker().endpoint(endpointName).status()).isEqualTo("InService");
    assertThat(mutations()).isEmpty();
  }

  @Test
  void anEndpointEbbDidNotCreateIsLeftAloneUnlessAdopted() {
    String legacy = "legacy-" + ns.name().replaceAll("[^a-z0-9]", "");
    createOutsideEbb(legacy);
    String arn = sagemaker().endpoint(legacy).arn();
    String manifest =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: legacy}
        spec:
          backend: sagemaker
          sagemaker: {endpointName: %s, adopt: %s}
          variants:
          - name: AllTraffic
            instanceType: ml.m5.large
            model: {image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy:2}
        """;

    ns.apply(manifest.formatted(legacy, false));
    ns.awaitStalled(InferenceEndpoint.class, "legacy", Reasons.ENDPOINT_NOT_OWNED);
    assertThat(sagemaker().models().keySet())
        .as("nothing created")
        .noneMatch(n -> n.matches(legacy + "-[0-9a-f]{8}"));
    assertThat(sagemaker().endpoint(legacy).configName()).isEqualTo(legacy + "-cfg");

    ns.apply(manifest.formatted(legacy, true));
    var adopted = ns.awaitReady(InferenceEndpoint.class, "legacy");

    assertThat(sagemaker().endpoint(legacy).arn()).as("not recreated").isEqualTo(arn);
    assertThat(sagemaker().endpoint(legacy).configName())
        .isEqualTo(adopted.getStatus().endpointConfigName());
    assertThat(sagemaker().endpoint(legacy).tags())
        .containsEntry("ebb.dev/uid", adopted.getMetadata().getUid());
    assertThat(simulator.calls("CreateEndpoint"))
        .as("only the hand-made CreateEndpoint, none by Ebb")
        .filteredOn(c -> c.succeeded() && legacy.equals(c.request().path("EndpointName").asText()))
        .hasSize(1);
  }

  /** An endpoint made by hand (or by another tool), untagged. */
  private void createOutsideEbb(String name) {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    simulator.call(
        SimulatorResource.REGION,
        "CreateModel",
        json.createObjectNode()
            .put("ModelName", name + "-model")
            .put("ExecutionRoleArn", "arn:aws:iam::123456789012:role/Legacy")
            .set(
                "PrimaryContainer",
                json.createObjectNode()
                    .put("Image", "123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy:1")));
    var variant =
        json.createObjectNode()
            .put("VariantName", "AllTraffic")
            .put("ModelName", name + "-model")
            .put("InstanceType", "ml.m5.large")
            .put("InitialInstanceCount", 1);
    var config = json.createObjectNode().put("EndpointConfigName", name + "-cfg");
    config.putArray("ProductionVariants").add(variant);
    simulator.call(SimulatorResource.REGION, "CreateEndpointConfig", config);
    simulator.call(
        SimulatorResource.REGION,
        "CreateEndpoint",
        json.createObjectNode().put("EndpointName", name).put("EndpointConfigName", name + "-cfg"));
    await().atMost(TIMEOUT).until(() -> "InService".equals(sagemaker().endpoint(name).status()));
  }

  // --- helpers -----------------------------------------------------------------------------

  private static String classic(String name, String instanceType, String deletionPolicy) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: %s}
        spec:
          backend: sagemaker
          sagemaker:
            executionRoleArn: arn:aws:iam::123456789012:role/SageMakerExecution
            deletionPolicy: %s
            tags: {team: speech}
          variants:
          - name: AllTraffic
            instanceType: %s
            model:
              image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/whisper:1
              modelDataUrl: s3://models-bucket/whisper/model.tar.gz
        """
        .formatted(name, deletionPolicy, instanceType);
  }

  /** Relies on the operator's default execution role. */
  private static String abTest(String name, int a, int b) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: %s}
        spec:
          backend: sagemaker
          variants:
          - name: Champion
            instanceType: ml.m5.large
            weight: %d
            model: {image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/ranker:1}
          - name: Challenger
            instanceType: ml.m5.large
            weight: %d
            model: {image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/ranker:2}
        """
        .formatted(name, a, b);
  }

  private NonNamespaceOperation<InferenceEndpoint, ?, Resource<InferenceEndpoint>> endpoints() {
    return ns.resources(InferenceEndpoint.class);
  }

  private Snapshot.Region sagemaker() {
    return simulator.region(SimulatorResource.REGION);
  }

  /**
   * The operations that changed something, in order (reads left out, of any service: the gateway's
   * scan of local async records lists S3 while endpoints of earlier ITs remain).
   */
  private List<String> mutations() {
    return simulator.calls().stream()
        .filter(Call::succeeded)
        .map(Call::operation)
        .filter(
            op -> {
              String name = op.substring(op.indexOf(':') + 1);
              return !name.startsWith("Describe")
                  && !name.startsWith("List")
                  && !name.startsWith("Get")
                  && !name.startsWith("Head");
            })
        .toList();
  }
}
