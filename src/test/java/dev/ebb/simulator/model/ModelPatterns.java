package dev.ebb.simulator.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Compiles the {@code pattern} constraints of AWS's models for {@link java.util.regex}. AWS's front
 * ends are Java services and the patterns are written for them, so nearly all compile as they are;
 * what Java reads differently is translated here, and each translation is tested (ModelPatternsTest
 * compiles every pattern of the six models). Matching is over the whole value, as AWS applies them,
 * and without DOTALL (models that accept line breaks say so, e.g. {@code .*(?:[ \\r\\n\\t].*)*}):
 * SageMaker refuses {@code my_endpoint} against {@code ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}}, which a
 * search for a prefix would accept.
 */
public final class ModelPatterns {
  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private ModelPatterns() {}

  public static Pattern compile(String modelPattern) {
    return CACHE.computeIfAbsent(modelPattern, p -> Pattern.compile(translate(p)));
  }

  /** Whether the whole of {@code value} satisfies the model's pattern. */
  public static boolean matches(String modelPattern, String value) {
    return compile(modelPattern).matcher(value).matches();
  }

  /**
   * The model's pattern in Java's dialect. All 250 patterns of the six models (botocore 1.43.11)
   * compile unchanged, as AWS writes them for its Java front ends: escaped slashes are slashes,
   * {@code \\uD800\\uDC00-\\uDBFF\\uDFFF} surrogate-pair escapes combine into supplementary code
   * points, {@code \\A}, {@code \\z}, look-arounds and {@code \\p{Print}} mean the same. What is
   * translated is what Java would read differently: a POSIX bracket class ({@code [[:alpha:]]}),
   * which Java reads as the characters ':', 'a', 'l'... ModelPatternsTest compiles every pattern,
   * so a new botocore with another construct fails there first.
   */
  static String translate(String pattern) {
    return POSIX.matcher(pattern).replaceAll(m -> "\\\\p{" + posixName(m.group(1)) + "}");
  }

  private static final Pattern POSIX = Pattern.compile("\\[:([a-z]+):\\]");

  private static String posixName(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
