package dev.ebb.simulator;

/**
 * A targeted fault: the next {@code times} calls of {@code operation} (any operation for "*")
 * answer this error instead of being served. {@code times} below zero means every call.
 *
 * <p>Example: {@code FaultRule.on("DescribeEndpoint").times(2).answer(503, "ServiceUnavailable",
 * "Service is unavailable")}.
 */
public record FaultRule(String operation, int times, int status, String code, String message) {

  public FaultRule {
    code = AwsError.wireCode(code);
  }

  public static Builder on(String operation) {
    return new Builder(operation);
  }

  public static FaultRule internalFailure(String operation, int times) {
    return on(operation)
        .times(times)
        .answer(500, "InternalFailure", "An internal error occurred. Try again.");
  }

  public static FaultRule serviceUnavailable(String operation, int times) {
    return on(operation)
        .times(times)
        .answer(503, "ServiceUnavailable", "Service is unavailable. Try again later.");
  }

  public static FaultRule throttling(String operation, int times) {
    return on(operation).times(times).answer(400, "ThrottlingException", "Rate exceeded");
  }

  boolean matches(String op) {
    return "*".equals(operation) || operation.equals(op);
  }

  FaultRule used() {
    return new FaultRule(operation, times < 0 ? times : times - 1, status, code, message);
  }

  /** Builds a rule step by step. */
  public static final class Builder {
    private final String operation;
    private int times = 1;

    private Builder(String operation) {
      this.operation = operation;
    }

    public Builder times(int times) {
      this.times = times;
      return this;
    }

    public Builder always() {
      this.times = -1;
      return this;
    }

    public FaultRule answer(int status, String code, String message) {
      return new FaultRule(operation, times, status, code, message);
    }
  }
}
