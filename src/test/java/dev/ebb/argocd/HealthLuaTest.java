package dev.ebb.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ebb.api.v1alpha1.Condition;
import dev.ebb.reconciler.Reasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentStatus;

/**
 * Runs every Argo CD health check in {@code config/argocd/health/<group>/<Kind>/health.lua} against
 * the fixtures its {@code health_test.yaml} lists, as Argo CD's own tests of its built-in checks
 * do: the fixture becomes the global {@code obj}, the script returns {@code {status, message}}. A
 * new fixture is picked up by adding it to {@code health_test.yaml}; no code changes.
 *
 * <p>Also keeps the surroundings honest: every kind in {@code crds/} has a check, every fixture is
 * listed and uses only condition types and reasons Ebb writes, every status a script can return is
 * exercised, and {@code argocd-cm.yaml} embeds each script verbatim. Regenerate that file with
 * {@code mvn -o test -Dtest=HealthLuaTest -Dargocd.update=true}.
 */
class HealthLuaTest {
  private static final Path HEALTH = Path.of("config/argocd/health");
  private static final Path ARGOCD_CM = Path.of("config/argocd/argocd-cm.yaml");
  private static final Path APPLICATION = Path.of("config/argocd/application.yaml");
  private static final Path CRDS = Path.of("crds");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The statuses Argo CD accepts from a health script; anything else shows as Unknown. */
  private static final Set<String> ARGO_STATUSES =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  /** One line of a health_test.yaml. */
  record Case(Path check, String inputPath, String status, String message) {
    @Override
    public String toString() {
      return HEALTH.relativize(check) + " " + inputPath + " -> " + status;
    }
  }

