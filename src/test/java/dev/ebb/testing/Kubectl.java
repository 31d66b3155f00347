package dev.ebb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real kubectl (built by {@code .ci/provision-kube.sh} beside the API server) against the
 * shared test API server: for tests of what a user's own {@code kubectl apply} does to Ebb's
 * objects, which no client library reproduces exactly (client-side apply's last-applied annotation,
 * the field manager kubectl names).
 */
public final class Kubectl {
  private final Path binary;
  private final Path kubeconfig;

  private Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /** kubectl for the shared server of {@link EmbeddedApiServer}. */
  public static Kubectl forSharedServer() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    String version = System.getenv("KUBE_API_TEST_API_SERVER_VERSION");
    if (dir == null || version == null) {
      throw new IllegalStateException(
          "KUBE_API_TEST_DIR and KUBE_API_TEST_API_SERVER_VERSION are unset: run through Maven");
    }
    Path binary = Path.of(dir, "k8s", version + "-linux-amd64", "kubectl");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(binary + " is missing: run .ci/provision-kube.sh");
    }
    try {
      Path kubeconfig = Files.createTempFile("ebb-kubectl-", ".kubeconfig");
      kubeconfig.toFile().deleteOnExit();
      Files.writeString(kubeconfig, EmbeddedApiServer.kubeConfigYaml());
      return new Kubectl(binary, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code kubectl args...} with {@code stdin}; returns stdout, or throws with stderr. */
  public String run(String stdin, String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Command.Result result = Command.run(command, stdin, Duration.ofSeconds(60));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "kubectl " + String.join(" ", args) + " failed: " + result.stderr());
    }
    return result.stdout();
  }
}
