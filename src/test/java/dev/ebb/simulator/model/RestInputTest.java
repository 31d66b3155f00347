package dev.ebb.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S3's URI labels, headers, header maps and payload, gathered by the model's bindings. */
class RestInputTest {
  private static final ServiceModel S3 = Botocore.model("s3");

  @Test
  void putObjectMembersComeFromTheUriHeadersAndPayload() {
    var message =
        new RestInput.Message(
            Map.of("Bucket", "b", "Key", "dir/file.json"),
            Map.of("x-id", "PutObject"),
            Map.of(
                "content-type", "application/json",
                "Content-Length", "2",
                "x-amz-meta-owner", "ebb",
                "x-amz-sdk-checksum-algorithm", "CRC32"),
            "{}".getBytes(StandardCharsets.UTF_8));

    JsonNode members = RestInput.members(S3, "PutObjectRequest", message);

    assertThat(members.get("Bucket").asText()).isEqualTo("b");
    assertThat(members.get("Key").asText()).isEqualTo("dir/file.json");
    assertThat(members.get("ContentType").asText()).isEqualTo("application/json");
    assertThat(members.get("ContentLength").isIntegralNumber()).isTrue();
    assertThat(members.get("Metadata").get("owner").asText()).isEqualTo("ebb");
    assertThat(ShapeValidator.input(S3, "PutObjectRequest", members)).isEmpty();
  }

  @Test
  void aHeaderOutsideItsEnumIsReported() {
    var message =
        new RestInput.Message(
            Map.of("Bucket", "b", "Key", "k"),
            Map.of(),
            Map.of("x-amz-sdk-checksum-algorithm", "MD4"),
            new byte[0]);

    assertThat(
            ShapeValidator.input(
                S3, "PutObjectRequest", RestInput.members(S3, "PutObjectRequest", message)))
        .singleElement()
        .asString()
        .startsWith(
            "Value 'MD4' at 'checksumAlgorithm' failed to satisfy constraint: Member must satisfy"
                + " enum value set: [CRC32");
  }

  @Test
  void aMissingLabelIsAMissingRequiredMember() {
    var message = new RestInput.Message(Map.of("Bucket", "b"), Map.of(), Map.of(), null);

    assertThat(
            ShapeValidator.input(
                S3, "GetObjectRequest", RestInput.members(S3, "GetObjectRequest", message)))
        .containsExactly(
            "Value null at 'key' failed to satisfy constraint: Member must not be null");
  }

  @Test
  void listObjectsQueryMembersAreTyped() {
    var message =
        new RestInput.Message(
            Map.of("Bucket", "b"), Map.of("list-type", "2", "max-keys", "10"), Map.of(), null);

    JsonNode members = RestInput.members(S3, "ListObjectsV2Request", message);

    assertThat(members.get("MaxKeys").isIntegralNumber()).isTrue();
    assertThat(ShapeValidator.input(S3, "ListObjectsV2Request", members)).isEmpty();
  }
}
