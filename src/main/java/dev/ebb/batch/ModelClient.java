package dev.ebb.batch;

import java.io.IOException;
import java.util.Optional;

/** The model server under SageMaker's container contract. */
public interface ModelClient {
  /** {@code GET /ping}'s status, or -1 when nothing answered. */
  int ping();

  /** {@code GET /execution-parameters}'s body when it answers 200, else empty. */
  Optional<String> executionParameters() throws IOException;

  /**
   * {@code POST /invocations} with {@code Content-Type} and {@code Accept} when not null. Throws
   * when no answer came (refused, reset, timed out).
   */
  Response invoke(byte[] body, String contentType, String accept) throws IOException;

  /** An answer. */
  record Response(int status, byte[] body) {}
}
