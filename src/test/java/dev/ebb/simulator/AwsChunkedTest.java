package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aws-chunked decoding and checksum checks behind PutObject, in both framings the SDK uses. */
class AwsChunkedTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void unsignedChunksWithAChecksumTrailer() {
    String raw = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
    AwsChunked.Decoded decoded = AwsChunked.decode(bytes(raw));
    assertThat(new String(decoded.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(decoded.trailers()).containsEntry("x-amz-checksum-crc32", "DUoRhQ==");
    S3Checksums.check("crc32", "DUoRhQ==", decoded.body()); // the CRC32 of "hello world"
  }

  @Test
  void signedChunksAndATrailerSignature() {
    String raw =
        "b;chunk-signature=aaaa\r\nhello world\r\n0;chunk-signature=bbbb\r\n"
            + "x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:cccc\r\n\r\n";
    AwsChunked.Decoded decoded = AwsChunked.decode(bytes(raw));
    assertThat(decoded.body()).isEqualTo(bytes("hello world"));
    assertThat(decoded.trailers().keySet())
        .containsExactlyInAnyOrder("x-amz-checksum-crc32", "x-amz-trailer-signature");
  }

  @Test
  void aTruncatedBodyOrAWrongChecksumIsRefused() {
    AwsError truncated =
        catchThrowableOfType(() -> AwsChunked.decode(bytes("a\r\nhello")), AwsError.class);
    assertThat(truncated.code()).isEqualTo("IncompleteBody");
    AwsError digest =
        catchThrowableOfType(
            () -> S3Checksums.check("crc32", "AAAAAA==", bytes("hello world")), AwsError.class);
    assertThat(digest.code()).isEqualTo("BadDigest");
    assertThat(digest.status()).isEqualTo(400);
  }

  @Test
  void pathStyleRequestsDecodeKeysAndDropPresignMembers() {
    S3Request request =
        S3Request.parse(
            "GET",
            "/data/dir/a%20b+c.txt",
            "x-id=GetObject&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request",
            Map.of("content-type", List.of("text/plain")),
            new byte[0]);
    assertThat(request.bucket()).isEqualTo("data");
    assertThat(request.key()).isEqualTo("dir/a b+c.txt");
    assertThat(request.query()).containsOnlyKeys("x-id");
    assertThat(request.operation()).isEqualTo("GetObject");
    assertThat(request.header("Content-Type")).isEqualTo("text/plain");
    assertThat(
            WireProtocol.service(
                "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/s3/aws4_request, Sig..."))
        .isEqualTo("s3");
  }
}
