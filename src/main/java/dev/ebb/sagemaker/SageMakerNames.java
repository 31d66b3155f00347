package dev.ebb.sagemaker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Deterministic SageMaker names. A name is a pure function of what it names (an object's
 * namespace/name, or a config's content), so after a crash the operator finds what it created
 * instead of creating it again. SageMaker names: alphanumerics and single hyphens, at most 63.
 */
public final class SageMakerNames {
  private SageMakerNames() {}

  public static final int MAX_LENGTH = 63;
  private static final int HASH_LENGTH = 8;

  /**
   * The SageMaker name for the object {@code namespace/name}: readable prefix plus a hash of the
   * full identity, so distinct objects never collide even after truncation (e.g. "a-b"/"c" and
   * "a"/"b-c").
   */
  public static String forObject(String namespace, String name) {
    return withHash(namespace + "-" + name, hash(namespace + "/" + name, HASH_LENGTH));
  }

  /** A content-addressed name: {@code base} plus a hash of {@code content}. */
  public static String forContent(String base, String content) {
    return withHash(base, hash(content, HASH_LENGTH));
  }

  private static String withHash(String readable, String hash) {
    String sanitized =
        readable.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    int room = MAX_LENGTH - hash.length() - 1;
    if (sanitized.length() > room) {
      sanitized = sanitized.substring(0, room).replaceAll("-+$", "");
    }
    return sanitized.isEmpty() ? "ebb-" + hash : sanitized + "-" + hash;
  }

  static String hash(String text, int length) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
