package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.api.v1alpha1.InferenceComponentSpec.Resources;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ModelSpec;
import dev.ebb.api.v1alpha1.StartupSpec;
import dev.ebb.reconciler.endpoint.EndpointPasses;
import dev.ebb.reconciler.endpoint.SageMakerTarget;
import dev.ebb.sagemaker.SageMakerComponents.ComponentDescription;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.Manifests;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** The inference-component calls, through the real SDK against the simulator. */
class SageMakerComponentsIT {
  /** These tests roll nothing back: the rollback alarms are never looked up. */
  private static final DeploymentAlarms NO_ROLLBACKS =
      new DeploymentAlarms(
          () -> {
            throw new IllegalStateException("no deployment is rolled back here");
          });

  private static final String ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
  private static SageMakerSimulator simulator;
  private static SageMakerClient client;
  private static InferenceEndpoint endpoint;
  private static String endpointName;

  @BeforeAll
  static void endpointThatHostsComponents() {
    simulator = SageMakerSimulator.builder().delays(Delays.none()).build().start();
    client =
        SageMakerClient.builder()
            .endpointOverride(simulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    endpoint =
        Manifests.parse(
            InferenceEndpoint.class,
            """
            apiVersion: ebb.dev/v1alpha1
            kind: InferenceEndpoint
            metadata: {name: llm, uid: 6a1b0c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d}
            spec:
              backend: sagemaker
              sagemaker: {executionRoleArn: '%s'}
              variants:
              - name: AllTraffic
                instanceType: ml.g5.2xlarge
                managedInstanceScaling: {minInstanceCount: 0, maxInstanceCount: 4}
            """
                .formatted(ROLE),
            1);
    var target = SageMakerTarget.of(endpoint, Optional.empty()).orElseThrow();
    endpointName = target.endpointName();
    EndpointPasses.untilSettled(endpoint, new SageMakerEndpoints(() -> client), NO_ROLLBACKS);
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.close();
  }

  private final SageMakerComponents components = new SageMakerComponents(() -> client);
  private final Resources resources = new Resources(1, 16384, 4.0, null);
  private final StartupSpec startup = new StartupSpec(1200, 1200);

  @Test
  void lifecycleFromCreationToZeroCopiesToDeletion() {
    assertThat(components.describe("ml-llama")).isEmpty();

    String model = "ml-llama-0a1b2c3d";
    components
        .models()
        .create(
            model,
            new ModelSpec("tgi:2", "s3://models/llama/", null, ModelSpec.Mode.SingleModel),
            ROLE,
            endpoint,
            Map.of());
    components.create(
        "ml-llama", endpointName, "AllTraffic", model, resources, startup, 1, endpoint, Map.of());

    ComponentDescription live = until("ml-llama", d -> "InService".equals(d.status()));
    assertThat(live.modelName()).isEqualTo(model);
    assertThat(live.specificationKey()).isEqualTo(ComponentRequests.key(model, resources, startup));
    assertThat(live.desiredCopies()).isEqualTo(1);

    components.setCopies("ml-llama", 0);
    assertThat(until("ml-llama", d -> Integer.valueOf(0).equals(d.currentCopies())).desiredCopies())
        .isZero();

    String model2 = "ml-llama-4e5f6a7b";
    components
        .models()
        .create(
            model2,
            new ModelSpec("tgi:3", "s3://models/llama/", null, ModelSpec.Mode.SingleModel),
            ROLE,
            endpoint,
            Map.of());
    components.update("ml-llama", model2, resources, startup, null);
    ComponentDescription updated =
        until("ml-llama", d -> "InService".equals(d.status()) && model2.equals(d.modelName()));
    assertThat(updated.specificationKey()).isNotEqualTo(live.specificationKey());
    assertThat(updated.desiredCopies()).as("an update leaves the copy count alone").isZero();
    assertThat(components.models().derivedFrom("ml-llama"))
        .containsExactlyInAnyOrder(model, model2);

    components.delete("ml-llama");
    for (int i = 0; i < 20 && components.describe("ml-llama").isPresent(); i++) {
      // Deletion completes on a later call (Delays.none: the next one).
    }
    assertThat(components.describe("ml-llama")).isEmpty();
  }

  @Test
  void zeroCopiesAtCreationIsAValidationFailure() {
    String model = "ml-zero-1a2b3c4d";
    components
        .models()
        .create(
            model,
            new ModelSpec("tgi:2", null, null, ModelSpec.Mode.SingleModel),
            ROLE,
            endpoint,
            Map.of());

    assertThatThrownBy(
            () ->
                components.create(
                    "ml-zero",
                    endpointName,
                    "AllTraffic",
                    model,
                    resources,
                    startup,
                    0,
                    endpoint,
                    Map.of()))
        .isInstanceOfSatisfying(
            AwsCallException.class,
            e -> {
              assertThat(e.failure().kind()).isEqualTo(AwsErrorKind.VALIDATION);
              assertThat(e.failure().operation()).isEqualTo("CreateInferenceComponent");
            });
  }

  private ComponentDescription until(String name, Predicate<ComponentDescription> condition) {
    for (int i = 0; i < 20; i++) {
      Optional<ComponentDescription> d = components.describe(name);
      if (d.isPresent() && condition.test(d.get())) {
        return d.get();
      }
    }
    throw new AssertionError(
        name + " never reached the expected state: " + components.describe(name));
  }
}
