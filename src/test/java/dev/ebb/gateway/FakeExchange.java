package dev.ebb.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * A hand-written double of one request through a Vert.x route, for unit tests of the gateway's
 * handlers without a server or a socket: the {@link RoutingContext} the handler gets, and what it
 * did with it (called {@code next()}, answered). Only the methods the gateway's handlers use are
 * there; any other call fails the test, so a handler that reaches for more shows.
 */
public final class FakeExchange {
  public final Map<String, String> pathParams = new HashMap<>();
  public final MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap();
  public final Map<String, Object> data = new HashMap<>();
  public int nexts;

  // Volatile: a handler may answer on an event loop while the test reads.
  public volatile int status = 200;
  public final MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
  public volatile Buffer responseBody;
  public volatile boolean ended;
  public volatile boolean closed;
  private volatile Handler<Void> closeHandler;

  public final RoutingContext context;
  private final HttpServerRequest request;
  private final HttpServerResponse response;

  public FakeExchange() {
    response = proxy(HttpServerResponse.class, this::onResponse);
    request = proxy(HttpServerRequest.class, this::onRequest);
    context = proxy(RoutingContext.class, this::onContext);
  }

  /** A request to {@code /endpoints/{endpoint}/...}. */
  public static FakeExchange forEndpoint(String endpoint) {
    FakeExchange exchange = new FakeExchange();
    exchange.pathParams.put("endpoint", endpoint);
    return exchange;
  }

  public FakeExchange header(String name, String value) {
    requestHeaders.add(name, value);
    return this;
  }

  /** The client leaves: the connection closes before an answer. */
  public void close() {
    closed = true;
    if (closeHandler != null) {
      closeHandler.handle(null);
    }
  }

  /** The answer's JSON body (an error's {@code __type} and {@code message}). */
  public io.vertx.core.json.JsonObject json() {
    return responseBody.toJsonObject();
  }

  private Object onContext(String method, Object[] args) {
    switch (method) {
      case "pathParam":
        return pathParams.get((String) args[0]);
      case "request":
        return request;
      case "response":
        return response;
      case "put":
        data.put((String) args[0], args[1]);
        return context;
      case "get":
        return data.get((String) args[0]);
      case "next":
        nexts++;
        return null;
      default:
        throw new UnsupportedOperationException("RoutingContext." + method);
    }
  }

  private Object onRequest(String method, Object[] args) {
    switch (method) {
      case "getHeader":
        return requestHeaders.get(String.valueOf(args[0]));
      case "headers":
        return requestHeaders;
      default:
        throw new UnsupportedOperationException("HttpServerRequest." + method);
    }
  }

  private Object onResponse(String method, Object[] args) {
    switch (method) {
      case "ended":
        return ended;
      case "closed":
        return closed;
      case "headWritten":
        return ended;
      case "putHeader":
        responseHeaders.set(String.valueOf(args[0]), String.valueOf(args[1]));
        return response;
      case "setStatusCode":
        status = (Integer) args[0];
        return response;
      case "getStatusCode":
        return status;
      case "end":
        if (ended) {
          throw new IllegalStateException("Response has already been written");
        }
        ended = true;
        responseBody = args == null || args.length == 0 ? Buffer.buffer() : toBuffer(args[0]);
        return Future.succeededFuture();
      case "closeHandler":
        @SuppressWarnings("unchecked")
        Handler<Void> handler = (Handler<Void>) args[0];
        closeHandler = handler;
        return response;
      default:
        throw new UnsupportedOperationException("HttpServerResponse." + method);
    }
  }

  private static Buffer toBuffer(Object body) {
    return body instanceof Buffer b ? b : Buffer.buffer(String.valueOf(body));
  }

  @FunctionalInterface
  private interface Calls {
    Object call(String method, Object[] args);
  }

  private static <T> T proxy(Class<T> type, Calls calls) {
    InvocationHandler handler =
        (self, method, args) -> {
          switch (method.getName()) {
            case "hashCode":
              return System.identityHashCode(self);
            case "equals":
              return self == args[0];
            case "toString":
              return "fake " + type.getSimpleName();
            default:
              return calls.call(method.getName(), args);
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
