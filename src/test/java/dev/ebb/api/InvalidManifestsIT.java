package dev.ebb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.testing.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog of user mistakes in {@code src/test/resources/invalid/}: each file is one object with
 * exactly one mistake, and the real API server must reject it at admission (HTTP 422) with an error
 * that names the field. Each file starts with comment lines:
 *
 * <pre>
 * # expect-field: spec.variants[0].serverless.memorySizeMb   (the path the API server reports)
 * # expect-message: must be one of 1024                      (optional: part of the message)
 * # why: serverless memory must be a SageMaker size
 * </pre>
 *
 * <p>Every error the server reports must be about the expected field, so a file that trips a second
 * rule (a mistake in its otherwise valid part) fails too.
 */
class InvalidManifestsIT {
  private static final Path CATALOG = Path.of("src/test/resources/invalid");
  private static final int MIN_CASES = 30;

  /** fabric8 warns once per kind that v1alpha1 is not a stable version; known, and only noise. */
  private static final Logger VERSION_WARNINGS =
      Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");

  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void createNamespace() {
    VERSION_WARNINGS.setLevel(Level.SEVERE);
    client = EmbeddedApiServer.newClient();
    namespace = "invalid-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @AfterAll
  static void deleteNamespace() {
    if (client != null) {
      client.namespaces().withName(namespace).delete();
      client.close();
    }
  }

  /** One catalog file: the object and what its rejection must say. */
  record Case(Path file, String expectField, String expectMessage, String yaml) {
    @Override
    public String toString() {
      return file.getFileName().toString();
    }

    static Case read(Path file) {
      String yaml;
      try {
        yaml = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> headers =
          yaml.lines()
              .takeWhile(l -> l.startsWith("#"))
              .map(l -> l.substring(1).strip())
              .filter(l -> l.contains(":"))
              .collect(
                  Collectors.toMap(
                      l -> l.substring(0, l.indexOf(':')).strip(),
                      l -> l.substring(l.indexOf(':') + 1).strip(),
                      (a, b) -> a));
      String field = headers.get("expect-field");
      if (field == null || field.isEmpty()) {
        throw new IllegalStateException(file + " lacks its '# expect-field:' header");
      }
      return new Case(file, field, headers.getOrDefault("expect-message", ""), yaml);
    }
  }

  static List<Case> catalog() throws IOException {
    try (Stream<Path> files = Files.list(CATALOG)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(Case::read).toList();
    }
  }

  @Test
  void catalogCoversEnoughMistakes() throws IOException {
    assertThat(catalog()).hasSizeGreaterThanOrEqualTo(MIN_CASES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalog")
  void isRejectedNamingTheField(Case c) {
    List<HasMetadata> objects = load(c.yaml());
    assertThat(objects).as("%s must hold exactly one object", c).hasSize(1);
    GenericKubernetesResource object = (GenericKubernetesResource) objects.get(0);

    assertThatThrownBy(
            () ->
                client
                    .resource(object)
                    .inNamespace(namespace)
                    .fieldValidation(Validation.STRICT)
                    .create(),
            "%s must be rejected",
            c)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as("HTTP status of %s", c).isEqualTo(422);
              assertThat(e.getStatus().getMessage())
                  .as("rejection of %s", c)
                  .contains(c.expectField())
                  .contains(c.expectMessage());
              List<StatusCause> causes = fieldCauses(e);
              assertThat(causes)
                  .as("causes of %s", c)
                  .anySatisfy(
                      cause -> {
                        assertThat(field(cause)).isEqualTo(c.expectField());
                        assertThat(cause.getMessage()).contains(c.expectMessage());
                      });
              assertThat(causes)
                  .as("%s must show exactly one mistake, at %s", c, c.expectField())
                  .allSatisfy(cause -> assertThat(field(cause)).isEqualTo(c.expectField()));
            });
  }

  /** One in-place change the API server must refuse, because Ebb would lose track of AWS. */
  record ImmutableCase(String yaml, List<String> path, Object newValue, String field) {
    @Override
    public String toString() {
      return field;
    }
  }

  static Stream<ImmutableCase> immutableFields() {
    String policy =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: ScalingPolicy
        metadata: {name: retarget}
        spec:
          targetRef: {kind: InferenceComponent, name: llama3-8b}
          minCapacity: 0
          maxCapacity: 4
        """;
    String endpoint =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: moved}
        spec:
          backend: sagemaker
          sagemaker: {region: us-east-1, endpointName: prod-llm}
          variants:
          - {name: AllTraffic, instanceType: ml.g5.2xlarge}
        """;
    String component =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceComponent
        metadata: {name: moved}
        spec:
          endpointRef: {name: llm}
          model: {image: 'tgi:2'}
          resources: {memoryMb: 1024}
          sagemaker: {inferenceComponentName: prod-llama}
        """;
    String transform =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: BatchTransform
        metadata: {name: rescore}
        spec:
          backend: sagemaker
          model: {image: 'scorer:1'}
          input: {s3Uri: 's3://in-bucket/reviews/', splitType: Line}
          output: {s3Uri: 's3://out-bucket/scores/'}
          resources: {instanceType: ml.m5.xlarge}
          sagemaker: {region: us-east-1}
        """;
    return Stream.of(
        new ImmutableCase(
            policy, List.of("spec", "targetRef", "name"), "mistral-7b", "spec.targetRef"),
        new ImmutableCase(
            transform, List.of("spec", "input", "s3Uri"), "s3://in-bucket/other/", "spec"),
        new ImmutableCase(transform, List.of("spec", "maxPayloadInMB"), 2, "spec"),
        new ImmutableCase(
            transform,
            List.of("spec", "sagemaker", "region"),
            "eu-west-1",
            "spec.sagemaker.region"),
        new ImmutableCase(endpoint, List.of("spec", "backend"), "local", "spec.backend"),
        new ImmutableCase(
            endpoint,
            List.of("spec", "sagemaker", "endpointName"),
            "prod-llm-2",
            "spec.sagemaker.endpointName"),
        new ImmutableCase(
            endpoint, List.of("spec", "sagemaker", "region"), "eu-west-1", "spec.sagemaker.region"),
        new ImmutableCase(
            component, List.of("spec", "endpointRef", "name"), "other", "spec.endpointRef"),
        new ImmutableCase(
            component,
            List.of("spec", "sagemaker", "inferenceComponentName"),
            "prod-llama-2",
            "spec.sagemaker.inferenceComponentName"));
  }

  /**
   * Transition rules cannot be hit by a create, so they are checked here rather than in the
   * catalog: the fields that tie an object to what it manages in AWS cannot change in place.
   * (Changing the backend also breaks other rules, so the rule is asserted among the causes.)
   */
  @ParameterizedTest(name = "{0} is immutable")
  @MethodSource("immutableFields")
  void fieldsThatNameAwsResourcesAreImmutable(ImmutableCase c) {
    GenericKubernetesResource object = (GenericKubernetesResource) load(c.yaml()).get(0);
    object.getMetadata().setName("immutable-" + UUID.randomUUID().toString().substring(0, 8));
    GenericKubernetesResource created = client.resource(object).inNamespace(namespace).create();
    Map<String, Object> parent = created.getAdditionalProperties();
    for (String key : c.path().subList(0, c.path().size() - 1)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> next = (Map<String, Object>) parent.get(key);
      parent = next;
    }
    parent.put(c.path().get(c.path().size() - 1), c.newValue());

    assertThatThrownBy(() -> client.resource(created).inNamespace(namespace).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(fieldCauses(e))
                  .anySatisfy(
                      cause -> {
                        assertThat(field(cause)).isEqualTo(c.field());
                        assertThat(cause.getMessage()).contains(c.field() + " is immutable");
                      });
            });
  }

  /** A transform's deletion policy and tags may change while it runs; nothing else may. */
  @Test
  void aTransformsDeletionPolicyAndTagsMayChange() {
    GenericKubernetesResource object =
        (GenericKubernetesResource)
            load("""
                    apiVersion: ebb.dev/v1alpha1
                    kind: BatchTransform
                    metadata: {name: retain-later}
                    spec:
                      backend: sagemaker
                      model: {image: 'scorer:1'}
                      input: {s3Uri: 's3://in-bucket/reviews/'}
                      output: {s3Uri: 's3://out-bucket/scores/'}
                      resources: {instanceType: ml.m5.xlarge}
                    """)
                .get(0);
    GenericKubernetesResource created = client.resource(object).inNamespace(namespace).create();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
    spec.put("sagemaker", Map.of("deletionPolicy", "Retain", "tags", Map.of("team", "search")));
    GenericKubernetesResource updated = client.resource(created).inNamespace(namespace).update();
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
  }

  /**
   * SageMaker's blue/green deployments keep the variant names ("Exclusions" of deployment
   * guardrails): with spec.rollout set, a rename is refused at admission, naming the field; without
   * it, SageMaker's default deployment takes the rename.
   */
  @Test
  void variantNamesCannotChangeUnderABlueGreenRollout() {
    String yaml =
        """
        apiVersion: ebb.dev/v1alpha1
        kind: InferenceEndpoint
        metadata: {name: renamed}
        spec:
          backend: sagemaker
          rollout: {strategy: Canary, canary: {percent: 10}}
          variants:
          - {name: Champion, instanceType: ml.m5.large}
        """;
    GenericKubernetesResource created =
        client
            .resource((GenericKubernetesResource) load(yaml).get(0))
            .inNamespace(namespace)
            .create();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> variants = (List<Map<String, Object>>) spec.get("variants");
    variants.get(0).put("name", "Challenger");

    assertThatThrownBy(() -> client.resource(created).inNamespace(namespace).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(fieldCauses(e))
                  .anySatisfy(
                      cause -> {
                        assertThat(field(cause)).isEqualTo("spec.variants");
                        assertThat(cause.getMessage())
                            .contains("cannot change while spec.rollout is set");
                      });
            });

    spec.remove("rollout");
    assertThat(client.resource(created).inNamespace(namespace).update().getMetadata().getName())
        .as("without a rollout, SageMaker's default deployment takes the rename")
        .isEqualTo("renamed");
  }

  private static List<HasMetadata> load(String yaml) {
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  /**
   * The causes that name a field. The API server adds one without a field when it skipped CEL rules
   * because the object already failed its OpenAPI schema.
   */
  private static List<StatusCause> fieldCauses(KubernetesClientException e) {
    assertThat(e.getStatus().getDetails()).isNotNull();
    return e.getStatus().getDetails().getCauses().stream()
        .filter(
            c -> c.getField() != null && !c.getField().isEmpty() && !"<nil>".equals(c.getField()))
        .toList();
  }

  /**
   * The scale subresource's own check reports {@code .spec.copies}; the schema {@code spec.copies}.
   */
  private static String field(StatusCause cause) {
    return cause.getField().startsWith(".") ? cause.getField().substring(1) : cause.getField();
  }
}
