package dev.ebb.testing;

import dev.ebb.crds.CrdGeneration;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd + kube-apiserver (fabric8 kube-api-test), started once per JVM and shared by every
 * integration test, with Ebb's committed CRDs installed. Binaries come from {@code
 * $KUBE_API_TEST_DIR} (filled offline by {@code .ci/provision-kube.sh}); the server is never mocked
 * and its absence is an error, not a skip.
 */
public final class EmbeddedApiServer {
  private static KubeAPIServer server;
  private static String kubeConfigYaml;

  private EmbeddedApiServer() {}

  /** Starts the server (once) and installs the CRDs; returns its kubeconfig. */
  public static synchronized String kubeConfigYaml() {
    if (server == null) {
      server = start(Map.of());
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-apiserver-stop"));
      kubeConfigYaml = server.getKubeConfigYaml();
      try (KubernetesClient client = newClient()) {
        installCrds(client);
      }
    }
    return kubeConfigYaml;
  }

  /**
   * A server of one test's own (its own etcd), with Ebb's CRDs and extra kube-apiserver {@code
   * flags} (e.g. an audit log): nothing runs against it but what that test starts, not even the
   * operators of {@code @QuarkusTest}s sharing the JVM. The caller stops it.
   */
  public static KubeAPIServer startPrivate(Map<String, String> flags) {
    KubeAPIServer own = start(flags);
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(own.getKubeConfigYaml()))
            .build()) {
      installCrds(client);
    } catch (RuntimeException e) {
      own.stop();
      throw e;
    }
    return own;
  }

  private static KubeAPIServer start(Map<String, String> flags) {
    String dir = requiredEnv("KUBE_API_TEST_DIR");
    String version = requiredEnv("KUBE_API_TEST_API_SERVER_VERSION");
    Path binaries = Path.of(dir, "k8s", version + "-linux-amd64", "kube-apiserver");
    if (!Files.isExecutable(binaries)) {
      throw new IllegalStateException(
          binaries
              + " is missing: run .ci/provision-kube.sh (it builds etcd and kube-apiserver"
              + " from the Go module proxy, offline)");
    }
    KubeAPIServerConfigBuilder config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(dir)
            .withApiServerVersion(version)
            .withOfflineMode(true)
            .withUpdateKubeConfig(false);
    // Loopback only: nothing outside this machine (or its other network namespaces) reaches the
    // test API server. Its etcd is bound to loopback by the wrapper provision-kube.sh installs.
    config.withApiServerFlag("--bind-address", "127.0.0.1");
    flags.forEach(config::withApiServerFlag);
    KubeAPIServer started = new KubeAPIServer(config.build());
    try (ApiServerOutput output = ApiServerOutput.capture()) {
      try {
        started.start();
      } catch (RuntimeException e) {
        // kube-api-test says only that the server "did not start properly"; its own words are in
        // the output kube-api-test logs at debug level, which the tests' logging drops.
        IllegalStateException failed =
            new IllegalStateException(
                "kube-apiserver "
                    + version
                    + " did not start ("
                    + e.getMessage()
                    + "); its last output:\n"
                    + output.lastLines(),
                e);
        try {
          started.stop(); // etcd, which did start
        } catch (RuntimeException partial) {
          failed.addSuppressed(partial);
        }
        throw failed;
      }
    }
    // Say plainly, in the test output, that a real server runs (and which one).
    System.out.println(
        "[ebb-tests] started a real etcd + kube-apiserver v"
            + version
            + " from "
            + binaries.getParent()
            + (flags.isEmpty() ? "" : " with " + flags.keySet()));
    return started;
  }

  /** A new client for the shared server (the caller closes it). */
  public static KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** Client configuration for the shared server. */
  public static Config config() {
    return Config.fromKubeconfig(kubeConfigYaml());
  }

  /** Server-side applies the committed CRDs and waits until the API server serves them. */
  public static void installCrds(KubernetesClient client) {
    for (String yaml : CrdGeneration.read(Path.of("crds")).values()) {
      installCrd(client, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Server-side applies one CRD (YAML) and waits until it is Established. */
  public static void installCrd(KubernetesClient client, java.io.InputStream yaml) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
    client.resource(crd).forceConflicts().serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            cond ->
                                "Established".equals(cond.getType())
                                    && "True".equals(cond.getStatus())),
            60,
            TimeUnit.SECONDS);
  }

  private static String requiredEnv(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name + " is not set: run the tests through Maven (the POM sets it) or .ci/run");
    }
    return value;
  }

  /**
   * Runs a standalone API server for development: writes its kubeconfig to the path given (or
   * ./target/ebb-dev.kubeconfig) and stays up until interrupted.
   */
  public static void main(String[] args) throws Exception {
    Path kubeconfig = Path.of(args.length > 0 ? args[0] : "target/ebb-dev.kubeconfig");
    Files.createDirectories(kubeconfig.toAbsolutePath().getParent());
    String yaml;
    try {
      yaml = kubeConfigYaml();
    } catch (RuntimeException e) {
      // Keep the server up so the failing CRD can be inspected with kubectl.
      System.err.println("CRD installation failed: " + e.getMessage());
      yaml = server.getKubeConfigYaml();
    }
    Files.writeString(kubeconfig, yaml);
    System.out.println("EBB_DEV_KUBECONFIG=" + kubeconfig.toAbsolutePath());
    System.out.flush();
    Thread.currentThread().join();
  }
}
