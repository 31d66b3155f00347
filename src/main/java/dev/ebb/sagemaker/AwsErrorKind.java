package dev.ebb.sagemaker;

/** The few kinds of AWS failure a reconciler acts on differently. */
public enum AwsErrorKind {
  /** The request is wrong: Stalled with a Warning event; no retry until the spec changes. */
  VALIDATION(false),
  /** The resource does not exist (only where the API says so with a dedicated error code). */
  NOT_FOUND(false),
  /** In use, being modified, or a quota is exhausted: retry later with backoff. */
  CONFLICT(true),
  /** AWS asked us to slow down: retry with backoff. */
  THROTTLED(true),
  /** Credentials or IAM do not allow the call: retry with a long backoff (IAM may be fixed). */
  ACCESS_DENIED(true),
  /** AWS or the network failed: retry with backoff. */
  SERVICE_ERROR(true);

  private final boolean retryable;

  AwsErrorKind(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether the same request may succeed later without a spec change. */
  public boolean retryable() {
    return retryable;
  }
}
