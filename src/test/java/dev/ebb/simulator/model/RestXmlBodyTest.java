package dev.ebb.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** S3's XML answers read back with the output shape, then checked as any answer is. */
class RestXmlBodyTest {
  private static final ServiceModel S3 = Botocore.model("s3");
  private static final String SHAPE = S3.outputShape("ListObjectsV2");

  private static String listing(String storageClass) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Name>models</Name><Prefix>tiny/</Prefix><MaxKeys>1000</MaxKeys><KeyCount>2</KeyCount>
          <IsTruncated>false</IsTruncated>
          <Contents><Key>tiny/a</Key><LastModified>2026-12-06T10:00:00.000Z</LastModified>
            <ETag>"e1"</ETag><Size>5</Size><StorageClass>%s</StorageClass></Contents>
          <Contents><Key>tiny/b</Key><LastModified>2026-12-06T10:00:00.000Z</LastModified>
            <ETag>"e2"</ETag><Size>7</Size><StorageClass>STANDARD</StorageClass></Contents>
          <CommonPrefixes><Prefix>tiny/sub/</Prefix></CommonPrefixes>
        </ListBucketResult>
        """
        .formatted(storageClass);
  }

  @Test
  void aListingIsReadByMemberWithFlattenedListsAndTypedScalars() {
    var members =
        RestXmlBody.members(S3, SHAPE, listing("STANDARD").getBytes(StandardCharsets.UTF_8));

    assertThat(members.path("Name").asText()).isEqualTo("models");
    assertThat(members.path("KeyCount").isNumber()).isTrue();
    assertThat(members.path("IsTruncated").isBoolean()).isTrue();
    assertThat(members.path("Contents")).hasSize(2);
    assertThat(members.path("Contents").get(1).path("Size").asLong()).isEqualTo(7);
    assertThat(members.path("CommonPrefixes").get(0).path("Prefix").asText())
        .isEqualTo("tiny/sub/");
    assertThat(ShapeValidator.output(S3, SHAPE, members)).isEmpty();
  }

  @Test
  void aValueTheModelForbidsInTheBodyIsAViolation() {
    var members =
        RestXmlBody.members(S3, SHAPE, listing("NOT_A_CLASS").getBytes(StandardCharsets.UTF_8));

    assertThat(ShapeValidator.output(S3, SHAPE, members))
        .singleElement()
        .asString()
        .contains("NOT_A_CLASS");
  }
}
