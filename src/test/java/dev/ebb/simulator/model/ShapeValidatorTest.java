package dev.ebb.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of constraint, on SageMaker's real shapes, in AWS's words. */
class ShapeValidatorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ServiceModel SAGEMAKER = Botocore.model("sagemaker");

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static List<String> createEndpoint(String body) {
    return ShapeValidator.input(SAGEMAKER, "CreateEndpointInput", json(body));
  }

  private static List<String> createConfig(String variant) {
    return ShapeValidator.input(
        SAGEMAKER,
        "CreateEndpointConfigInput",
        json("{\"EndpointConfigName\": \"c\", \"ProductionVariants\": [" + variant + "]}"));
  }

  @Test
  void aValidRequestHasNoViolation() {
    assertThat(createEndpoint("{\"EndpointName\": \"ep-1\", \"EndpointConfigName\": \"c\"}"))
        .isEmpty();
  }

  @Test
  void requiredMembers() {
    assertThat(createEndpoint("{\"EndpointConfigName\": \"c\", \"EndpointName\": null}"))
        .containsExactly(
            "Value null at 'endpointName' failed to satisfy constraint: Member must not be null");
  }

  @Test
  void patternsQuoteTheModelsExpression() {
    assertThat(createEndpoint("{\"EndpointName\": \"my_endpoint\", \"EndpointConfigName\": \"c\"}"))
        .containsExactly(
            "Value 'my_endpoint' at 'endpointName' failed to satisfy constraint: Member must"
                + " satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }

  @Test
  void stringLengthsCountCharacters() {
    String long64 = "a".repeat(64);
    assertThat(
            createEndpoint("{\"EndpointName\": \"" + long64 + "\", \"EndpointConfigName\": \"c\"}"))
        .contains(
            "Value '"
                + long64
                + "' at 'endpointName' failed to satisfy constraint: Member must have length less"
                + " than or equal to 63");
    List<String> emptyKey =
        createEndpoint(
            "{\"EndpointName\": \"e\", \"EndpointConfigName\": \"c\","
                + " \"Tags\": [{\"Key\": \"\", \"Value\": \"v\"}]}");
    assertThat(emptyKey)
        .contains(
            "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length"
                + " greater than or equal to 1");
  }

  @Test
  void enums() {
    assertThat(
            createConfig(
                "{\"VariantName\": \"v\", \"InstanceType\": \"ml.nope\", \"InitialInstanceCount\": 1}"))
        .singleElement()
        .asString()
        .startsWith(
            "Value 'ml.nope' at 'productionVariants.1.member.instanceType' failed to satisfy"
                + " constraint: Member must satisfy enum value set: [ml.t2.medium,");
  }

  @Test
  void numericRanges() {
    assertThat(createConfig("{\"VariantName\": \"v\", \"InitialInstanceCount\": 0}"))
        .containsExactly(
            "Value '0' at 'productionVariants.1.member.initialInstanceCount' failed to satisfy"
                + " constraint: Member must have value greater than or equal to 1");
    assertThat(
            createConfig("{\"VariantName\": \"v\", \"ModelDataDownloadTimeoutInSeconds\": 3601}"))
        .containsExactly(
            "Value '3601' at 'productionVariants.1.member.modelDataDownloadTimeoutInSeconds' failed"
                + " to satisfy constraint: Member must have value less than or equal to 3600");
  }

  @Test
  void listLengths() {
    assertThat(
            ShapeValidator.input(
                SAGEMAKER,
                "CreateEndpointConfigInput",
                json("{\"EndpointConfigName\": \"c\", \"ProductionVariants\": []}")))
        .containsExactly(
            "Value '[]' at 'productionVariants' failed to satisfy constraint: Member must have"
                + " length greater than or equal to 1");
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < 51; i++) {
      tags.append(i == 0 ? "" : ",")
          .append("{\"Key\": \"k")
          .append(i)
          .append("\", \"Value\": \"v\"}");
    }
    assertThat(
            createEndpoint(
                "{\"EndpointName\": \"e\", \"EndpointConfigName\": \"c\", \"Tags\": ["
                    + tags
                    + "]}"))
        .singleElement()
        .asString()
        .contains(
            "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
  }

  @Test
  void listsOfScalarsAreReportedAsAWhole() {
    List<String> found =
        ShapeValidator.input(
            SAGEMAKER,
            "DeleteTagsInput",
            json(
                "{\"ResourceArn\": \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/e\","
                    + " \"TagKeys\": [\"ok\", \""
                    + "k".repeat(129)
                    + "\"]}"));
    assertThat(found)
        .singleElement()
        .asString()
        .contains(
            "at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member"
                + " must have length less than or equal to 128]");
  }

  @Test
  void mapKeysAndValues() {
    List<String> found =
        ShapeValidator.input(
            SAGEMAKER,
            "CreateModelInput",
            json(
                "{\"ModelName\": \"m\", \"PrimaryContainer\": {\"Image\": \"i\","
                    + " \"Environment\": {\"1BAD\": \"v\"}}}"));
    assertThat(found)
        .singleElement()
        .asString()
        .contains(
            "at 'primaryContainer.environment' failed to satisfy constraint: Map keys must"
                + " satisfy constraint: [Member must satisfy regular expression pattern:");
  }

  @Test
  void blobLengthsCountBytes() {
    ServiceModel runtime = Botocore.model("sagemaker-runtime");
    ObjectNode request = JsonNodeFactory.instance.objectNode().put("EndpointName", "e");
    request.set("Body", JsonNodeFactory.instance.binaryNode(new byte[6 * 1024 * 1024 + 1]));

    assertThat(ShapeValidator.input(runtime, "InvokeEndpointInput", request))
        .singleElement()
        .asString()
        .contains(
            "at 'body' failed to satisfy constraint: Member must have length less than or"
                + " equal to 6291456");
    request.put("Body", "aGVsbG8="); // base64 as awsJson carries blobs
    assertThat(ShapeValidator.input(runtime, "InvokeEndpointInput", request)).isEmpty();
  }

  @Test
  void typesAndNumbersGivenAsText() {
    assertThat(createConfig("{\"VariantName\": \"v\", \"InitialInstanceCount\": \"2\"}"))
        .containsExactly(
            "Value '2' at 'productionVariants.1.member.initialInstanceCount' failed to satisfy"
                + " constraint: Member must be an integer");
  }

  @Test
  void answersMayNotInventMembers() {
    JsonNode answer =
        json(
            "{\"EndpointArn\": \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/e\", \"Extra\": 1}");

    assertThat(ShapeValidator.output(SAGEMAKER, "CreateEndpointOutput", answer))
        .containsExactly(
            "Value '1' at 'extra' failed to satisfy constraint: Member is not in the model");
    assertThat(ShapeValidator.input(SAGEMAKER, "CreateEndpointOutput", answer)).isEmpty();
  }

  @Test
  void theSummaryCountsTheViolations() {
    assertThat(ShapeValidator.summary(List.of("a", "b")))
        .isEqualTo("2 validation errors detected: a; b");
    assertThat(ShapeValidator.summary(List.of("a"))).isEqualTo("1 validation error detected: a");
  }
}
