package dev.ebb.helm;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rendered chart installed on an API server as Helm would (its CRDs come with the server), and
 * the packaged operator's environment and credentials taken from it: the Deployment's environment
 * (so the chart's JVM flags and settings apply) and a token of the chart's ServiceAccount (so the
 * chart's RBAC is all the operator has). For the tests and benchmarks that run the operator as a
 * process ({@link dev.ebb.testing.EbbProcess}) the way the chart deploys it.
 */
public final class ChartInstall {
  private ChartInstall() {}

  /**
   * Creates namespace {@code ns} and server-side applies every object of {@code chart} but the
   * CRDs, with Helm's field manager; returns them as "Kind/name".
   */
  public static List<String> apply(KubernetesClient client, List<HasMetadata> chart, String ns) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    List<String> applied = new ArrayList<>();
    for (HasMetadata object : chart) {
      if (!(object instanceof CustomResourceDefinition)) {
        client.resource(object).fieldManager("helm").serverSideApply();
        applied.add(object.getKind() + "/" + object.getMetadata().getName());
      }
    }
    return applied;
  }

  /** A token of the chart's ServiceAccount {@code ebb} in {@code ns}, from the TokenRequest API. */
  public static String serviceAccountToken(KubernetesClient client, String ns) {
    return client
        .serviceAccounts()
        .inNamespace(ns)
        .withName("ebb")
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /**
   * System properties that point the operator at {@code admin}'s server with {@code token} as its
   * only credential (never a kubeconfig or a mounted token), and fake AWS keys for the simulator.
   */
  public static Map<String, String> credentials(Config admin, String token) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("quarkus.kubernetes-client.api-server-url", admin.getMasterUrl());
    properties.put("quarkus.kubernetes-client.ca-cert-file", admin.getCaCertFile());
    properties.put("quarkus.kubernetes-client.token", token);
    properties.put("quarkus.kubernetes-client.trust-certs", "false");
    properties.put("kubernetes.auth.tryKubeConfig", "false");
    properties.put("kubernetes.auth.tryServiceAccount", "false");
    properties.put("aws.accessKeyId", "test");
    properties.put("aws.secretAccessKey", "test");
    return properties;
  }

  /**
   * The environment of the chart Deployment's container, resolved as the kubelet would for a pod in
   * {@code ns} on loopback: values, the pod's namespace and IP, and Secret keys from the chart. The
   * management port is left out: each local process needs a free one.
   */
  public static Map<String, String> environment(List<HasMetadata> chart, String ns) {
    Deployment deployment = HelmChart.find(chart, Deployment.class);
    Map<String, String> env = new TreeMap<>();
    for (EnvVar var :
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getFieldRef() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        env.put(
            var.getName(),
            switch (field) {
              case "metadata.namespace" -> ns;
              case "status.podIP" -> "127.0.0.1";
              default -> throw new AssertionError("unexpected fieldRef " + field);
            });
      } else {
        var ref = var.getValueFrom().getSecretKeyRef();
        Secret secret =
            chart.stream()
                .filter(Secret.class::isInstance)
                .map(Secret.class::cast)
                .filter(s -> s.getMetadata().getName().equals(ref.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the chart has no Secret " + ref.getName()));
        env.put(
            var.getName(),
            new String(
                Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                StandardCharsets.UTF_8));
      }
    }
    env.remove("QUARKUS_MANAGEMENT_PORT");
    return env;
  }
}
