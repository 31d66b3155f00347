package dev.ebb.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.StartupSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelServerWorkloadTest {
  private static final ModelFetcher FETCHER = new ModelFetcher("ghcr.io/ebb-dev/ebb:1.2.3", null);

  @Test
  void theServerGetsSageMakersServeArgumentAfterItsEntrypoint() {
    Container server = server(pod(component("", ""), endpoint("")));
    assertThat(server.getArgs()).containsExactly("serve");
    assertThat(server.getCommand()).as("the image's ENTRYPOINT runs").isNullOrEmpty();
  }

  @Test
  void theInitContainerRunsEbbsFetcherWithPlainJavaFromTheFastJar() {
    PodSpec pod =
        pod(
            component("modelDataUrl: s3://b/llama/", "startup: {modelDownloadTimeoutSeconds: 900}"),
            endpoint(""));
    Container fetch = pod.getInitContainers().get(0);
    assertThat(pod.getInitContainers()).hasSize(1);
    assertThat(fetch.getName()).isEqualTo("fetch-model");
    assertThat(fetch.getImage()).isEqualTo("ghcr.io/ebb-dev/ebb:1.2.3");
    assertThat(fetch.getCommand())
        .containsExactly(
            "java",
            "-XX:MaxRAMPercentage=75",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-XX:-UsePerfData",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-cp",
            "/deployments/app/*:/deployments/lib/main/*:/deployments/lib/boot/*",
            "dev.ebb.sagemaker.ModelFetch");
    assertThat(fetch.getArgs())
        .containsExactly("s3://b/llama/", "/opt/ml/model", "--timeout-seconds", "900");
    assertThat(fetch.getEnv()).as("S3 itself: no endpoint override").isEmpty();
    assertThat(fetch.getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .containsExactly("/opt/ml/model");
    assertThat(fetch.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(fetch.getResources().getLimits()).containsOnlyKeys("memory");
    assertThat(fetch.getResources().getLimits().get("memory")).isEqualTo(new Quantity("512Mi"));
  }

  @Test
  void bothContainersLeaveTheirLogsTailAsTheirTerminationMessageWhenTheyFail() {
    PodSpec pod = pod(component("modelDataUrl: s3://b/m.tar.gz", ""), endpoint(""));
    assertThat(pod.getInitContainers().get(0).getTerminationMessagePolicy())
        .isEqualTo("FallbackToLogsOnError");
    assertThat(server(pod).getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
  }

  @Test
  void theFetcherIsRestrictedAndWritesOnlyTheModelVolume() {
    var security =
        pod(component("modelDataUrl: s3://b/m.tar.gz", ""), endpoint(""))
            .getInitContainers()
            .get(0)
            .getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(185L);
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest(name = "{0}, endpoint override {1}")
  @CsvSource(
      nullValues = "-",
      value = {
        // modelDataUrl,          s3Endpoint,             timeout args, EBB_S3_ENDPOINT
        "s3://b/llama/,           -,                      3600,         -",
        "s3://b/whisper.tar.gz,   http://127.0.0.1:4599,  3600,         http://127.0.0.1:4599",
        "s3://b/llama/,           '',                     3600,         -",
      })
  void theFetchersArgumentsAndEndpoint(
      String url, String s3Endpoint, String timeout, String expectedEndpoint) {
    Container fetch =
        pod(
                component("modelDataUrl: " + url, ""),
                endpoint(""),
                new ModelFetcher("ebb:1", s3Endpoint))
            .getInitContainers()
            .get(0);
    assertThat(fetch.getArgs()).containsExactly(url, "/opt/ml/model", "--timeout-seconds", timeout);
    if (expectedEndpoint == null) {
      assertThat(fetch.getEnv()).isEmpty();
    } else {
      assertThat(fetch.getEnv())
          .containsExactly(new EnvVar("EBB_S3_ENDPOINT", expectedEndpoint, null));
    }
  }

  @Test
  void withoutModelDataThereIsNothingToFetch() {
    PodSpec pod = pod(component("", ""), endpoint(""));
    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(server(pod).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/opt/ml/model"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isFalse());
  }

  @Test
  void readinessToleratesAPauseOfAboutThirtySeconds() {
    Probe readiness = server(pod(component("", ""), endpoint(""))).getReadinessProbe();
    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/ping");
    assertThat(readiness.getPeriodSeconds()).isEqualTo(10);
    assertThat(readiness.getTimeoutSeconds()).isEqualTo(5);
    assertThat(readiness.getFailureThreshold()).isEqualTo(3);
  }

  @ParameterizedTest(name = "healthCheckTimeoutSeconds {0}: {1} periods of 5 s")
  @CsvSource(
      nullValues = "-",
      value = {
        // healthCheckTimeoutSeconds, startup failureThreshold
        "1200, 240",
        "65,   13",
        "62,   13",
        "60,   12",
        "-,    720",
      })
  void theStartupProbeAllowsTheHealthCheckTimeoutInWholePeriodsOfFiveSeconds(
      Integer health, int periods) {
    StartupSpec startup = health == null ? null : new StartupSpec(60, health);
    assertThat(ModelServerWorkload.startupPeriods(startup)).isEqualTo(periods);
    Probe probe =
        server(
                pod(
                    component(
                        "",
                        health == null
                            ? ""
                            : "startup: {healthCheckTimeoutSeconds: " + health + "}"),
                    endpoint("")))
            .getStartupProbe();
    assertThat(probe.getHttpGet().getPath()).isEqualTo("/ping");
    assertThat(probe.getPeriodSeconds()).isEqualTo(5);
    assertThat(probe.getTimeoutSeconds()).isEqualTo(5);
    assertThat(probe.getFailureThreshold()).isEqualTo(periods);
  }

  @ParameterizedTest(name = "download {0} s, health check {1} s: {2} s")
  @CsvSource(
      nullValues = "-",
      value = {
        // download, health, progressDeadlineSeconds (download + startup probe budget + 600)
        "600,  1200, 2400",
        "60,   62,   725",
        "-,    -,    7800",
      })
  void aCopyCountsAsStartingForTheDownloadAndStartupBoundsPlusTimeToScheduleIt(
      Integer download, Integer health, int deadline) {
    StartupSpec startup = download == null ? null : new StartupSpec(download, health);
    assertThat(ModelServerWorkload.progressDeadlineSeconds(startup)).isEqualTo(deadline);
  }

  @ParameterizedTest(name = "local: {0}")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      value = {
        // the endpoint's spec.local                           | serviceAccountName
        "'local: {serviceAccountName: llama-models}'           | llama-models",
        "'local: {nodeSelector: {pool: gpu}}'                  | -",
        "''                                                    | -",
      })
  void podsRunAsTheEndpointsServiceAccountWithoutAnApiToken(String local, String account) {
    PodSpec pod = pod(component("modelDataUrl: s3://b/llama/", ""), endpoint(local));
    assertThat(pod.getServiceAccountName()).isEqualTo(account);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @ParameterizedTest(name = "memoryMb {0}, sharedMemoryMb {1}: {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        // memoryMb, sharedMemoryMb, /dev/shm size limit
        "16384, 8192, 8192Mi",
        "16384, -,    8192Mi",
        "16384, 64,   64Mi",
        "129,   -,    64Mi",
        "4096,  4096, 4096Mi",
      })
  void devShmIsAMemoryBackedVolumeSizedFromTheResources(
      int memoryMb, Integer sharedMemoryMb, String sizeLimit) {
    String resources =
        "resources: {memoryMb: "
            + memoryMb
            + (sharedMemoryMb == null ? "" : ", sharedMemoryMb: " + sharedMemoryMb)
            + "}";
    PodSpec pod = pod(component("modelDataUrl: s3://b/llama/", resources), endpoint(""));
    Volume shm =
        pod.getVolumes().stream().filter(v -> v.getName().equals("dshm")).findFirst().orElseThrow();
    assertThat(shm.getEmptyDir().getMedium()).isEqualTo("Memory");
    assertThat(shm.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity(sizeLimit));
    assertThat(server(pod).getVolumeMounts())
        .filteredOn(m -> m.getName().equals("dshm"))
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/dev/shm"));
    assertThat(pod.getInitContainers().get(0).getVolumeMounts())
        .extracting(VolumeMount::getName)
        .containsExactly("model");
  }

  @Test
  void theSameInputsGiveTheSameDeployment() {
    InferenceComponent component = component("modelDataUrl: s3://b/llama/", "");
    InferenceEndpoint endpoint = endpoint("local: {serviceAccountName: models}");
    assertThat(ModelServerWorkload.deployment(component, endpoint, FETCHER))
        .isEqualTo(ModelServerWorkload.deployment(component, endpoint, FETCHER));
  }

  // --- fixtures ----------------------------------------------------------------------------

  /**
   * A component on endpoint "llama"; {@code model} adds lines to spec.model, {@code extra} to spec
   * (a {@code resources:} line replaces the default resources).
   */
  private static InferenceComponent component(String model, String extra) {
    String resources = extra.startsWith("resources:") ? "" : "\n  resources: {memoryMb: 16384}";
    String yaml =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: llama-8b, namespace: models, uid: 0f6c6c5e-0000-4000-8000-000000000001}
        spec:
          endpointRef: {name: llama}
          variant: AllTraffic
          model:
            image: tgi:2
            %s%s
          %s
        """
            .formatted(model, resources, extra);
    return Serialization.unmarshal(yaml, InferenceComponent.class);
  }

  /** A backend-local endpoint "llama"; {@code local} is a line of its spec. */
  private static InferenceEndpoint endpoint(String local) {
    String yaml =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: llama, namespace: models}
        spec:
          backend: local
          variants: [{name: AllTraffic}]
          %s
        """
            .formatted(local);
    return Serialization.unmarshal(yaml, InferenceEndpoint.class);
  }

  private static PodSpec pod(InferenceComponent component, InferenceEndpoint endpoint) {
    return pod(component, endpoint, FETCHER);
  }

  private static PodSpec pod(
      InferenceComponent component, InferenceEndpoint endpoint, ModelFetcher fetcher) {
    return ModelServerWorkload.deployment(component, endpoint, fetcher)
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static Container server(PodSpec pod) {
    List<Container> containers = pod.getContainers();
    assertThat(containers).hasSize(1);
    assertThat(containers.get(0).getName()).isEqualTo(ModelServerWorkload.SERVER_CONTAINER);
    return containers.get(0);
  }
}
