package dev.ebb.sagemaker;

import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What every SageMaker operation class shares: one way to call AWS and to recognise Ebb's names.
 */
final class Calls {
  private Calls() {}

  /** Runs one AWS call; a failure leaves as a classified {@link AwsCallException}. */
  static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw new AwsCallException(AwsErrors.classify(operation, e), e);
    }
  }

  /** Names Ebb derives from {@code base}: the base, a hyphen and an 8-hex content hash. */
  static Pattern derivedName(String base) {
    return Pattern.compile(Pattern.quote(base) + "-[0-9a-f]{8}");
  }
}
