package dev.ebb.gateway.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/**
 * SageMaker's constraints on names and headers (GatewayFuzzIT found oversized and odd values passed
 * on: to the model, to SageMaker, which refuses them, and to DescribeInferenceComponent and
 * ListInferenceComponents, one control-plane call each per bad request).
 */
class RequestConstraintsTest {
  private static final RuntimeOperation SYNC = RuntimeOperation.INVOKE_ENDPOINT;
  private static final RuntimeOperation STREAM =
      RuntimeOperation.INVOKE_ENDPOINT_WITH_RESPONSE_STREAM;
  private static final RuntimeOperation ASYNC = RuntimeOperation.INVOKE_ENDPOINT_ASYNC;

  @Test
  void whatSageMakersSdksSendPasses() {
    MultiMap headers =
        headers(
            "Content-Type", "application/json; charset=utf-8",
            "Accept", "*/*",
            "X-Amzn-SageMaker-Custom-Attributes", "a".repeat(1024),
            "X-Amzn-SageMaker-Inference-Id", "id with spaces ~!@#".repeat(3),
            "X-Amzn-SageMaker-Target-Variant", "AllTraffic",
            "X-Amzn-SageMaker-Target-Model", "model.tar.gz",
            "X-Amzn-SageMaker-Session-Id", "NEW_SESSION");
    assertThat(RequestConstraints.violation(SYNC, "my-endpoint-1", headers)).isEmpty();
    assertThat(
            RequestConstraints.violation(
                ASYNC,
                "e",
                headers(
                    "X-Amzn-SageMaker-InputLocation", "s3://bucket/in/x.json",
                    "X-Amzn-SageMaker-RequestTTLSeconds", "21600",
                    "X-Amzn-SageMaker-InvocationTimeoutSeconds", "1")))
        .isEmpty();
  }

  @Test
  void aComponentMayBeNamedAsOnSageMakerOrByItsObject() {
    for (String name : new String[] {"Llama-3-8B", "tiny", "llama3.8b-v1", "a".repeat(253)}) {
      assertThat(
              RequestConstraints.violation(
                  SYNC, "e", headers("X-Amzn-SageMaker-Inference-Component", name)))
          .as(name)
          .isEmpty();
    }
    for (String name : new String[] {"-x", "a_b", "a".repeat(254), "caf\u00e9", "x/../y"}) {
      assertThat(
              RequestConstraints.violation(
                  SYNC, "e", headers("X-Amzn-SageMaker-Inference-Component", name)))
          .as(name)
          .hasValueSatisfying(m -> assertThat(m).contains("'inferenceComponentName'"));
    }
  }

  @Test
  void oversizedAndOddValuesAreRefusedNamingTheMember() {
    assertRefused(
        SYNC,
        "X-Amzn-SageMaker-Custom-Attributes",
        "a".repeat(1025),
        "customAttributes",
        "less than or equal to 1024");
    assertRefused(
        SYNC, "X-Amzn-SageMaker-Custom-Attributes", "caf\u00e9", "customAttributes", "pattern");
    assertRefused(SYNC, "X-Amzn-SageMaker-Inference-Id", "i".repeat(65), "inferenceId", "64");
    assertRefused(SYNC, "X-Amzn-SageMaker-Inference-Id", "x\u00ffy", "inferenceId", "pattern");
    assertRefused(
        SYNC, "X-Amzn-SageMaker-Target-Variant", "All_Traffic", "targetVariant", "pattern");
    assertRefused(
        SYNC, "X-Amzn-SageMaker-Target-Model", "", "targetModel", "greater than or equal to 1");
    assertRefused(SYNC, "Content-Type", "text/\u00ff", "contentType", "pattern");
    assertRefused(STREAM, "X-Amzn-SageMaker-Accept", "x".repeat(1025), "accept", "1024");
    assertRefused(ASYNC, "X-Amzn-SageMaker-Content-Type", "x".repeat(1025), "contentType", "1024");
    assertThat(
            RequestConstraints.violation(SYNC, "e", headers("X-Amzn-SageMaker-Accept", "\u00ff")))
        .as("not a header of InvokeEndpoint")
        .isEmpty();
  }

  @Test
  void anAsyncRequestNeedsItsInputAndWholeSecondsInRange() {
    assertThat(RequestConstraints.violation(ASYNC, "e", headers()))
        .hasValueSatisfying(m -> assertThat(m).contains("'inputLocation'", "must not be null"));
    for (String ttl :
        new String[] {"59", "21601", "abc", "", "+60", "1e3", "99999999999999999999"}) {
      assertThat(
              RequestConstraints.violation(
                  ASYNC,
                  "e",
                  headers(
                      "X-Amzn-SageMaker-InputLocation",
                      "s3://b/k",
                      "X-Amzn-SageMaker-RequestTTLSeconds",
                      ttl)))
          .as(ttl)
          .hasValueSatisfying(m -> assertThat(m).contains("'requestTTLSeconds'"));
    }
  }

  @Test
  void anEndpointNameIsSageMakers() {
    assertThat(RequestConstraints.violation(SYNC, "x".repeat(64), headers()))
        .hasValueSatisfying(m -> assertThat(m).contains("'endpointName'", "63"));
    assertThat(RequestConstraints.violation(SYNC, "a..b", headers()))
        .hasValueSatisfying(m -> assertThat(m).contains("'endpointName'", "pattern"));
  }

  private static void assertRefused(
      RuntimeOperation operation, String header, String value, String member, String why) {
    assertThat(RequestConstraints.violation(operation, "e", headers(header, value)))
        .as(header + ": " + value)
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("1 validation error detected: Value at '" + member + "'")
                    .contains(why));
  }

  private static MultiMap headers(String... pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  /**
   * The hand-written checks say exactly what SageMaker's patterns say, for every string of up to
   * five characters over letters, digits, hyphens and a few characters neither admits.
   */
  @Test
  void theHandWrittenChecksAgreeWithSageMakersPatterns() {
    java.util.regex.Pattern name = java.util.regex.Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9])*");
    java.util.regex.Pattern ascii = java.util.regex.Pattern.compile("\\p{ASCII}*");
    char[] alphabet = {'a', 'Z', '7', '-', '_', ' ', '\u00e9', '\u007f'};
    java.util.List<String> strings = new java.util.ArrayList<>(java.util.List.of(""));
    for (int length = 1, from = 0; length <= 5; length++) {
      int to = strings.size();
      for (int i = from; i < to; i++) {
        for (char c : alphabet) {
          strings.add(strings.get(i) + c);
        }
      }
      from = to;
    }
    assertThat(strings).hasSize(1 + 8 + 64 + 512 + 4096 + 32768);
    for (String s : strings) {
      assertThat(RequestConstraints.name(s))
          .as("name(\"%s\")", s)
          .isEqualTo(name.matcher(s).matches());
      assertThat(RequestConstraints.ascii(s))
          .as("ascii(\"%s\")", s)
          .isEqualTo(ascii.matcher(s).matches());
    }
  }
}
