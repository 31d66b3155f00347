package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.simulator.SageMakerSimulator;
import dev.ebb.testing.FakeNodeAgent;
import dev.ebb.testing.LocalManifests;
import dev.ebb.testing.RealApiServerResource;
import dev.ebb.testing.SimulatorResource;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backend local on the real API server: the local sample's component becomes the Deployment and
 * Service of SageMaker's container contract, the copy count is written only through the scale
 * subresource, and the component's status follows its Deployment (whose copies the fake node agent
 * runs, as the test API server has no kubelet or controller-manager).
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
@QuarkusTestResource(SimulatorResource.class)
class LocalComponentIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("local", TIMEOUT);

  /** Injected by SimulatorResource: the operator's ebb.aws.endpoint-override. */
  SageMakerSimulator simulator;

  @Test
  void theLocalSampleRunsAsTheContainerContractsDeploymentAndService() throws IOException {
    ns.apply(Path.of("config/samples/llm-local.yaml"));
    // Created with its first copy count, then applied as Ebb's desired state: wait for the apply.
    Deployment deployment =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> ns.get(Deployment.class, "llama3-8b-local"),
                d ->
                    d != null
                        && d.getMetadata().getManagedFields().stream()
                            .anyMatch(f -> "ebb".equals(f.getManager())));
    InferenceComponent component = ns.get(InferenceComponent.class, "llama3-8b-local");

    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo(component.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(deployment.getSpec().getReplicas()).as("the initial copies").isEqualTo(1);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container server = pod.getContainers().get(0);
    assertThat(server.getImage()).contains("huggingface-pytorch-tgi-inference");
    assertThat(server.getArgs()).as("SageMaker's docker run IMAGE serve").containsExactly("serve");
    assertThat(server.getCommand()).isNullOrEmpty();
    assertThat(server.getTerminationMessagePolicy())
        .as("the log's tail is the last termination's message")
        .isEqualTo("FallbackToLogsOnError");
    assertThat(server.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ping");
    assertThat(server.getReadinessProbe().getPeriodSeconds()).isEqualTo(10);
    assertThat(server.getReadinessProbe().getTimeoutSeconds()).isEqualTo(5);
    assertThat(server.getReadinessProbe().getFailureThreshold()).isEqualTo(3);
    assertThat(server.getStartupProbe().getHttpGet().getPath()).isEqualTo("/ping");
    assertThat(server.getStartupProbe().getPeriodSeconds()).isEqualTo(5);
    assertThat(server.getStartupProbe().getTimeoutSeconds()).isEqualTo(5);
    assertThat(
            server.getStartupProbe().getPeriodSeconds()
                * server.getStartupProbe().getFailureThreshold())
        .as("bounded by the health-check timeout")
        .isEqualTo(1200);
    assertThat(deployment.getSpec().getProgressDeadlineSeconds()).isEqualTo(1200 + 1200 + 600);
    assertThat(server.getEnv())
        .extracting(EnvVar::getName)
        .contains("HF_MODEL_ID", "SM_NUM_GPUS", "SAGEMAKER_BIND_TO_PORT");
    assertThat(server.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("16384Mi"));
    assertThat(server.getResources().getRequests()).containsEntry("cpu", new Quantity("4"));
    assertThat(server.getVolumeMounts())
        .extracting(VolumeMount::getMountPath, VolumeMount::getReadOnly)
        .containsExactly(tuple("/opt/ml/model", true), tuple("/dev/shm", null));
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("dshm"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
              assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("8192Mi"));
            });
    assertThat(pod.getServiceAccountName()).isEqualTo("llama3-models");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    String version =
        ConfigProvider.getConfig().getValue("quarkus.application.version", String.class);
    assertThat(version).isEqualTo(pomVersion());
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            init -> {
              assertThat(init.getName()).isEqualTo("fetch-model");
              assertThat(init.getImage())
                  .as("Ebb's own image, of this version, by default")
                  .isEqualTo("ghcr.io/ebb-dev/ebb:" + version);
              assertThat(init.getCommand())
                  .startsWith("java")
                  .containsSequence(
                      "-cp",
                      "/deployments/app/*:/deployments/lib/main/*:/deployments/lib/boot/*",
                      "dev.ebb.sagemaker.ModelFetch")
                  .endsWith("dev.ebb.sagemaker.ModelFetch");
              assertThat(init.getArgs())
                  .containsExactly(
                      "s3://ebb-models-123456789012/llama3-8b-instruct/",
                      "/opt/ml/model",
                      "--timeout-seconds",
                      "1200");
              assertThat(init.getEnv())
                  .as("the operator's endpoint override (the simulator) is the fetcher's S3")
                  .containsExactly(
                      new EnvVar("EBB_S3_ENDPOINT", simulator.endpoint().toString(), null));
              assertThat(init.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
              assertThat(init.getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(init.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
              assertThat(init.getVolumeMounts())
                  .singleElement()
                  .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/opt/ml/model"));
            });
    assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.product", "NVIDIA-A10G");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    assertThat(deployment.getMetadata().getManagedFields())
        .filteredOn(f -> "ebb".equals(f.getManager()))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.getFieldsV1().getAdditionalProperties().toString())
                    .as("the applied desired state does not own the copy count")
                    .doesNotContain("f:replicas"));

    Service service = ns.get(Service.class, "llama3-8b-local");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
    assertThat(service.getSpec().getSelector())
        .containsEntry("ebb.dev/inference-component", "llama3-8b-local");

    InferenceComponent starting =
        awaitComponent("llama3-8b-local", c -> "CopiesStarting".equals(ready(c).reason()));
    assertThat(starting.getStatus().copies().desired()).isEqualTo(1);
    assertThat(starting.getStatus().copies().current()).isZero();

    // The cluster's part (scheduler, kubelet, controller-manager): the copy starts and is ready.
    try (var agent =
        new FakeNodeAgent(
            ns.client(),
            ns.name(),
            Duration.ofMillis(100),
            Duration.ofMillis(1100),
            Duration.ZERO)) {
      InferenceComponent serving =
          awaitComponent("llama3-8b-local", c -> "Serving".equals(ready(c).reason()));
      assertThat(serving.getStatus().state()).isEqualTo("Serving");
      assertThat(ready(serving).status()).isEqualTo("True");
      InferenceComponent measured =
          awaitComponent("llama3-8b-local", c -> c.getStatus().lastColdStart() != null);
      assertThat(measured.getStatus().lastColdStart().phases().get("modelFetched"))
          .as("the fake node's model fetch takes 1.1 s")
          .isGreaterThanOrEqualTo(1.0);
    }
  }

  /**
   * The copies admit ingress only from Ebb's pods: the component's NetworkPolicy, as the API server
   * stores it (the test API server has no network plugin, so it is checked, not enforced; on a
   * cluster whose plugin enforces NetworkPolicies, nothing but the gateway reaches the model).
   */
  @Test
  void theCopiesAdmitOnlyEbbsPodsThroughTheComponentsNetworkPolicy() {
    ns.apply(LocalManifests.cpuComponent(1));
    NetworkPolicy policy =
        await().atMost(TIMEOUT).until(() -> ns.get(NetworkPolicy.class, "tiny"), p -> p != null);
    InferenceComponent component = ns.get(InferenceComponent.class, "tiny");
    Deployment deployment =
        await().atMost(TIMEOUT).until(() -> ns.get(Deployment.class, "tiny"), d -> d != null);

    assertThat(policy.getMetadata().getOwnerReferences())
        .as("garbage-collected with its component")
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo(component.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .as("selects exactly the component's copies")
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts()).isNullOrEmpty();
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(
                      from -> {
                        assertThat(from.getNamespaceSelector().getMatchLabels())
                            .isEqualTo(Map.of("kubernetes.io/metadata.name", "ebb-system"));
                        assertThat(from.getPodSelector().getMatchLabels())
                            .isEqualTo(
                                Map.of(
                                    "app.kubernetes.io/name",
                                    "ebb",
                                    "app.kubernetes.io/instance",
                                    "ebb"));
                      });
            });
    assertThat(policy.getMetadata().getManagedFields())
        .anyMatch(f -> "ebb".equals(f.getManager()) && "Apply".equals(f.getOperation()));
  }

  @Test
  void withoutAPolicyKubectlScaleSetsTheCopiesThroughTheScaleSubresource() {
    ns.apply(LocalManifests.cpuComponent(2));
    assertThat(awaitDeployment("tiny").getSpec().getReplicas()).isEqualTo(2);
    assertThat(awaitDeployment("tiny").getSpec().getTemplate().getSpec().getInitContainers())
        .as("no model data, nothing to fetch")
        .isEmpty();

    ns.resources(InferenceComponent.class).withName("tiny").scale(0);

    InferenceComponent scaled =
        awaitComponent("tiny", c -> "ScaledToZero".equals(ready(c).reason()));
    assertThat(scaled.getStatus().condition(Condition.SCALED_TO_ZERO).status()).isEqualTo("True");
    assertThat(replicas("tiny")).isZero();
    // Another pass (the endpoint changes) re-applies the desired state: the copy count stays.
    ns.resources(InferenceEndpoint.class)
        .withName("cpu")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"ebb.dev/test\":\"touched\"}}}");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> replicas("tiny") == 0);
  }

  // --- helpers -----------------------------------------------------------------------------

  private Deployment awaitDeployment(String name) {
    return await().atMost(TIMEOUT).until(() -> ns.get(Deployment.class, name), d -> d != null);
  }

  private static String pomVersion() throws IOException {
    Matcher pom =
        Pattern.compile("<artifactId>ebb</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(pom.find()).isTrue();
    return pom.group(1);
  }

  private int replicas(String deployment) {
    return ns.get(Deployment.class, deployment).getSpec().getReplicas();
  }

  private static Condition ready(InferenceComponent c) {
    return c.getStatus().condition(Condition.READY);
  }

  /** Waits for the component to have a Ready condition and match {@code condition}. */
  private InferenceComponent awaitComponent(String name, Predicate<InferenceComponent> condition) {
    return ns.awaitStatus(
        InferenceComponent.class, name, c -> ready(c) != null && condition.test(c));
  }
}
