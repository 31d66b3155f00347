package dev.ebb.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.ebb.helm.HelmChart.Values;
import dev.ebb.reconciler.tenancy.TenancyRules;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart as {@code helm} renders it, without an API server: it lints clean (strict), its RBAC is
 * exactly the table below with no wildcard, and every Ebb setting it sets is a real Ebb property.
 * RbacIT proves on a real API server that these rules are enough, and that Ebb uses each.
 */
class ChartTest {
  private static final String NS = "ebb-system";

  /**
   * Every rule the chart grants, "apiGroup resources[names]: verbs". Changing RBAC means changing
   * this table, on purpose.
   */
  static final List<String> CLUSTER_ROLE =
      List.of(
          "ebb.dev inferenceendpoints,inferencecomponents,scalingpolicies,batchtransforms:"
              + " get,list,watch,patch",
          "apiextensions.k8s.io customresourcedefinitions[inferenceendpoints.ebb.dev,"
              + "inferencecomponents.ebb.dev,scalingpolicies.ebb.dev,batchtransforms.ebb.dev]: get",
          "ebb.dev inferenceendpoints/status,inferencecomponents/status,scalingpolicies/status,"
              + "batchtransforms/status: patch",
          " events: create",
          "apps deployments: list,watch,create,patch",
          "apps deployments/scale: patch",
          " services: create,patch",
          "batch jobs: list,watch,create",
          "networking.k8s.io networkpolicies: create,patch",
          " pods: list,watch",
          " secrets: list,watch",
          "authentication.k8s.io tokenreviews: create");

  static final List<String> LEADER_ELECTION_ROLE =
      List.of(
          "coordination.k8s.io leases: create",
          "coordination.k8s.io leases[ebb-operator]: get,patch,update",
          "rbac.authorization.k8s.io roles[ebb-leader-election]: get");

  /** With tenancy on: Ebb may read its one ConfigMap, by name (docs/tenancy.md). */
  static final List<String> TENANCY_ROLE = List.of(" configmaps[ebb-tenancy]: list,watch");

  /** Ebb properties the chart deliberately leaves to Ebb's default, and why. */
  private static final Map<String, String> NOT_EXPOSED =
      Map.of(
          "EBB_TENANCY_NAMESPACE",
          "the chart's tenancy ConfigMap is in the release namespace (EBB_CLUSTER_NAMESPACE)",
          "EBB_AWS_ENDPOINT_OVERRIDE",
          "tests and the sandbox's simulator only (extraEnv)",
          "EBB_CLUSTER_PEERS",
          "fixed peer URLs: the chart finds the peers by label selector",
          "EBB_CLUSTER_PEER_PORT",
          "the container's gateway port is Ebb's default, 8080",
          "EBB_LEADER_ELECTION_ENABLED",
          "the chart runs replicas: leader election stays on",
          "EBB_LEADER_ELECTION_LEASE_NAME",
          "the Role grants exactly the Lease ebb-operator");

