package dev.ebb.reconciler.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.reconciler.Reasons;
import dev.ebb.sagemaker.SageMakerNames;
import dev.ebb.simulator.Call;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.GatewayClients;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.ServiceAccountTokens;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TenancyResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * Tenancy on a real API server with SageMaker played by the simulator: a namespace without rights
 * to a role, and one without adoption rights, are Stalled with the reason and a Warning event, and
 * the simulator sees no call for their objects; a grant in the ConfigMap applies without a restart;
 * a namespace with rights converges as usual.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
@QuarkusTestResource(TenancyResource.class)
class TenancyIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Long enough for several passes on the 1 s poll schedule, had any been made. */
  private static final Duration QUIET = Duration.ofSeconds(4);

  private static final String ACCOUNT = "123456789012";

  /** The role convention of docs/tenancy.md: {@code role/ebb/<team>/...}. */
  private static String role(String team) {
    return "arn:aws:iam::" + ACCOUNT + ":role/ebb/" + team + "/inference";
  }

  /** This class's tenants, before the catch-all that keeps every other IT's namespace allowed. */
  private static final String RULES =
      """
      - namespaces: [tenancy-allowed-*]
        executionRoleArns: ["arn:aws:iam::123456789012:role/ebb/allowed/*"]
        accounts: ["123456789012"]
        regions: [us-east-1]
      - namespaces: [tenancy-norole-*]
        executionRoleArns: ["arn:aws:iam::123456789012:role/ebb/norole/*"]
      - namespaces: [tenancy-noadopt-*]
        executionRoleArns: ["arn:aws:iam::123456789012:role/ebb/noadopt/*"]
        adoption: {allowed: false}
      """
          + TenancyResource.ALLOW_ALL;

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("tenancy", TIMEOUT);

  SageMakerSimulator simulator;

  @BeforeEach
  void rules() {
    writeRules(RULES);
  }

  @Test
  @TestNamespaceExtension.Prefix("tenancy-norole")
  void aRoleOutsideTheNamespacesRightsStallsWithoutAnAwsCallUntilGranted() {
    // Another team's role, and the operator's default role, which no tenant is granted.
    ns.apply(endpoint("stolen", role("allowed"), "us-east-1", null));
    ns.apply(endpoint("defaulted", null, null, null));
    ns.apply(InferenceComponent.class, component("on-stolen", "stolen"));

    var stolen = ns.awaitStalled(InferenceEndpoint.class, "stolen", Reasons.ROLE_NOT_ALLOWED);
    var defaulted = ns.awaitStalled(InferenceEndpoint.class, "defaulted", Reasons.ROLE_NOT_ALLOWED);
    var component =
        ns.awaitStalled(InferenceComponent.class, "on-stolen", Reasons.ROLE_NOT_ALLOWED);
    assertThat(stolen.getStatus().condition("Stalled").message())
        .contains(role("allowed"), "role/ebb/norole/*", "Nothing was called in AWS");
    assertThat(defaulted.getStatus().condition("Stalled").message())
        .contains(SimulatorResource.DEFAULT_ROLE);
    assertThat(warnings("stolen")).contains(Reasons.ROLE_NOT_ALLOWED);
    assertThat(warnings("on-stolen")).contains(Reasons.ROLE_NOT_ALLOWED);

    List<String> names =
        List.of(
            SageMakerNames.endpointName(stolen),
            SageMakerNames.endpointName(defaulted),
            SageMakerNames.componentName(component),
            role("allowed"));
    sleep(QUIET);
    assertThat(callsNaming(names)).as("no AWS call for a namespace without rights").isEmpty();
    // The default role is every IT's: only calls of this namespace's objects would count.
    assertThat(callsNaming(List.of(SimulatorResource.DEFAULT_ROLE)))
        .as("no call passing the default role for this namespace")
        .noneMatch(c -> c.request().toString().contains(ns.name()));

    // A cluster admin grants the role: the watch re-reconciles, no spec change needed.
    writeRules(RULES.replace("role/ebb/norole/*", "role/ebb/allowed/*"));
    ns.awaitReady(InferenceEndpoint.class, "stolen");
    ns.awaitReady(InferenceComponent.class, "on-stolen");
    assertThat(
            ns.awaitStalled(InferenceEndpoint.class, "defaulted", Reasons.ROLE_NOT_ALLOWED)
                .getStatus()
                .endpointArn())
        .isNull();
  }

  @Test
  @TestNamespaceExtension.Prefix("tenancy-noadopt")
  void anAdoptionWithoutRightsStallsWithoutLookingAtTheEndpoint() {
    String legacy = "legacy-" + ns.name().replaceAll("[^a-z0-9]", "");
    createOutsideEbb(legacy);
    String arn = simulator.region(SimulatorResource.REGION).endpoint(legacy).arn();
    simulator.clearCalls();

    ns.apply(endpoint("taken", role("noadopt"), null, legacy));

    var taken = ns.awaitStalled(InferenceEndpoint.class, "taken", Reasons.ADOPTION_NOT_ALLOWED);
    assertThat(taken.getStatus().condition("Ready").reason())
        .isEqualTo(Reasons.ADOPTION_NOT_ALLOWED);
    assertThat(taken.getStatus().condition("Stalled").message())
        .contains(legacy, "spec.sagemaker.endpointName", "may not adopt");
    assertThat(warnings("taken")).contains(Reasons.ADOPTION_NOT_ALLOWED);
    sleep(QUIET);
    assertThat(callsNaming(List.of(legacy, role("noadopt"))))
        .as("the endpoint is not even described")
        .isEmpty();

    // Nor can the namespace invoke it through the gateway, which signs with Ebb's role: its
    // status shows no ARN, so the gateway refuses before anything reaches SageMaker.
    String token =
        ServiceAccountTokens.issue(
            ns.client(), ns.name(), "caller", ServiceAccountTokens.GATEWAY_AUDIENCE);
    try (SageMakerRuntimeClient runtime = GatewayClients.runtime(httpPort, token)) {
      assertThatThrownBy(
              () ->
                  runtime.invokeEndpoint(
                      r -> r.endpointName(legacy).body(SdkBytes.fromUtf8String("{}"))))
          .isInstanceOfSatisfying(
              ValidationErrorException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorMessage())
                      .contains("is not invocable through Ebb", ns.name() + "/taken"));
    }
    assertThat(callsNaming(List.of(legacy))).as("nothing reached SageMaker").isEmpty();

    // Deleting it makes no call either: it never had anything in AWS.
    ns.resources(InferenceEndpoint.class).withName("taken").delete();
    ns.awaitGone(InferenceEndpoint.class, "taken");
    assertThat(callsNaming(List.of(legacy, role("noadopt")))).isEmpty();
    var untouched = simulator.region(SimulatorResource.REGION).endpoint(legacy);
    assertThat(untouched.arn()).isEqualTo(arn);
    assertThat(untouched.status()).isEqualTo("InService");
    assertThat(untouched.tags()).doesNotContainKey("ebb.dev/uid");
  }

  @Test
  @TestNamespaceExtension.Prefix("tenancy-allowed")
  void aNamespaceWithRightsConvergesAsUsual() {
    ns.apply(endpoint("mine", role("allowed"), "us-east-1", null));
    ns.apply(InferenceComponent.class, component("on-mine", "mine"));

    var ready = ns.awaitReady(InferenceEndpoint.class, "mine");
    ns.awaitReady(InferenceComponent.class, "on-mine");
    assertThat(
            simulator
                .region(SimulatorResource.REGION)
                .endpoint(ready.getStatus().endpointName())
                .status())
        .isEqualTo("InService");
    assertThat(callsNaming(List.of(role("allowed")))).as("the role was passed").isNotEmpty();

    // A region outside its rights stalls a new endpoint of the same namespace.
    ns.apply(endpoint("elsewhere", role("allowed"), "eu-west-1", null));
    ns.awaitStalled(InferenceEndpoint.class, "elsewhere", Reasons.REGION_NOT_ALLOWED);
  }

  // --- helpers -----------------------------------------------------------------------------

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int httpPort;

  private void writeRules(String rules) {
    TenancyResource.writeTenants(rules);
  }

  private static String endpoint(String name, String role, String region, String adopt) {
    StringBuilder sagemaker = new StringBuilder();
    if (role != null) {
      sagemaker.append("    executionRoleArn: ").append(role).append('\n');
    }
    if (region != null) {
      sagemaker.append("    region: ").append(region).append('\n');
    }
    if (adopt != null) {
      sagemaker.append("    endpointName: ").append(adopt).append("\n    adopt: true\n");
    }
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: %s}
        spec:
          backend: sagemaker
        %s  variants:
          - name: AllTraffic
            instanceType: ml.g5.2xlarge
            managedInstanceScaling: {minInstanceCount: 0, maxInstanceCount: 4}
        """
        .formatted(name, sagemaker.isEmpty() ? "" : "  sagemaker:\n" + sagemaker);
  }

  private static String component(String name, String endpoint) {
    return """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: %s}
        spec:
          endpointRef: {name: %s}
          model: {image: 763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi:2}
          resources: {acceleratorCount: 1, memoryMb: 16384}
          copies: 1
        """
        .formatted(name, endpoint);
  }

  /** Calls whose request names any of {@code names}. */
  private List<Call> callsNaming(List<String> names) {
    return simulator.calls().stream()
        .filter(c -> names.stream().anyMatch(n -> c.request().toString().contains(n)))
        .toList();
  }

  /** The reasons of the Warning events recorded about {@code name}. */
  private List<String> warnings(String name) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                ns
                    .client()
                    .v1()
                    .events()
                    .inNamespace(ns.name())
                    .withField("involvedObject.name", name)
                    .list()
                    .getItems()
                    .stream()
                    .filter(e -> "Warning".equals(e.getType()))
                    .map(Event::getReason)
                    .toList(),
            reasons -> !reasons.isEmpty());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** An endpoint made by hand (or by another tool), untagged. */
  private void createOutsideEbb(String name) {
    var json = new ObjectMapper();
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
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                "InService"
                    .equals(simulator.region(SimulatorResource.REGION).endpoint(name).status()));
  }
}
