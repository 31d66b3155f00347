package dev.ebb.gateway.access;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Where a caller's credential is read from, and how credentials are compared without leaks. */
final class Credentials {
  private Credentials() {}

  /**
   * The credential a request carries: {@code Authorization: Bearer <credential>}, else {@code
   * X-Api-Key}. An AWS SigV4 {@code Authorization} (what the AWS SDKs send by default) is not a
   * credential for the gateway, so SDK clients put theirs in {@code X-Api-Key}.
   */
  static Optional<String> of(MultiMap headers) {
    String authorization = headers.get("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (!token.isEmpty()) {
        return Optional.of(token);
      }
    }
    return Optional.ofNullable(headers.get("X-Api-Key"))
        .map(String::trim)
        .filter(k -> !k.isEmpty());
  }

  /** A JWT (three base64url parts), as ServiceAccount tokens are; API keys are looked up first. */
  static boolean looksLikeJwt(String credential) {
    int first = credential.indexOf('.');
    int second = first < 0 ? -1 : credential.indexOf('.', first + 1);
    return first > 0 && second > first + 1 && credential.indexOf('.', second + 1) < 0;
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String sha256Hex(String value) {
    return HexFormat.of().formatHex(sha256(value));
  }
}