  @ParameterizedTest
  @EnumSource(Values.class)
  void lintsCleanWithStrict(Values values) {
    List<String> args = new ArrayList<>(List.of("lint", "--strict", HelmChart.CHART.toString()));
    args.addAll(values.args());
    HelmChart.Result lint = HelmChart.run(args);
    assertThat(lint.exitCode()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("0 chart(s) failed").doesNotContain("[WARNING]");
  }

  @Test
  void appVersionIsThePomVersionAndTheImageTagDefaultsToIt() throws IOException {
    Matcher pom =
        Pattern.compile("<artifactId>ebb</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(pom.find()).isTrue();
    assertThat(Files.readString(HelmChart.CHART.resolve("Chart.yaml")))
        .contains("appVersion: \"" + pom.group(1) + "\"");
    Deployment deployment = HelmChart.find(render(Values.DEFAULTS), Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/ebb-dev/ebb:" + pom.group(1));
  }

  @ParameterizedTest
  @EnumSource(Values.class)
  void rbacHasNoWildcardAndIsExactlyTheTable(Values values) {
    List<HasMetadata> objects = render(values);
    List<PolicyRule> clusterRules = HelmChart.find(objects, ClusterRole.class).getRules();
    Map<String, Role> roles =
        objects.stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
    List<PolicyRule> roleRules = roles.get("ebb-leader-election").getRules();
    List<PolicyRule> tenancyRules =
        roles.containsKey("ebb-tenancy") ? roles.get("ebb-tenancy").getRules() : List.of();
    assertThat(roles.keySet())
        .as("the Roles, in the release namespace")
        .isSubsetOf("ebb-leader-election", "ebb-tenancy");
    for (PolicyRule rule : concat(clusterRules, concat(roleRules, tenancyRules))) {
      assertThat(concat(rule.getApiGroups(), rule.getResources(), rule.getVerbs()))
          .as("rule %s", describe(rule))
          .noneMatch(s -> s.contains("*"));
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    }
    assertThat(clusterRules.stream().map(ChartTest::describe))
        .containsExactlyElementsOf(CLUSTER_ROLE);
    assertThat(roleRules.stream().map(ChartTest::describe))
        .containsExactlyElementsOf(LEADER_ELECTION_ROLE);
    assertThat(tenancyRules.stream().map(ChartTest::describe))
        .containsExactlyElementsOf(roles.containsKey("ebb-tenancy") ? TENANCY_ROLE : List.of());
    assertThat(roles.values()).allMatch(r -> NS.equals(r.getMetadata().getNamespace()));
  }

  /**
   * Tenancy off (the default): nothing of it is rendered, and Ebb keeps its old behaviour. On: the
   * ConfigMap holds the tenants as Ebb parses them, Ebb is told its name, and may read only it.
   */
  @Test
  void tenancyRendersItsConfigMapRoleAndSettingsOnlyWhenOn() {
    List<HasMetadata> off = render(Values.DEFAULTS);
    assertThat(off).noneMatch(o -> o.getMetadata().getName().endsWith("-tenancy"));
    assertThat(env(off)).doesNotContainKeys("EBB_TENANCY_ENABLED", "EBB_TENANCY_CONFIG_MAP");

    List<HasMetadata> on = render(Values.ALL_SETTINGS);
    ConfigMap configMap = HelmChart.find(on, ConfigMap.class);
    assertThat(configMap.getMetadata().getName()).isEqualTo("ebb-tenancy");
    assertThat(configMap.getMetadata().getNamespace()).isEqualTo(NS);
    TenancyRules rules = TenancyRules.parse(configMap.getData().get(TenancyRules.KEY));
    assertThat(rules.tenants())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.namespaces()).containsExactly("team-a", "team-a-*");
              assertThat(t.executionRoleArns())
                  .containsExactly("arn:aws:iam::123456789012:role/ebb/team-a/*");
              assertThat(t.accounts()).containsExactly("123456789012");
              assertThat(t.regions()).containsExactly("eu-west-1");
              assertThat(t.adoption()).isEqualTo(new TenancyRules.Adoption(true, "team-a-"));
            });
    assertThat(env(on).get("EBB_TENANCY_ENABLED").getValue()).isEqualTo("true");
    assertThat(env(on).get("EBB_TENANCY_CONFIG_MAP").getValue()).isEqualTo("ebb-tenancy");
    RoleBinding binding =
        on.stream()
            .filter(RoleBinding.class::isInstance)
            .map(RoleBinding.class::cast)
            .filter(b -> b.getMetadata().getName().equals("ebb-tenancy"))
            .findFirst()
            .orElseThrow();
    assertThat(binding.getRoleRef().getName()).isEqualTo("ebb-tenancy");
    assertThat(binding.getSubjects()).singleElement().extracting("name").isEqualTo("ebb");
  }

