package dev.ebb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.testing.TestNamespaceExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample in {@code config/samples/} is accepted by the real API server as written (strict
 * field validation, so a misspelt field fails), and comes back with every schema default applied
 * where the sample leaves the field out.
 */
class SamplesIT {
  private static final Path SAMPLES = Path.of("config/samples");
  private static final String KUSTOMIZATION = "kustomization.yaml";

  /** fabric8 warns once per kind that v1alpha1 is not a stable version; known, and only noise. */
  private static final Logger VERSION_WARNINGS =
      Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");

  @RegisterExtension
  static final TestNamespaceExtension ns = new TestNamespaceExtension("schema-samples");

  private static KubernetesClient client;

  /** The served spec schema of each Ebb kind, by kind. */
  private static final Map<String, JSONSchemaProps> SPEC_SCHEMAS = new HashMap<>();

  @BeforeAll
  static void readServedSchemas() {
    VERSION_WARNINGS.setLevel(Level.SEVERE);
    client = ns.client();
    for (CustomResourceDefinition crd :
        client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      if ("ebb.dev".equals(crd.getSpec().getGroup())) {
        SPEC_SCHEMAS.put(
            crd.getSpec().getNames().getKind(),
            crd.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec"));
      }
    }
  }

  static List<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().equals(KUSTOMIZATION))
          .sorted()
          .toList();
    }
  }

  /** The policy variants {@code what-if} compares (docs/what-if.md) are valid policies too. */
  static List<Path> whatIfPolicies() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("config/what-if"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("whatIfPolicies")
  void whatIfPolicyVariantsAreAccepted(Path policy) throws IOException {
    isAcceptedWithSchemaDefaults(policy);
  }

  @Test
  void kustomizationListsEverySample() throws IOException {
    Map<?, ?> kustomization =
        client
            .getKubernetesSerialization()
            .unmarshal(Files.readString(SAMPLES.resolve(KUSTOMIZATION)), Map.class);
    assertThat(kustomization.get("resources"))
        .asInstanceOf(InstanceOfAssertFactories.list(String.class))
        .containsExactlyInAnyOrderElementsOf(
            samples().stream().map(p -> p.getFileName().toString()).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void isAcceptedWithSchemaDefaults(Path sample) throws IOException {
    List<HasMetadata> documents = load(sample);
    assertThat(documents).as("documents in %s", sample).isNotEmpty();
    for (HasMetadata document : documents) {
      GenericKubernetesResource written = (GenericKubernetesResource) document;
      GenericKubernetesResource stored = create(written);
      JSONSchemaProps schema = SPEC_SCHEMAS.get(written.getKind());
      assertThat(schema).as("CRD for kind %s", written.getKind()).isNotNull();
      assertDefaultsApplied(
          schema,
          written.get("spec"),
          stored.get("spec"),
          written.getKind() + "/" + written.getMetadata().getName() + " spec");
    }
  }

  /**
   * All samples share one namespace (as {@code kubectl apply -k config/samples} does), and the
   * defaults the samples rely on are the documented ones.
   */
  @Test
  void allSamplesApplyTogetherAndRelyOnTheDocumentedDefaults() throws IOException {
    Map<String, GenericKubernetesResource> stored = new HashMap<>();
    for (Path sample : samples()) {
      for (HasMetadata document : load(sample)) {
        GenericKubernetesResource created = create((GenericKubernetesResource) document);
        stored.put(created.getKind() + "/" + created.getMetadata().getName(), created);
      }
    }
    // The local component leaves copies out: one copy until its policy decides otherwise.
    assertThat(stored.get("InferenceComponent/llama3-8b-local").<Object>get("spec", "copies"))
        .isEqualTo(1);
    GenericKubernetesResource whisper = stored.get("InferenceEndpoint/whisper");
    assertThat(whisper.<Object>get("spec", "sagemaker", "deletionPolicy")).isEqualTo("Delete");
    // Inside list items the API server fills in nothing (client-side apply would show drift
    // forever, see CrdListDefaultsTest); Ebb reads the documented defaults in code.
    assertThat(whisper.<Object>get("spec", "variants", 0, "routingStrategy")).isNull();
    assertThat(whisper.<Object>get("spec", "variants", 0, "weight")).isNull();
    assertThat(
            stored
                .get("InferenceEndpoint/sentiment")
                .<Object>get("spec", "variants", 0, "model", "mode"))
        .isNull();
    GenericKubernetesResource whisperPolicy = stored.get("ScalingPolicy/whisper");
    assertThat(whisperPolicy.<Object>get("spec", "targetTracking", 0, "disableScaleIn")).isNull();
    var effective =
        dev.ebb.api.v1alpha1.EffectivePolicy.of(
            io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    io.fabric8.kubernetes.client.utils.Serialization.asJson(whisperPolicy),
                    dev.ebb.api.v1alpha1.ScalingPolicy.class)
                .getSpec());
    assertThat(effective.targetTracking().get(0).disableScaleIn()).isFalse();
    assertThat(effective.targetTracking().get(0).scaleInCooldownSeconds()).isEqualTo(120);
  }

  private static List<HasMetadata> load(Path sample) throws IOException {
    try (InputStream in = Files.newInputStream(sample)) {
      return client.load(in).items();
    }
  }

  private static GenericKubernetesResource create(GenericKubernetesResource document) {
    return client
        .resource(document)
        .inNamespace(ns.name())
        .fieldValidation(Validation.STRICT)
        .create();
  }

  /**
   * Walks the stored object along its schema: every property with a schema default must be present
   * wherever its parent is, and equal to the default where the sample did not write it.
   */
  private static void assertDefaultsApplied(
      JSONSchemaProps schema, Object written, Object stored, String path) {
    if (stored instanceof Map<?, ?> storedMap && schema.getProperties() != null) {
      Map<?, ?> writtenMap = written instanceof Map<?, ?> m ? m : Map.of();
      schema
          .getProperties()
          .forEach(
              (name, property) -> {
                Object storedValue = storedMap.get(name);
                Object writtenValue = writtenMap.get(name);
                if (property.getDefault() != null) {
                  assertThat(storedValue)
                      .as("%s.%s (has a schema default)", path, name)
                      .isNotNull();
                  if (writtenValue == null) {
                    assertSameValue(storedValue, property.getDefault(), path + "." + name);
                  }
                }
                if (storedValue != null) {
                  assertDefaultsApplied(property, writtenValue, storedValue, path + "." + name);
                }
              });
    } else if (stored instanceof List<?> storedList && schema.getItems() != null) {
      List<?> writtenList = written instanceof List<?> l ? l : List.of();
      for (int i = 0; i < storedList.size(); i++) {
        assertDefaultsApplied(
            schema.getItems().getSchema(),
            i < writtenList.size() ? writtenList.get(i) : null,
            storedList.get(i),
            path + "[" + i + "]");
      }
    }
  }

  private static void assertSameValue(Object stored, JsonNode expected, String path) {
    JsonNode actual = client.getKubernetesSerialization().convertValue(stored, JsonNode.class);
    if (actual.isNumber() && expected.isNumber()) {
      assertThat(actual.decimalValue()).as(path).isEqualByComparingTo(expected.decimalValue());
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
