package dev.ebb.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class ModelPatternsTest {
  @Test
  void everyPatternOfTheSixModelsCompiles() {
    List<String> broken = new ArrayList<>();
    int count = 0;
    for (String service :
        List.of(
            "sagemaker",
            "sagemaker-runtime",
            "application-autoscaling",
            "cloudwatch",
            "s3",
            "sns")) {
      for (JsonNode shape : Botocore.model(service).shapes()) {
        if (shape.has("pattern")) {
          count++;
          try {
            ModelPatterns.compile(shape.path("pattern").asText());
          } catch (PatternSyntaxException e) {
            broken.add(service + ": " + e.getMessage());
          }
        }
      }
    }
    assertThat(count).isGreaterThan(200);
    assertThat(broken).isEmpty();
  }

  @Test
  void aPatternMustMatchTheWholeValue() {
    String endpointName = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";

    assertThat(ModelPatterns.matches(endpointName, "my-endpoint")).isTrue();
    assertThat(ModelPatterns.matches(endpointName, "my_endpoint")).isFalse();
  }

  @Test
  void surrogatePairEscapesMeanEverySupplementaryCharacter() {
    String text = "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*";

    assertThat(ModelPatterns.matches(text, "caf\u00e9 \uD83D\uDE00")).isTrue();
    assertThat(ModelPatterns.matches(text, "bell\u0007")).isFalse();
  }

  @Test
  void aDotDoesNotCrossLinesUnlessThePatternSaysSo() {
    assertThat(ModelPatterns.matches(".*", "a\nb")).isFalse();
    assertThat(ModelPatterns.matches(".*(?:[ \\r\\n\\t].*)*", "a\nb")).isTrue();
  }

  @Test
  void posixBracketClassesAreTranslated() {
    assertThat(ModelPatterns.translate("[[:alpha:]][[:digit:]]*"))
        .isEqualTo("[\\p{Alpha}][\\p{Digit}]*");
    assertThat(ModelPatterns.matches("[[:alpha:]][[:digit:]]*", "a12")).isTrue();
    assertThat(ModelPatterns.matches("[[:alpha:]]", ":")).isFalse();
  }

  @Test
  void javaSpecificConstructsOfTheModelsBehave() {
    // SageMaker Runtime's InferenceId: \A and \z anchors with POSIX \p{Print}.
    assertThat(ModelPatterns.matches("\\A\\S[\\p{Print}]*\\z", "id-1 two")).isTrue();
    assertThat(ModelPatterns.matches("\\A\\S[\\p{Print}]*\\z", " leading")).isFalse();
    // A look-behind: names that do not end in a hyphen.
    String arnOrName =
        "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)";
    assertThat(ModelPatterns.matches(arnOrName, "model-")).isFalse();
    assertThat(
            ModelPatterns.matches(arnOrName, "arn:aws:sagemaker:us-east-1:123456789012:model/m1"))
        .isTrue();
  }
}
