package dev.ebb.crds;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.ScalingPolicy;
import dev.ebb.api.v1alpha1.ScalingPolicySpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Generates Ebb's CRDs from the Java types: fabric8's CRD generator plus two touches it cannot do
 * by itself (printer columns in the order they are declared rather than sorted by JSON path, and
 * descriptions for the root, spec and status from {@code @JsonClassDescription}).
 *
 * <p>The build runs {@link #main} to write {@code target/crds/}; {@code CrdsUpToDateTest} compares
 * that with the committed copies in {@code crds/} and {@code helm/ebb/crds/}. To refresh those:
 * {@value #REGENERATE_COMMAND}.
 */
public final class CrdGeneration {
  public static final String REGENERATE_COMMAND = "mvn -Pupdate-crds process-test-classes";

  /** The kinds Ebb serves, in a fixed order. */
  public static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(
          InferenceEndpoint.class,
          InferenceComponent.class,
          ScalingPolicy.class,
          BatchTransform.class);

  private static final String HEADER =
      "# Generated from the Java types in dev.ebb.api.v1alpha1; do not edit by hand.\n"
          + "# Regenerate with: "
          + REGENERATE_COMMAND
          + "\n";

  private CrdGeneration() {}

  /** File name to CRD YAML, for every kind. */
  public static Map<String, String> generate() {
    Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();
    new CRDGenerator()
        .customResourceClasses(new ArrayList<>(KINDS))
        .forCRDVersions("v1")
        .withMinQuotes(true)
        .withPostProcessor(new Touches())
        .withOutput(
            new CRDGenerator.CRDOutput<ByteArrayOutputStream>() {
              @Override
              public ByteArrayOutputStream outputFor(String crdName) {
                return outputs.computeIfAbsent(crdName + ".yaml", k -> new ByteArrayOutputStream());
              }

              @Override
              public void close() {}
            })
        .generate();
    Map<String, String> files = new TreeMap<>();
    outputs.forEach(
        (name, bytes) -> {
          String yaml = bytes.toString(StandardCharsets.UTF_8);
          // Replace the generator's own banner with ours, which says how to regenerate.
          String body =
              yaml.lines()
                  .filter(l -> !l.startsWith("#"))
                  .collect(Collectors.joining("\n", "", "\n"));
          files.put(name, HEADER + body);
        });
    return files;
  }

  /** Writes every CRD into each directory given. */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: CrdGeneration <output-dir>...");
    }
    Map<String, String> files = generate();
    for (String dir : args) {
      Path out = Path.of(dir);
      Files.createDirectories(out);
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(out.resolve(file.getKey()), file.getValue());
      }
    }
  }

  /**
   * Names of the files in {@code committed} that are missing, extra or different from {@code
   * generated}; empty when the committed copies are up to date.
   */
  public static List<String> staleFiles(
      Map<String, String> committed, Map<String, String> generated) {
    var names = new java.util.TreeSet<>(committed.keySet());
    names.addAll(generated.keySet());
    return names.stream()
        .filter(name -> !java.util.Objects.equals(committed.get(name), generated.get(name)))
        .toList();
  }

  /** Reads the CRDs in a directory, file name to content (for the staleness comparison). */
  public static Map<String, String> read(Path dir) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (var paths = Files.list(dir)) {
      for (Path p : paths.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** The post-processing the generator is given. */
  private static final class Touches implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      CustomResourceDefinition def = (CustomResourceDefinition) crd;
      Class<?> kind =
          KINDS.stream()
              .filter(k -> k.getSimpleName().equals(def.getSpec().getNames().getKind()))
              .findFirst()
              .orElseThrow();
      for (CustomResourceDefinitionVersion version : def.getSpec().getVersions()) {
        orderColumns(version, kind);
        describe(version.getSchema().getOpenAPIV3Schema(), kind);
        if (kind == ScalingPolicy.class) {
          trackedMetricRules(version.getSchema().getOpenAPIV3Schema().getProperties().get("spec"));
        }
        dedupeRules(version.getSchema().getOpenAPIV3Schema());
        noDefaultsInListItems(version.getSchema().getOpenAPIV3Schema(), false);
      }
      return def;
    }

    /** The metrics each target kind may track, from the table in {@code TrackedMetric}. */
    private static void trackedMetricRules(JSONSchemaProps spec) {
      List<ValidationRule> rules =
          new ArrayList<>(
              spec.getXKubernetesValidations() == null
                  ? List.of()
                  : spec.getXKubernetesValidations());
      for (ScalingPolicySpec.SpecRule r : ScalingPolicySpec.trackedMetricRules()) {
        ValidationRule rule = new ValidationRule();
        rule.setRule(r.rule());
        rule.setMessage(r.message());
        rule.setFieldPath(r.fieldPath());
        rules.add(rule);
      }
      spec.setXKubernetesValidations(rules);
    }

    private static void orderColumns(CustomResourceDefinitionVersion version, Class<?> kind) {
      List<String> declared =
          Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      List<CustomResourceColumnDefinition> columns =
          new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      version.setAdditionalPrinterColumns(columns);
    }

    /**
     * A rule on a record component is seen twice by the generator (on the field and on the
     * accessor); the API server rejects duplicate rules.
     */
    private static void dedupeRules(JSONSchemaProps schema) {
      if (schema == null) {
        return;
      }
      if (schema.getXKubernetesValidations() != null) {
        Map<String, ValidationRule> unique = new LinkedHashMap<>();
        schema.getXKubernetesValidations().forEach(r -> unique.putIfAbsent(r.getRule(), r));
        schema.setXKubernetesValidations(new ArrayList<>(unique.values()));
      }
      if (schema.getProperties() != null) {
        schema.getProperties().values().forEach(Touches::dedupeRules);
      }
      if (schema.getItems() != null) {
        dedupeRules(schema.getItems().getSchema());
      }
      if (schema.getAdditionalProperties() != null) {
        dedupeRules(schema.getAdditionalProperties().getSchema());
      }
    }

    /**
     * Defaults inside a list's items move into the description. Client-side apply (kubectl apply,
     * Argo CD without SSA) sends a custom resource's list whole, as a JSON merge patch; the API
     * server's defaults in the items make the stored list differ from the applied one, so every
     * apply reads "configured" and GitOps shows drift forever. Ebb applies these defaults in code
     * instead ({@code EffectivePolicy}, {@code StartupSpec}, the variant readers).
     */
    private static void noDefaultsInListItems(JSONSchemaProps schema, boolean inItem) {
      if (schema == null) {
        return;
      }
      if (inItem && schema.getDefault() != null) {
        String value =
            schema.getDefault().isTextual()
                ? schema.getDefault().asText()
                : schema.getDefault().toString();
        String description = schema.getDescription() == null ? "" : schema.getDescription().strip();
        schema.setDescription(
            (description.isEmpty() ? "" : description + (description.endsWith(".") ? " " : ". "))
                + "Default: "
                + value
                + ".");
        schema.setDefault(null);
      }
      if (schema.getProperties() != null) {
        schema.getProperties().values().forEach(p -> noDefaultsInListItems(p, inItem));
      }
      if (schema.getItems() != null) {
        noDefaultsInListItems(schema.getItems().getSchema(), true);
      }
      if (schema.getAdditionalProperties() != null) {
        noDefaultsInListItems(schema.getAdditionalProperties().getSchema(), inItem);
      }
    }

    private static void describe(JSONSchemaProps root, Class<?> kind) {
      root.setDescription(descriptionOf(kind));
      Class<?>[] specAndStatus = typeArguments(kind);
      root.getProperties().get("spec").setDescription(descriptionOf(specAndStatus[0]));
      root.getProperties().get("status").setDescription(descriptionOf(specAndStatus[1]));
    }

    private static Class<?>[] typeArguments(Class<?> kind) {
      var type = (ParameterizedType) kind.getGenericSuperclass();
      return Arrays.stream(type.getActualTypeArguments())
          .map(t -> (Class<?>) t)
          .toArray(Class<?>[]::new);
    }

    private static String descriptionOf(Class<?> type) {
      JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
      if (description == null) {
        throw new IllegalStateException(type.getName() + " needs a @JsonClassDescription");
      }
      return description.value();
    }
  }
}
