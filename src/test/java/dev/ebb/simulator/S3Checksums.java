package dev.ebb.simulator;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The checksums S3 checks on upload: the flexible {@code x-amz-checksum-*} ones (as a header or an
 * aws-chunked trailer) and Content-MD5; the MD5 also makes the ETag. A mismatch is BadDigest, so a
 * body decoded wrongly fails loudly. CRC64NVME has no JDK implementation and is taken on trust.
 */
final class S3Checksums {
  static final List<String> ALGORITHMS = List.of("crc32", "crc32c", "crc64nvme", "sha1", "sha256");

  private S3Checksums() {}

  /** S3's ETag of a single-part upload: the hex MD5 of the body, quoted. */
  static String etag(byte[] body) {
    return "\"" + HexFormat.of().formatHex(digest("MD5", body)) + "\"";
  }

  static void checkMd5(String contentMd5, byte[] body) {
    if (contentMd5 != null
        && !contentMd5.equals(Base64.getEncoder().encodeToString(digest("MD5", body)))) {
      throw AwsError.of(
          400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
  }

  /** Verifies {@code expected} (base64) for {@code algorithm} (lower case, as in the header). */
  static void check(String algorithm, String expected, byte[] body) {
    String actual = compute(algorithm, body);
    if (actual != null && !actual.equals(expected)) {
      throw AwsError.of(
          400,
          "BadDigest",
          "The "
              + algorithm.toUpperCase(Locale.ROOT)
              + " you specified did not match the"
              + " calculated checksum.");
    }
  }

  private static String compute(String algorithm, byte[] body) {
    byte[] sum =
        switch (algorithm) {
          case "crc32" -> crc(new CRC32(), body);
          case "crc32c" -> crc(new CRC32C(), body);
          case "sha1" -> digest("SHA-1", body);
          case "sha256" -> digest("SHA-256", body);
          default -> null;
        };
    return sum == null ? null : Base64.getEncoder().encodeToString(sum);
  }

  private static byte[] crc(Checksum crc, byte[] body) {
    crc.update(body, 0, body.length);
    return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
  }

  private static byte[] digest(String algorithm, byte[] body) {
    try {
      return MessageDigest.getInstance(algorithm).digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
