package dev.ebb.gateway.resolve;

import dev.ebb.api.v1alpha1.Validation;
import dev.ebb.sagemaker.RuntimeOperation;
import io.vertx.core.MultiMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * SageMaker Runtime's constraints on a request's endpoint name and headers (the lengths and
 * patterns of its service model), checked before anything reads them, as SageMaker checks them: a
 * request it refuses as a ValidationError is refused here on either backend, so nothing malformed
 * reaches a model, SageMaker, the control plane or the gateway's caches, and what a client may put
 * in them is bounded. One addition: a component header may also name the InferenceComponent object
 * (a Kubernetes name).
 */
final class RequestConstraints {
  private RequestConstraints() {}

  private static final Set<RuntimeOperation> ALL = EnumSet.allOf(RuntimeOperation.class);
  private static final Set<RuntimeOperation> SYNC = EnumSet.of(RuntimeOperation.INVOKE_ENDPOINT);
  private static final Set<RuntimeOperation> STREAM =
      EnumSet.of(RuntimeOperation.INVOKE_ENDPOINT_WITH_RESPONSE_STREAM);
  private static final Set<RuntimeOperation> ASYNC =
      EnumSet.of(RuntimeOperation.INVOKE_ENDPOINT_ASYNC);
  private static final Set<RuntimeOperation> SYNC_AND_STREAM =
      EnumSet.of(
          RuntimeOperation.INVOKE_ENDPOINT, RuntimeOperation.INVOKE_ENDPOINT_WITH_RESPONSE_STREAM);

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9])*");
  private static final Pattern COMPONENT =
      Pattern.compile("[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?");
  private static final Pattern OBJECT_NAME = Pattern.compile(Validation.K8S_NAME);
  private static final Pattern ASCII = Pattern.compile("\\p{ASCII}*");
  private static final Pattern PRINTABLE = Pattern.compile("\\S\\p{Print}*");
  private static final Pattern ANY = Pattern.compile("(?s).*");

  /**
   * A header's constraint: its member in SageMaker's model, length bounds and pattern. {@code test}
   * is the pattern as a predicate: hand-written for the patterns every request meets (a regular
   * expression per header per request was about 5% of the gateway's CPU), the pattern's matcher
   * otherwise.
   */
  private record Header(
      String header,
      String member,
      Set<RuntimeOperation> on,
      int min,
      int max,
      Pattern pattern,
      Predicate<String> test) {

    Header(String header, String member, Set<RuntimeOperation> on, int min, int max, Pattern p) {
      this(
          header,
          member,
          on,
          min,
          max,
          p,
          p == ASCII
              ? RequestConstraints::ascii
              : p == NAME ? RequestConstraints::name : p.asMatchPredicate());
    }
  }

  /** An integer header's bounds. */
  private record Whole(String header, String member, long min, long max) {}

  private static final List<Header> HEADERS =
      List.of(
          new Header("Content-Type", "contentType", SYNC_AND_STREAM, 0, 1024, ASCII),
          new Header("Accept", "accept", SYNC, 0, 1024, ASCII),
          new Header(
              "X-Amzn-SageMaker-Accept",
              "accept",
              EnumSet.complementOf(EnumSet.copyOf(SYNC)),
              0,
              1024,
              ASCII),
          new Header("X-Amzn-SageMaker-Content-Type", "contentType", ASYNC, 0, 1024, ASCII),
          new Header("X-Amzn-SageMaker-Custom-Attributes", "customAttributes", ALL, 0, 1024, ASCII),
          new Header("X-Amzn-SageMaker-Inference-Id", "inferenceId", ALL, 1, 64, PRINTABLE),
          new Header("X-Amzn-SageMaker-Target-Model", "targetModel", SYNC, 1, 1024, PRINTABLE),
          new Header(
              "X-Amzn-SageMaker-Target-Variant", "targetVariant", SYNC_AND_STREAM, 0, 63, NAME),
          new Header(
              "X-Amzn-SageMaker-Target-Container-Hostname",
              "targetContainerHostname",
              SYNC_AND_STREAM,
              0,
              63,
              NAME),
          new Header(
              "X-Amzn-SageMaker-Enable-Explanations", "enableExplanations", SYNC, 1, 64, ANY),
          new Header(
              "X-Amzn-SageMaker-Session-Id",
              "sessionId",
              SYNC,
              0,
              256,
              Pattern.compile("NEW_SESSION|" + NAME.pattern())),
          new Header("X-Amzn-SageMaker-Session-Id", "sessionId", STREAM, 0, 256, NAME),
          new Header(
              "X-Amzn-SageMaker-InputLocation",
              "inputLocation",
              ASYNC,
              1,
              1024,
              Pattern.compile("(https|s3)://([^/]+)/?(.*)")),
          new Header(
              "X-Amzn-SageMaker-S3OutputPathExtension",
              "s3OutputPathExtension",
              ASYNC,
              1,
              512,
              Pattern.compile("(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+")),
          new Header(
              "X-Amzn-SageMaker-Filename",
              "filename",
              ASYNC,
              1,
              32,
              Pattern.compile("(?!.*\\..*\\.)[a-zA-Z0-9][a-zA-Z0-9-_.]*")));

  private static final List<Whole> WHOLES =
      List.of(
          new Whole("X-Amzn-SageMaker-RequestTTLSeconds", "requestTTLSeconds", 60, 21600),
          new Whole(
              "X-Amzn-SageMaker-InvocationTimeoutSeconds", "invocationTimeoutSeconds", 1, 3600));

  /** Why SageMaker would refuse the request, or empty when it keeps every constraint. */
  static Optional<String> violation(
      RuntimeOperation operation, String endpointName, MultiMap headers) {
    if (endpointName.length() > 63) {
      return refused("endpointName", "Member must have length less than or equal to 63");
    }
    if (!name(endpointName)) {
      return refused(
          "endpointName", "Member must satisfy regular expression pattern: " + NAME.pattern());
    }
    String component = headers.get(ResolveHandler.COMPONENT_HEADER);
    if (component != null && !component.isEmpty() && !componentName(component)) {
      return refused(
          "inferenceComponentName",
          "Member must be a SageMaker inference component name (at most 63 characters, "
              + COMPONENT.pattern()
              + ") or an InferenceComponent's name");
    }
    for (Header h : HEADERS) {
      if (!h.on().contains(operation)) {
        continue;
      }
      String value = headers.get(h.header());
      if (value == null) {
        continue;
      }
      if (value.length() < h.min()) {
        return refused(h.member(), "Member must have length greater than or equal to " + h.min());
      }
      if (value.length() > h.max()) {
        return refused(h.member(), "Member must have length less than or equal to " + h.max());
      }
      if (!h.test().test(value)) {
        return refused(
            h.member(), "Member must satisfy regular expression pattern: " + h.pattern().pattern());
      }
    }
    if (operation == RuntimeOperation.INVOKE_ENDPOINT_ASYNC) {
      if (headers.get("X-Amzn-SageMaker-InputLocation") == null) {
        return refused("inputLocation", "Member must not be null");
      }
      for (Whole w : WHOLES) {
        String value = headers.get(w.header());
        if (value != null && !within(value, w.min(), w.max())) {
          return refused(
              w.member(), "Member must be a whole number from " + w.min() + " to " + w.max());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean componentName(String name) {
    return sageMakerComponentName(name)
        || name.length() <= 253 && OBJECT_NAME.matcher(name).matches();
  }

  /** Whether SageMaker's model admits {@code name} as an InferenceComponentName. */
  static boolean sageMakerComponentName(String name) {
    return name.length() <= 63 && COMPONENT.matcher(name).matches();
  }

  /**
   * SageMaker's refusal of a component header that names no InferenceComponent object of the
   * endpoint and is no SageMaker component name either (a longer Kubernetes name): the gateway
   * would otherwise pass it on for SageMaker to refuse.
   */
  static String notAComponentName() {
    return refused(
            "inferenceComponentName",
            "Member must have length less than or equal to 63 and match pattern "
                + COMPONENT.pattern()
                + " (or name an InferenceComponent of the endpoint)")
        .orElseThrow();
  }

  /** {@link #NAME}, by hand: letters and digits, single or repeated hyphens between them. */
  static boolean name(String s) {
    int n = s.length();
    if (n == 0 || !alnum(s.charAt(0)) || !alnum(s.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = s.charAt(i);
      if (c != '-' && !alnum(c)) {
        return false;
      }
    }
    return true;
  }

  /** {@link #ASCII}, by hand. */
  static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean within(String value, long min, long max) {
    if (value.isEmpty()
        || value.length() > 10
        || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    long n = Long.parseLong(value);
    return n >= min && n <= max;
  }

  /** SageMaker's wording ("1 validation error detected: ..."), naming the model's member. */
  private static Optional<String> refused(String member, String constraint) {
    return Optional.of(
        "1 validation error detected: Value at '"
            + member
            + "' failed to satisfy constraint: "
            + constraint);
  }
}
