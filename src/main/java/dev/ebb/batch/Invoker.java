package dev.ebb.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One mini-batch to {@code POST /invocations}, retried as ModelClientConfig allows: "The maximum
 * number of retries when invocation requests are failing. The default value is 3", each request
 * within InvocationsTimeoutInSeconds (default 600; the model client enforces it).
 *
 * <p>AWS does not say which failures it retries nor how long it waits between tries. Ebb retries
 * what may pass on a second try: no answer (refused, reset, timed out), HTTP 5xx and HTTP 429; not
 * other 4xx, which say this payload is wrong. It waits 1 s, 2 s, 4 s... between tries (at most
 * {@value #MAX_RETRIES} retries, as AWS bounds InvocationsMaxRetries to 0..3).
 */
public final class Invoker {
  static final int MAX_RETRIES = 3;
  private final ModelClient model;
  private final Pause pause;
  private final int maxRetries;
  private final String contentType;
  private final String accept;

  public Invoker(
      ModelClient model, Pause pause, int maxRetries, String contentType, String accept) {
    this.model = model;
    this.pause = pause;
    this.maxRetries = Math.min(maxRetries, MAX_RETRIES);
    this.contentType = contentType;
    this.accept = accept;
  }

  /** The response body of a 2xx; throws {@link Failed} once the tries are spent. */
  public byte[] invoke(byte[] payload) throws Failed, InterruptedException {
    String last = null;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        pause.sleep(Duration.ofSeconds(1L << (attempt - 1)));
      }
      try {
        ModelClient.Response r = model.invoke(payload, contentType, accept);
        if (r.status() >= 200 && r.status() < 300) {
          return r.body();
        }
        last = "HTTP " + r.status() + " from POST /invocations" + snippet(r.body());
        if (r.status() < 500 && r.status() != 429) {
          throw new Failed(last);
        }
      } catch (IOException e) {
        last =
            "no answer from POST /invocations: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    }
    throw new Failed(last + " (after " + maxRetries + " retries)");
  }

  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? "" : ": " + s.replace('\n', ' ');
  }

  /** The mini-batch failed. */
  public static final class Failed extends Exception {
    public Failed(String message) {
      super(message);
    }
  }
}