  @Test
  void everySettingTheChartSetsIsAnEbbPropertyAndEveryUsefulOneIsExposed() {
    Set<String> properties = ebbEnvironmentVariables();
    assertThat(properties).as("Ebb's properties, read from dev.ebb.config").hasSizeGreaterThan(20);
    assertThat(properties).containsAll(NOT_EXPOSED.keySet());

    Map<String, EnvVar> env = env(render(Values.ALL_SETTINGS));
    Set<String> ebb =
        env.keySet().stream().filter(n -> n.startsWith("EBB_")).collect(Collectors.toSet());
    assertThat(properties)
        .as("every EBB_ variable the chart sets names a property")
        .containsAll(ebb);
    Set<String> expected = new TreeSet<>(properties);
    expected.removeAll(NOT_EXPOSED.keySet());
    assertThat(ebb)
        .as("every property but the deliberate exceptions is exposed")
        .containsAll(expected);
    // YAML numbers are floats to Helm: the chart must still print them as integers.
    assertThat(env.get("EBB_GATEWAY_MAX_PAYLOAD_BYTES").getValue()).isEqualTo("10000000");
    assertThat(env.get("EBB_RECONCILE_JITTER").getValue()).isEqualTo("0.1");
    assertThat(env.get("EBB_LOCAL_GPU_METRICS_EXPORTER_PORT").getValue()).isEqualTo("9401");
    assertThat(env.get("EBB_GATEWAY_URL").getValue()).isEqualTo("https://inference.example.com");
  }

  @Test
  void byDefaultOnlyWhatTheChartMustSetIsSet() {
    Map<String, EnvVar> env = env(render(Values.DEFAULTS));
    assertThat(env.keySet())
        .containsExactlyInAnyOrder(
            "QUARKUS_MANAGEMENT_PORT",
            "QUARKUS_SHUTDOWN_TIMEOUT",
            "EBB_GATEWAY_URL",
            "EBB_LEADER_ELECTION_NAMESPACE",
            "EBB_LEADER_ELECTION_OWNER_ROLE",
            "EBB_CLUSTER_PEER_TOKEN",
            "EBB_CLUSTER_PEER_SELECTOR",
            "EBB_CLUSTER_NAMESPACE",
            "EBB_CLUSTER_POD_IP",
            "EBB_LOCAL_MODEL_FETCHER_IMAGE",
            "EBB_LOCAL_NETWORK_POLICY_ENABLED",
            "EBB_LOCAL_NETWORK_POLICY_GATEWAY_NAMESPACE",
            "EBB_LOCAL_NETWORK_POLICY_GATEWAY_SELECTOR",
            // The JVM sized for the memory limit (bench/scale.sh), and the held bodies for its
            // heap.
            "JAVA_TOOL_OPTIONS",
            "MALLOC_ARENA_MAX",
            "EBB_GATEWAY_MAX_HELD_BYTES");
    assertThat(env.get("JAVA_TOOL_OPTIONS").getValue())
        .contains("-Xmx80m", "-XX:+UseSerialGC", "-XX:-TieredCompilation");
    assertThat(env.get("EBB_GATEWAY_MAX_HELD_BYTES").getValue()).isEqualTo("16777216");
    assertThat(env.get("EBB_GATEWAY_URL").getValue()).isEqualTo("http://ebb-gateway." + NS);
    // The gateway drains within the pod's grace period, less its 5 s shutdown delay and 5 s for
    // the rest of the shutdown.
    assertThat(env.get("QUARKUS_SHUTDOWN_TIMEOUT").getValue()).isEqualTo("110s");
    // The Lease is owned by the chart's leader-election Role, so it goes with the release.
    assertThat(env.get("EBB_LEADER_ELECTION_OWNER_ROLE").getValue())
        .isEqualTo("ebb-leader-election");
  }

