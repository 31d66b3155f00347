package dev.ebb.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The query protocol's flattening (as dev.ebb.simulator.QueryProtocol reads a form) typed by the
 * model: lists of structures, numbers, SNS's maps.
 */
class QueryInputTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void cloudWatchDimensionsAndNumbersFromTheForm() throws Exception {
    ServiceModel cloudwatch = Botocore.model("cloudwatch");
    // QueryProtocol.parse of
    // AlarmName=a&Threshold=5&EvaluationPeriods=1&Dimensions.member.1.Name=..
    JsonNode parsed =
        json(
            "{\"AlarmName\": \"a\", \"Threshold\": \"5.5\", \"EvaluationPeriods\": \"1\","
                + " \"ComparisonOperator\": \"GreaterThanThreshold\", \"MetricName\": \"m\","
                + " \"Namespace\": \"AWS/SageMaker\", \"Period\": \"60\", \"Statistic\": \"Sum\","
                + " \"ActionsEnabled\": \"true\","
                + " \"Dimensions\": [{\"Name\": \"EndpointName\", \"Value\": \"e\"}]}");

    JsonNode typed = QueryInput.typed(cloudwatch, "PutMetricAlarmInput", parsed);

    assertThat(typed.get("Threshold").isNumber()).isTrue();
    assertThat(typed.get("EvaluationPeriods").isIntegralNumber()).isTrue();
    assertThat(typed.get("ActionsEnabled").isBoolean()).isTrue();
    assertThat(ShapeValidator.input(cloudwatch, "PutMetricAlarmInput", typed)).isEmpty();
  }

  @Test
  void aDimensionWithoutValueIsReportedAtItsFlattenedPath() throws Exception {
    ServiceModel cloudwatch = Botocore.model("cloudwatch");
    JsonNode parsed =
        json(
            "{\"AlarmName\": \"a\", \"EvaluationPeriods\": \"0\", \"ComparisonOperator\":"
                + " \"GreaterThanThreshold\", \"Dimensions\": [{\"Name\": \"EndpointName\"}]}");

    List<String> found =
        ShapeValidator.input(
            cloudwatch,
            "PutMetricAlarmInput",
            QueryInput.typed(cloudwatch, "PutMetricAlarmInput", parsed));

    assertThat(found)
        .contains(
            "Value null at 'dimensions.1.member.value' failed to satisfy constraint: Member must"
                + " not be null",
            "Value '0' at 'evaluationPeriods' failed to satisfy constraint: Member must have value"
                + " greater than or equal to 1");
  }

  @Test
  void textThatIsNoNumberStaysTextForTheValidatorToReport() throws Exception {
    ServiceModel cloudwatch = Botocore.model("cloudwatch");
    JsonNode typed =
        QueryInput.typed(cloudwatch, "PutMetricAlarmInput", json("{\"Threshold\": \"high\"}"));

    assertThat(typed.get("Threshold").asText()).isEqualTo("high");
    assertThat(ShapeValidator.input(cloudwatch, "PutMetricAlarmInput", typed))
        .contains(
            "Value 'high' at 'threshold' failed to satisfy constraint: Member must be a number");
  }

  @Test
  void snsAttributeMapsFromTheirEntries() throws Exception {
    ServiceModel sns = Botocore.model("sns");
    // Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=x (key/value by default).
    JsonNode topic =
        QueryInput.typed(
            sns,
            "CreateTopicInput",
            json(
                "{\"Name\": \"t\", \"Attributes\": [{\"key\": \"DisplayName\", \"value\": \"x\"}]}"));
    assertThat(topic.get("Attributes").get("DisplayName").asText()).isEqualTo("x");

    // MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=String: the map's
    // key and value have locationNames Name and Value.
    JsonNode publish =
        QueryInput.typed(
            sns,
            "PublishInput",
            json(
                "{\"Message\": \"m\", \"MessageAttributes\": [{\"Name\": \"a\","
                    + " \"Value\": {\"DataType\": \"String\", \"StringValue\": \"v\"}}]}"));
    assertThat(publish.get("MessageAttributes").get("a").get("DataType").asText())
        .isEqualTo("String");
    assertThat(ShapeValidator.input(sns, "PublishInput", publish)).isEmpty();
  }

  @Test
  void publishWithoutMessageIsRefused() throws Exception {
    ServiceModel sns = Botocore.model("sns");
    JsonNode typed = QueryInput.typed(sns, "PublishInput", json("{\"TopicArn\": \"arn\"}"));

    assertThat(ShapeValidator.input(sns, "PublishInput", typed))
        .containsExactly(
            "Value null at 'message' failed to satisfy constraint: Member must not be null");
  }
}
