package dev.ebb.sagemaker;

/** SageMaker Runtime's invocation operations, by the path each is served at. */
public enum RuntimeOperation {
  INVOKE_ENDPOINT("/invocations"),
  INVOKE_ENDPOINT_ASYNC("/async-invocations"),
  INVOKE_ENDPOINT_WITH_RESPONSE_STREAM("/invocations-response-stream");

  private final String path;

  RuntimeOperation(String path) {
    this.path = path;
  }

  /** The path after {@code /endpoints/<name>}. */
  public String path() {
    return path;
  }
}
