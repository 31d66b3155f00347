package dev.ebb.gateway.body;

import dev.ebb.gateway.errors.RuntimeError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The chain's first stage: the request's payload, read whole and kept byte for byte, up to {@code
 * ebb.gateway.max-payload-bytes} (413 beyond, before a byte is read when the declared length says
 * so). Vert.x Web's BodyHandler is not used: it decodes {@code multipart/form-data} and {@code
 * application/x-www-form-urlencoded} bodies, which SageMaker passes to the model untouched (an
 * image model takes multipart), so such a body would reach the model empty or be refused.
 */
public final class PayloadHandler implements Handler<RoutingContext> {
  private static final String KEY = PayloadHandler.class.getName();

  /** The most a buffer is sized for up front: a declared length is the client's word, not bytes. */
  private static final int PREALLOCATED = 64 * 1024;

  private final int maxBytes;

  public PayloadHandler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The payload the stage read (empty if it read none). */
  public static Buffer of(RoutingContext request) {
    Buffer payload = request.get(KEY);
    return payload == null ? Buffer.buffer() : payload;
  }

  /** Gives {@code request} its payload, as this stage does once it has read it. */
  public static void attach(RoutingContext request, Buffer payload) {
    request.put(KEY, payload);
  }

  @Override
  public void handle(RoutingContext context) {
    HttpServerRequest request = context.request();
    long declared = declaredLength(request);
    if (declared > maxBytes) {
      RuntimeError.payloadTooLarge(maxBytes).send(context.response());
      // Read and dropped: a client that writes its whole payload before reading (the AWS SDKs)
      // would otherwise block, and the connection could not serve its next request.
      if (!request.isEnded()) {
        request.handler(dropped -> {}).exceptionHandler(gone -> {}).resume();
      }
      return;
    }
    if (request.isEnded()) {
      attach(context, Buffer.buffer());
      context.next();
      return;
    }
    if (request.version() == HttpVersion.HTTP_1_1
        && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      context.response().writeContinue();
    }
    new Reading(context, (int) Math.min(Math.max(declared, 0), PREALLOCATED)).start();
  }

  /** The Content-Length, or -1 without one (chunked); Vert.x has refused a malformed one. */
  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One payload arriving. */
  private final class Reading {
    private final RoutingContext context;
    private Buffer payload;
    private boolean over;

    Reading(RoutingContext context, int initialSize) {
      this.context = context;
      this.payload = Buffer.buffer(initialSize);
    }

    void start() {
      context
          .request()
          .handler(this::chunk)
          .endHandler(end -> end())
          .exceptionHandler(this::broken)
          .resume();
    }

    private void chunk(Buffer chunk) {
      if (over) {
        return; // the rest of a refused payload is read and dropped, so the connection lives on
      }
      if (payload.length() + chunk.length() > maxBytes) {
        over = true;
        payload = null;
        RuntimeError.payloadTooLarge(maxBytes).send(context.response());
        return;
      }
      payload.appendBuffer(chunk);
    }

    private void end() {
      if (over) {
        return;
      }
      over = true;
      attach(context, payload);
      context.next();
    }

    /** The client left, or its framing broke (a bad chunk): nothing goes further. */
    private void broken(Throwable cause) {
      if (over) {
        return;
      }
      over = true;
      payload = null;
      RuntimeError.validation("The request's payload could not be read: " + cause.getMessage())
          .send(context.response());
    }
  }
}