  static Stream<Case> cases() {
    return checks().stream()
        .flatMap(
            check -> {
              List<Case> cases = new ArrayList<>();
              for (JsonNode test : read(check.resolve("health_test.yaml")).path("tests")) {
                cases.add(
                    new Case(
                        check,
                        test.path("inputPath").asText(),
                        test.path("healthStatus").path("status").asText(),
                        test.path("healthStatus").path("message").asText()));
              }
              return cases.stream();
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void healthMatchesExpectation(Case c) {
    LuaTable result = health(c.check().resolve("health.lua"), c.check().resolve(c.inputPath()));
    assertThat(ARGO_STATUSES).contains(result.get("status").tojstring());
    assertEquals(c.status(), result.get("status").tojstring(), "status");
    assertEquals(c.message(), result.get("message").tojstring(), "message");
  }

  @Test
  void everyKindHasAHealthCheck() {
    Set<String> kinds = new TreeSet<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path crd : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        JsonNode spec = read(crd).path("spec");
        kinds.add(spec.path("group").asText() + "/" + spec.path("names").path("kind").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(checks().stream().map(c -> HEALTH.relativize(c).toString().replace('\\', '/')))
        .containsExactlyInAnyOrderElementsOf(kinds);
  }

  /** A fixture missing from health_test.yaml would never run. */
  @Test
  void everyFixtureIsListed() throws IOException {
    for (Path check : checks()) {
      Set<String> listed =
          cases()
              .filter(c -> c.check().equals(check))
              .map(Case::inputPath)
              .collect(Collectors.toSet());
      try (Stream<Path> fixtures = Files.list(check.resolve("testdata"))) {
        assertThat(fixtures.map(f -> "testdata/" + f.getFileName()))
            .as("fixtures of %s", check)
            .allMatch(listed::contains, "listed in health_test.yaml");
      }
    }
  }

  /** Each status a script can return has at least one fixture that makes it return it. */
  @Test
  void everyOutcomeIsExercised() {
    Pattern assigned = Pattern.compile("hs\\.status = \"(\\w+)\"");
    for (Path check : checks()) {
      Set<String> returned = new TreeSet<>();
      Matcher m = assigned.matcher(readString(check.resolve("health.lua")));
      while (m.find()) {
        returned.add(m.group(1));
      }
      Set<String> tested =
          cases()
              .filter(c -> c.check().equals(check))
              .map(Case::status)
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(tested).as("statuses tested for %s", check).isEqualTo(returned);
    }
  }

  /**
   * Fixtures show what Ebb writes: condition types of {@link Condition}, reasons of {@link Reasons}
   * or SageMaker's own transitional statuses, which Ebb passes on verbatim.
   */
  @Test
  void fixturesUseConditionsEbbWrites() {
    Set<String> types = constants(Condition.class);
    Set<String> reasons = new TreeSet<>(constants(Reasons.class));
    EndpointStatus.knownValues().forEach(s -> reasons.add(s.toString()));
    InferenceComponentStatus.knownValues().forEach(s -> reasons.add(s.toString()));
    cases()
        .forEach(
            c -> {
              for (JsonNode condition :
                  read(c.check().resolve(c.inputPath())).path("status").path("conditions")) {
                assertThat(types)
                    .as("condition type in %s", c)
                    .contains(condition.path("type").asText());
                assertThat(reasons)
                    .as("reason in %s", c)
                    .contains(condition.path("reason").asText());
              }
            });
  }

  /** The ConfigMap snippet carries each script verbatim, so it never drifts from what is tested. */
  @Test
  void argocdCmEmbedsEachScript() throws IOException {
    String expected = renderArgocdCm();
    if (Boolean.getBoolean("argocd.update")) {
      Files.writeString(ARGOCD_CM, expected);
    }
    assertEquals(
        expected,
        Files.exists(ARGOCD_CM) ? readString(ARGOCD_CM) : "",
        ARGOCD_CM + " is out of date: run mvn -o test -Dtest=HealthLuaTest -Dargocd.update=true");
    // And as Argo CD reads it: one key per kind, the script exactly.
    JsonNode data = read(ARGOCD_CM).path("data");
    Map<String, String> keys = new TreeMap<>();
    data.properties().forEach(e -> keys.put(e.getKey(), e.getValue().asText()));
    Map<String, String> scripts = new TreeMap<>();
    for (Path check : checks()) {
      scripts.put(configMapKey(check), readString(check.resolve("health.lua")));
    }
    assertEquals(scripts, keys);
  }

  /** The example Applications point at directories that exist in this repository. */
  @Test
  void applicationSourcesExist() throws IOException {
    List<JsonNode> documents;
    try (var parser = YAML.getFactory().createParser(APPLICATION.toFile())) {
      documents = YAML.readValues(parser, JsonNode.class).readAll();
    }
    assertThat(documents).isNotEmpty();
    for (JsonNode application : documents) {
      assertEquals("Application", application.path("kind").asText());
      Path path = Path.of(application.path("spec").path("source").path("path").asText());
      assertThat(path)
          .as("source path of %s", application.path("metadata").path("name"))
          .isDirectory();
    }
  }

  // --- running a script the way Argo CD does ---

  /**
   * Runs {@code script} with the fixture as {@code obj}. Argo CD's Lua VM opens only the base,
   * package and table libraries (and a restricted os), so a script using {@code string.*} or {@code
   * math.*} fails here as it would there.
   */
  static LuaTable health(Path script, Path fixture) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", lua(read(fixture)));
    LuaValue result = globals.load(readString(script), script.toString()).call();
    assertThat(result.istable()).as("%s returns a table", script).isTrue();
    return (LuaTable) result;
  }

  /**
   * JSON to Lua as Argo CD converts an object: maps to tables, lists to 1-based tables, every
   * number to a float (gopher-lua has one number type).
   */
  static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.properties().forEach(e -> table.set(e.getKey(), lua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }

  // --- the argocd-cm snippet ---

  private static String renderArgocdCm() {
    StringBuilder out =
        new StringBuilder(
            """
            # Ebb's Argo CD health checks, as argocd-cm keys. Generated from
            # config/argocd/health/<group>/<Kind>/health.lua by HealthLuaTest, which fails when they
            # differ. Regenerate: mvn -o test -Dtest=HealthLuaTest -Dargocd.update=true
            #
            # Merge it into the existing ConfigMap (applying it would replace Argo CD's settings):
            #   kubectl -n argocd patch configmap argocd-cm --type merge \\
            #     --patch-file config/argocd/argocd-cm.yaml
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
              namespace: argocd
              labels:
                app.kubernetes.io/name: argocd-cm
                app.kubernetes.io/part-of: argocd
            data:
            """);
    for (Path check : checks()) {
      out.append("  ").append(configMapKey(check)).append(": |\n");
      for (String line : readString(check.resolve("health.lua")).split("\n", -1)) {
        if (!line.isEmpty()) {
          out.append("    ").append(line);
        }
        out.append('\n');
      }
      out.setLength(out.length() - 1); // the script's final newline is the block's
    }
    return out.toString();
  }

  /** {@code resource.customizations.health.<group>_<Kind>}, Argo CD's per-kind key. */
  private static String configMapKey(Path check) {
    return "resource.customizations.health."
        + check.getParent().getFileName()
        + "_"
        + check.getFileName();
  }

  // --- helpers ---

  /** The {@code <group>/<Kind>} directories under config/argocd/health, sorted. */
  static List<Path> checks() {
    try (Stream<Path> files = Files.walk(HEALTH)) {
      return files
          .filter(p -> p.getFileName().toString().equals("health.lua"))
          .map(Path::getParent)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> constants(Class<?> holder) {
    return Arrays.stream(holder.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(HealthLuaTest::value)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(Path yaml) {
    try {
      JsonNode node = YAML.readTree(yaml.toFile());
      return node == null ? YAML.createObjectNode() : node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
