package dev.ebb.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.helm.HelmChart.Values;
import dev.ebb.testing.EmbeddedApiServer;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered chart against the real kube-apiserver: every object of every value set passes a
 * server-side dry-run apply (schemas, defaulting, admission; nothing is stored), and the operator's
 * pod is admitted by PodSecurity enforcing the {@code restricted} standard. The ServiceMonitor is
 * checked against a minimal ServiceMonitor CRD installed from {@code src/test/resources/helm/}.
 */
class ChartIT {
  @RegisterExtension
  static final TestNamespaceExtension namespace = new TestNamespaceExtension("chart");

  /** Not a @QuarkusTest: the extension's client may be made when the class is. */
  private static final KubernetesClient client = namespace.client();

  @BeforeAll
  static void installServiceMonitorCrd() throws IOException {
    try (InputStream in = ChartIT.class.getResourceAsStream("/helm/servicemonitor-crd.yaml")) {
      EmbeddedApiServer.installCrd(client, in);
    }
  }

  @ParameterizedTest
  @EnumSource(Values.class)
  void everyRenderedObjectPassesAServerSideDryRun(Values values) {
    String ns = namespace.name();
    List<HasMetadata> objects = HelmChart.objects(HelmChart.template(ns, values));
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "CustomResourceDefinition",
            "Deployment",
            "ClusterRole",
            "Role",
            "Service",
            "Secret",
            "ServiceAccount");
    if (values == Values.MONITORING_AND_NETWORK_POLICY) {
      assertThat(objects)
          .extracting(HasMetadata::getKind)
          .contains("ServiceMonitor", "NetworkPolicy");
    }
    for (HasMetadata object : objects) {
      try {
        client
            .resource(object)
            .dryRun()
            .fieldManager("chart-it")
            .forceConflicts()
            .serverSideApply();
      } catch (KubernetesClientException e) {
        throw new AssertionError(
            object.getKind()
                + " "
                + object.getMetadata().getName()
                + " ("
                + values
                + "): "
                + e.getMessage(),
            e);
      }
    }
    System.out.printf(
        "[ebb-tests] chart values %s: %d objects accepted by a server-side dry-run%n",
        values, objects.size());
  }

  @Test
  @TestNamespaceExtension.Prefix("restricted")
  void theOperatorPodIsAdmittedUnderTheRestrictedPodSecurityStandard() {
    String ns = namespace.name();
    client
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
              n.getMetadata()
                  .getLabels()
                  .put("pod-security.kubernetes.io/enforce-version", "latest");
              return n;
            });
    Deployment deployment =
        HelmChart.find(
            HelmChart.objects(HelmChart.template(ns, Values.DEFAULTS)), Deployment.class);
    Pod pod = podOf(deployment, ns);
    client.resource(pod).dryRun().create();

    // The control: the same pod without the container's security context is refused, so the
    // namespace really enforces the standard.
    Pod lax = podOf(deployment, ns);
    lax.getSpec().getContainers().get(0).setSecurityContext(null);
    assertThatThrownBy(() -> client.resource(lax).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"");
  }

  /**
   * {@code helm install} and {@code helm upgrade} against the API server: the peer token Secret the
   * chart generates on install is found again by {@code lookup} on upgrade, so the replicas never
   * disagree on it.
   */
  @Test
  @TestNamespaceExtension.Prefix("helm-install")
  void anUpgradeKeepsThePeerTokenGeneratedAtInstall() throws IOException {
    String ns = namespace.name();
    Path kubeconfig = Files.createTempFile("chart-it", ".kubeconfig");
    Files.writeString(kubeconfig, EmbeddedApiServer.kubeConfigYaml());
    // Its own release name: the ClusterRole's name is derived from it and the server is shared.
    List<String> release =
        List.of(
            "peer",
            HelmChart.CHART.toString(),
            "--namespace",
            ns,
            "--kubeconfig",
            kubeconfig.toString(),
            "--skip-crds");
    try {
      helm("install", release);
      String token = peerToken(ns);
      assertThat(token).hasSizeGreaterThanOrEqualTo(48);
      helm("upgrade", release, "--set", "replicas=3");
      assertThat(peerToken(ns)).isEqualTo(token);
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .withName("peer-ebb")
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(3);
    } finally {
      helm("uninstall", List.of("peer", "--namespace", ns, "--kubeconfig", kubeconfig.toString()));
      Files.deleteIfExists(kubeconfig);
    }
  }

  private static void helm(String command, List<String> args, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(command));
    all.addAll(args);
    all.addAll(List.of(more));
    HelmChart.Result result = HelmChart.run(all);
    assertThat(result.exitCode()).as("helm %s:%n%s", all, result.output()).isZero();
  }

  private static String peerToken(String ns) {
    return client
        .secrets()
        .inNamespace(ns)
        .withName("peer-ebb-peer-token")
        .get()
        .getData()
        .get("peer-token");
  }

  /** CI has no docker: at least the manifest hack/kind-e2e.sh applies is checked here. */
  @Test
  @TestNamespaceExtension.Prefix("kind-sample")
  void theKindScriptsSampleIsValid() throws IOException {
    String ns = namespace.name();
    try (InputStream in = Files.newInputStream(Path.of("hack/kind/tiny-local.yaml"))) {
      List<HasMetadata> objects = client.load(in).items();
      assertThat(objects)
          .extracting(HasMetadata::getKind)
          .containsExactly("Secret", "InferenceEndpoint", "InferenceComponent", "ScalingPolicy");
      for (HasMetadata object : objects) {
        object.getMetadata().setNamespace(ns);
        client.resource(object).dryRun().fieldManager("chart-it").serverSideApply();
      }
    }
  }

  private static Pod podOf(Deployment deployment, String ns) {
    var template = deployment.getSpec().getTemplate();
    return new PodBuilder()
        .withNewMetadata()
        .withName("ebb-restricted")
        .withNamespace(ns)
        .withLabels(template.getMetadata().getLabels())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }
}
