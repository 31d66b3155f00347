package dev.ebb.sagemaker;

/** A failed AWS call, already classified. Reconcilers turn it into status, events and backoff. */
public final class AwsCallException extends RuntimeException {
  private final AwsFailure failure;

  public AwsCallException(AwsFailure failure, Throwable cause) {
    super(
        failure.operation() + " failed: " + failure.errorCode() + ": " + failure.message(), cause);
    this.failure = failure;
  }

  public AwsFailure failure() {
    return failure;
  }
}
