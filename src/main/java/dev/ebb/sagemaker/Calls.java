package dev.ebb.sagemaker;

import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** What every SageMaker operation class shares: one way to call AWS. */
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
}
