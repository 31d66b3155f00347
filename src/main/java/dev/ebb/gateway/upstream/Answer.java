package dev.ebb.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/** An upstream's whole answer: a model server's, or SageMaker Runtime's. */
public record Answer(int status, MultiMap headers, Buffer body) {
  /** {@code response} with its body read. */
  public static Future<Answer> read(HttpClientResponse response) {
    return response.body().map(b -> new Answer(response.statusCode(), response.headers(), b));
  }

  public boolean succeeded() {
    return status / 100 == 2;
  }

  /** The Content-Type, or {@code application/octet-stream} when the upstream sent none. */
  public String contentType() {
    String type = headers.get("Content-Type");
    return type == null ? "application/octet-stream" : type;
  }
}
