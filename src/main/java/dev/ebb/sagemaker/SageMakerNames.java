package dev.ebb.sagemaker;

import dev.ebb.api.v1alpha1.BatchTransform;
import dev.ebb.api.v1alpha1.InferenceComponent;
import dev.ebb.api.v1alpha1.InferenceComponentSpec;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.api.v1alpha1.InferenceEndpointSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Deterministic SageMaker names. A name is a pure function of what it names (an object's
 * namespace/name, or a config's content), so after a crash the operator finds what it created
 * instead of creating it again. SageMaker names: alphanumerics and single hyphens, at most 63.
 *
 * <p>Names derived from a base (an endpoint's configs and models, a component's models) are {@code
 * derivedPrefix(base) + "-" + contentHash}; the prefix is the single source of truth for both
 * creating them and finding them again ({@link #derivedFrom}), whatever the base's length or case.
 */
public final class SageMakerNames {
  private SageMakerNames() {}

  public static final int MAX_LENGTH = 63;
  private static final int HASH_LENGTH = 8;

  /** The longest prefix a derived name can carry: room is left for "-" and the content hash. */
  static final int DERIVED_PREFIX_MAX = MAX_LENGTH - HASH_LENGTH - 1;

  /**
   * The SageMaker name for the object {@code namespace/name}: readable prefix plus a hash of the
   * full identity, so distinct objects never collide even after truncation (e.g. "a-b"/"c" and
   * "a"/"b-c").
   */
  public static String forObject(String namespace, String name) {
    String readable = sanitize(namespace + "-" + name).toLowerCase(Locale.ROOT);
    return withHash(readable, hash(namespace + "/" + name, HASH_LENGTH), MAX_LENGTH);
  }

  /**
   * The SageMaker endpoint's name: the spec's ({@code spec.sagemaker.endpointName}), else derived
   * from namespace/name. Also the {@code EndpointName} the gateway is called by, on either backend.
   */
  public static String endpointName(InferenceEndpoint endpoint) {
    return Optional.ofNullable(endpoint.getSpec().sagemaker())
        .map(InferenceEndpointSpec.SageMaker::endpointName)
        .orElseGet(
            () ->
                forObject(endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName()));
  }

  /**
   * The SageMaker inference component's name: the spec's ({@code
   * spec.sagemaker.inferenceComponentName}), else derived from namespace/name.
   */
  public static String componentName(InferenceComponent component) {
    return Optional.ofNullable(component.getSpec().sagemaker())
        .map(InferenceComponentSpec.SageMaker::inferenceComponentName)
        .orElseGet(
            () ->
                forObject(
                    component.getMetadata().getNamespace(), component.getMetadata().getName()));
  }

  /**
   * The SageMaker transform job's name (and its model's) for a BatchTransform: derived from
   * namespace/name, plus a hash of the object's UID. SageMaker keeps a job's name for ever, even
   * after the job ended, so a BatchTransform deleted and created again under the same name needs a
   * new one; within one object's life the name never changes, so a pass after a crash finds the job
   * it created.
   */
  public static String transformJobName(BatchTransform transform) {
    return forContent(
        forObject(transform.getMetadata().getNamespace(), transform.getMetadata().getName()),
        transform.getMetadata().getUid());
  }

  /** A content-addressed name under {@code base}: its derived prefix plus a hash of content. */
  public static String forContent(String base, String content) {
    return derivedPrefix(base) + "-" + hash(content, HASH_LENGTH);
  }

  /**
   * The part every name derived from {@code base} starts with. A base that fits is kept as it is
   * (case included: SageMaker names may have upper case, and an adopted endpoint's name is not
   * Ebb's to change); a longer one keeps a readable head and a hash of the whole base, so two long
   * bases that share their first 45 characters still derive distinct names.
   */
  public static String derivedPrefix(String base) {
    String sanitized = sanitize(base);
    if (!sanitized.isEmpty() && sanitized.length() <= DERIVED_PREFIX_MAX) {
      return sanitized;
    }
    return withHash(sanitized, hash(base, HASH_LENGTH), DERIVED_PREFIX_MAX);
  }

  /** Matches exactly the names {@link #forContent} derives from {@code base}. */
  public static Pattern derivedFrom(String base) {
    return Pattern.compile(Pattern.quote(derivedPrefix(base)) + "-[0-9a-f]{" + HASH_LENGTH + "}");
  }

  /** SageMaker's alphabet: letters, digits and single inner hyphens. */
  private static String sanitize(String text) {
    return text.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
  }

  /** {@code readable-hash}, the readable part cut so the whole is at most {@code max} long. */
  private static String withHash(String readable, String hash, int max) {
    int room = max - hash.length() - 1;
    String head =
        readable.length() > room ? readable.substring(0, room).replaceAll("-+$", "") : readable;
    return head.isEmpty() ? "ebb-" + hash : head + "-" + hash;
  }

  /** The first {@code length} hex characters of {@code text}'s SHA-256. */
  public static String hash(String text, int length) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