  /**
   * Model pods admit only Ebb's own pods: the policy's source is the release's namespace and
   * selector labels; switched off, Ebb is told so and gets no permission on NetworkPolicies.
   */
  @Test
  void modelPodNetworkPoliciesAdmitTheReleasesPodsAndCanBeSwitchedOff() {
    List<HasMetadata> defaults = render(Values.DEFAULTS);
    Map<String, EnvVar> env = env(defaults);
    assertThat(env.get("EBB_LOCAL_NETWORK_POLICY_ENABLED").getValue()).isEqualTo("true");
    assertThat(
            env.get("EBB_LOCAL_NETWORK_POLICY_GATEWAY_NAMESPACE")
                .getValueFrom()
                .getFieldRef()
                .getFieldPath())
        .isEqualTo("metadata.namespace");
    Deployment deployment = HelmChart.find(defaults, Deployment.class);
    assertThat(env.get("EBB_LOCAL_NETWORK_POLICY_GATEWAY_SELECTOR").getValue().split(","))
        .containsExactlyInAnyOrderElementsOf(
            deployment.getSpec().getSelector().getMatchLabels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList());

    List<HasMetadata> off =
        HelmChart.objects(
            HelmChart.template(NS, Values.DEFAULTS, "--set", "local.networkPolicy.enabled=false"));
    assertThat(env(off).get("EBB_LOCAL_NETWORK_POLICY_ENABLED").getValue()).isEqualTo("false");
    assertThat(HelmChart.find(off, ClusterRole.class).getRules().stream().map(ChartTest::describe))
        .containsExactlyElementsOf(
            CLUSTER_ROLE.stream().filter(r -> !r.contains("networkpolicies")).toList());
  }

