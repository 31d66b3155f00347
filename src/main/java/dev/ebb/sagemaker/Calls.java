package dev.ebb.sagemaker;

import java.util.Optional;
import java.util.function.BooleanSupplier;
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

  /**
   * Runs one List call within Ebb's {@link ListBudget}: when the budget is spent, the call is not
   * made and the pass ends as throttled.
   */
  static <T> T list(String operation, Supplier<T> call) {
    return list(ListBudget.SHARED, operation, call);
  }

  static <T> T list(ListBudget budget, String operation, Supplier<T> call) {
    if (!budget.tryTake()) {
      AwsFailure spent = budget.spent(operation);
      throw new AwsCallException(spent, null);
    }
    return call(operation, call);
  }

  /**
   * Runs a Describe call that names a resource: its answer, or empty when SageMaker answers with a
   * ValidationException. The request carries only a name, and every name Ebb uses satisfies
   * SageMaker's constraints, so that answer means absent (SageMaker says so only in the message,
   * which Ebb does not read).
   */
  static <T> Optional<T> describe(String operation, Supplier<T> call) {
    try {
      return Optional.of(call.get());
    } catch (SdkException e) {
      AwsFailure failure = AwsErrors.classify(operation, e);
      if (failure.kind() == AwsErrorKind.VALIDATION) {
        return Optional.empty();
      }
      throw new AwsCallException(failure, e);
    }
  }

  /**
   * Runs a Delete call; a resource already gone is not an error. A ValidationException is taken for
   * "gone" only once {@code exists} (a Describe) confirms it: any other refusal is reported.
   */
  static void delete(String operation, Runnable call, BooleanSupplier exists) {
    try {
      call.run();
    } catch (SdkException e) {
      AwsFailure failure = AwsErrors.classify(operation, e);
      if (failure.kind() == AwsErrorKind.VALIDATION && !exists.getAsBoolean()) {
        return;
      }
      throw new AwsCallException(failure, e);
    }
  }
}
