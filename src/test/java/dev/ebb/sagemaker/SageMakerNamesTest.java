package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.api.v1alpha1.Validation;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SageMakerNamesTest {
  /** Random names per run of the property tests; seeded so a failure replays. */
  private static final int SAMPLES = 5_000;

  @ParameterizedTest
  @CsvSource({
    "ml, llama3",
    "team.a, model.v2",
    "a-very-long-namespace-name-that-goes-on-and-on, and-an-equally-long-object-name-for-good-measure",
    "x, y",
  })
  void namesAreValidDeterministicAndReadable(String namespace, String name) {
    String sageMakerName = SageMakerNames.forObject(namespace, name);
    assertThat(sageMakerName)
        .matches(Validation.SAGEMAKER_NAME)
        .hasSizeLessThanOrEqualTo(SageMakerNames.MAX_LENGTH)
        .isEqualTo(SageMakerNames.forObject(namespace, name))
        .startsWith(namespace.replace('.', '-').substring(0, Math.min(namespace.length(), 20)));
  }

  @Test
  void identitiesThatReadTheSameDoNotCollide() {
    assertThat(SageMakerNames.forObject("a-b", "c"))
        .isNotEqualTo(SageMakerNames.forObject("a", "b-c"));
    assertThat(SageMakerNames.forObject("a.b", "c"))
        .isNotEqualTo(SageMakerNames.forObject("a-b", "c"));
  }

  @Test
  void contentAddressedNamesChangeWithContentOnly() {
    assertThat(SageMakerNames.forContent("ml-llama3-1a2b3c4d", "{a:1}"))
        .isEqualTo(SageMakerNames.forContent("ml-llama3-1a2b3c4d", "{a:1}"))
        .isNotEqualTo(SageMakerNames.forContent("ml-llama3-1a2b3c4d", "{a:2}"))
        .matches(Validation.SAGEMAKER_NAME);
  }

  /**
   * The field report: in namespace team-recommendations-prod the endpoint's own name is 63
   * characters, and the config created under it was never found again.
   */
  @ParameterizedTest
  @CsvSource({
    "team-recommendations-prod, llama3-8b-instruct-chat",
    "team-forecasting-production, fraud-scoring-xgb2",
    "team-forecasting-production, fraud-scoring-xgb",
  })
  void aDerivedNameIsFoundAgainUnderItsBase(String namespace, String name) {
    String endpoint = SageMakerNames.forObject(namespace, name);
    String config = SageMakerNames.forContent(endpoint, "{\"variants\":[]}");

    assertThat(config).matches(SageMakerNames.derivedFrom(endpoint)).hasSizeLessThanOrEqualTo(63);
    assertThat(config).contains(SageMakerNames.derivedPrefix(endpoint));
  }

  @Test
  void adoptedEndpointsKeepTheirCaseInDerivedNames() {
    String config = SageMakerNames.forContent("Legacy-Fraud-Endpoint", "{}");

    assertThat(config).startsWith("Legacy-Fraud-Endpoint-");
    assertThat(config).matches(SageMakerNames.derivedFrom("Legacy-Fraud-Endpoint"));
    assertThat(config).doesNotMatch(SageMakerNames.derivedFrom("legacy-fraud-endpoint"));
  }

  /**
   * Property: for any Kubernetes identity (63-character namespaces, 253-character names) and any
   * SageMaker name a user may set (63 characters, any case), every derived name is valid, is found
   * again by {@link SageMakerNames#derivedFrom} and by a NameContains filter on the prefix, and
   * belongs to its base alone.
   */
  @Test
  void derivedNamesRoundTripForEveryLengthAndCase() {
    var random = new Random(20261206);
    Map<String, String> baseByPrefix = new HashMap<>();
    for (int i = 0; i < SAMPLES; i++) {
      String base =
          i % 2 == 0
              ? SageMakerNames.forObject(label(random, 63), subdomain(random, 253))
              : sageMakerName(random);
      assertThat(base).matches(Validation.SAGEMAKER_NAME).hasSizeLessThanOrEqualTo(63);

      String derived = SageMakerNames.forContent(base, "content-" + random.nextInt());
      assertThat(derived)
          .as("derived from %s", base)
          .matches(Validation.SAGEMAKER_NAME)
          .hasSizeLessThanOrEqualTo(SageMakerNames.MAX_LENGTH)
          .matches(SageMakerNames.derivedFrom(base))
          .contains(SageMakerNames.derivedPrefix(base));

      String other = baseByPrefix.putIfAbsent(SageMakerNames.derivedPrefix(base), base);
      assertThat(other == null || other.equals(base))
          .as("%s and %s share a prefix", base, other)
          .isTrue();
    }
  }

  @Test
  void longBasesThatShareTheirHeadDeriveDistinctNames() {
    String head = "team-forecasting-production-fraud-scoring-xgb-";
    String a = head + "model-a-12345678";
    String b = head + "model-b-87654321";

    String fromA = SageMakerNames.forContent(a, "same");

    assertThat(fromA).isNotEqualTo(SageMakerNames.forContent(b, "same"));
    assertThat(fromA).doesNotMatch(SageMakerNames.derivedFrom(b));
  }

  /** A DNS-1123 label: a namespace. */
  private static String label(Random random, int max) {
    int length = 1 + random.nextInt(max);
    var out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      boolean edge = i == 0 || i == length - 1;
      out.append(edge ? alnum(random) : random.nextInt(8) == 0 ? '-' : alnum(random));
    }
    return out.toString();
  }

  /** A DNS-1123 subdomain: an object name (labels joined by dots). */
  private static String subdomain(Random random, int max) {
    int length = 1 + random.nextInt(max);
    var out = new StringBuilder(label(random, Math.min(63, length)));
    while (out.length() + 2 <= length) {
      int room = length - out.length() - 1;
      out.append('.').append(label(random, Math.min(63, room)));
    }
    return out.toString();
  }

  /** A name a user may set in spec.sagemaker: SageMaker's own pattern, any case, up to 63. */
  private static String sageMakerName(Random random) {
    int length = 1 + random.nextInt(63);
    var out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      boolean edge = i == 0 || i == length - 1;
      char c = edge || random.nextInt(6) != 0 ? alnum(random) : '-';
      out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  private static char alnum(Random random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    return alphabet.charAt(random.nextInt(alphabet.length()));
  }
}