  /** Model pods run Ebb's own fetcher: from the chart's image unless a mirror is named. */
  @Test
  void theModelFetcherImageIsTheChartsOwnImageUnlessSet() {
    List<HasMetadata> defaults = render(Values.DEFAULTS);
    String image =
        HelmChart.find(defaults, Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getImage();
    assertThat(env(defaults).get("EBB_LOCAL_MODEL_FETCHER_IMAGE").getValue()).isEqualTo(image);
    assertThat(env(render(Values.ALL_SETTINGS)).get("EBB_LOCAL_MODEL_FETCHER_IMAGE").getValue())
        .isEqualTo("registry.example.com/ebb-dev/ebb:0.1.0");
    List<HasMetadata> retagged =
        HelmChart.objects(
            HelmChart.template(
                NS,
                Values.DEFAULTS,
                "--set",
                "image.repository=registry.example.com/ebb",
                "--set",
                "image.tag=9.9.9"));
    assertThat(env(retagged).get("EBB_LOCAL_MODEL_FETCHER_IMAGE").getValue())
        .isEqualTo("registry.example.com/ebb:9.9.9");
  }

  @Test
  void peersTheGatewayAndMetricsSelectTheOperatorsOwnPods() {
    List<HasMetadata> objects = render(Values.DEFAULTS);
    Deployment deployment = HelmChart.find(objects, Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    assertThat(podLabels).containsAllEntriesOf(selector);
    Map<String, String> peerSelector =
        Arrays.stream(env(objects).get("EBB_CLUSTER_PEER_SELECTOR").getValue().split(","))
            .map(pair -> pair.split("=", 2))
            .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    assertThat(peerSelector).isEqualTo(selector);
    List<Service> services =
        objects.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
    assertThat(services)
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("ebb-gateway", "ebb-metrics");
    for (Service service : services) {
      assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
    }
    assertThat(services.get(0).getSpec().getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void irsaAnnotatesTheServiceAccount() {
    ServiceAccount account = HelmChart.find(render(Values.IRSA_ONE_REPLICA), ServiceAccount.class);
    assertThat(account.getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/ebb-operator");
  }

  @Test
  void theSchemaRejectsUnknownAndMalformedValues() {
    for (String bad :
        List.of(
            "gateway.timeout=60s",
            "gateway.requestTimeout=soon",
            "replicas=0",
            "metrics.port=8080",
            "tenancy.tenants[0].executionRoleArns[0]=arn:aws:iam::1:role/x",
            "tenancy.tenants[0].namespaces[0]=a,tenancy.tenants[0].regions[0]=mars")) {
      HelmChart.Result result =
          HelmChart.run(List.of("template", "ebb", HelmChart.CHART.toString(), "--set", bad));
      assertThat(result.exitCode()).as(bad).isNotZero();
      assertThat(result.stderr())
          .as(bad)
          .contains("values don't meet the specifications of the schema");
    }
  }

  /** The Argo CD Application's values pass the schema and name the peer token's Secret. */
  @Test
  void theArgoCdApplicationsValuesAreValid() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode helm = null;
    try (var parser =
        yaml.getFactory().createParser(Path.of("config/argocd/application.yaml").toFile())) {
      for (JsonNode application : yaml.readValues(parser, JsonNode.class).readAll()) {
        if (application.path("spec").path("source").has("helm")) {
          helm = application.path("spec").path("source").path("helm");
          assertThat(application.path("spec").path("source").path("path").asText())
              .isEqualTo(HelmChart.CHART.toString());
        }
      }
    }
    assertThat(helm).as("an Application installs the chart").isNotNull();
    Path values = Files.createTempFile("argocd-values", ".yaml");
    try {
      yaml.writeValue(values.toFile(), helm.path("valuesObject"));
      HelmChart.Result lint =
          HelmChart.run(
              List.of(
                  "lint", "--strict", HelmChart.CHART.toString(), "--values", values.toString()));
      assertThat(lint.exitCode()).as(lint.output()).isZero();
      List<HasMetadata> objects =
          HelmChart.objects(HelmChart.template(NS, Values.DEFAULTS, "--values", values.toString()));
      assertThat(objects).noneMatch(o -> o.getKind().equals("Secret"));
      assertThat(
              env(objects).get("EBB_CLUSTER_PEER_TOKEN").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("ebb-peer-token");
    } finally {
      Files.deleteIfExists(values);
    }
  }

  private static List<HasMetadata> render(Values values) {
    return HelmChart.objects(HelmChart.template(NS, values));
  }

  private static Map<String, EnvVar> env(List<HasMetadata> objects) {
    return HelmChart.find(objects, Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  /**
   * The environment variable of every property in Ebb's {@code @ConfigMapping} interfaces and their
   * groups: the property name upper-cased, with "_" for "." and "-".
   */
  static Set<String> ebbEnvironmentVariables() {
    Set<String> names = new TreeSet<>();
    for (JavaClass type : new ClassFileImporter().importPackages("dev.ebb.config")) {
      if (!type.isAnnotatedWith(ConfigMapping.class)) {
        continue;
      }
      properties(type, type.getAnnotationOfType(ConfigMapping.class).prefix(), names);
    }
    return names;
  }

  /** A group (a method returning another of Ebb's config interfaces) adds its own properties. */
  private static void properties(JavaClass type, String prefix, Set<String> names) {
    for (JavaMethod method : type.getMethods()) {
      String property =
          prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
      JavaClass returned = method.getRawReturnType();
      if (returned.isInterface() && returned.getPackageName().equals("dev.ebb.config")) {
        properties(returned, property, names);
      } else {
        names.add(property.toUpperCase().replaceAll("[.-]", "_"));
      }
    }
  }

  private static String describe(PolicyRule rule) {
    String names =
        rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
            ? ""
            : "[" + String.join(",", rule.getResourceNames()) + "]";
    return String.join(",", rule.getApiGroups())
        + " "
        + String.join(",", rule.getResources())
        + names
        + ": "
        + String.join(",", rule.getVerbs());
  }

  @SafeVarargs
  private static <T> List<T> concat(List<T>... lists) {
    List<T> all = new ArrayList<>();
    for (List<T> list : lists) {
      if (list != null) {
        all.addAll(list);
      }
    }
    return all;
  }
}
