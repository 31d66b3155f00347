package dev.ebb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The simulator's own HTTP API under {@code /_sim/}, for standalone use (curl, another process):
 *
 * <ul>
 *   <li>{@code GET /_sim/state}: every region's resources, as their Describe* outputs with tags
 *   <li>{@code GET /_sim/calls[?operation=Op]}, {@code DELETE /_sim/calls}: the call log
 *   <li>{@code POST /_sim/reset}: forget all resources, calls and faults
 *   <li>{@code POST /_sim/faults/throttle} {@code {"fraction":0.5,"seed":7}}
 *   <li>{@code POST /_sim/faults/rules} {@code
 *       {"operation":"CreateEndpoint","times":1,"status":500,"code":"InternalFailure","message":"..."}}
 *   <li>{@code POST /_sim/faults/fail-next-create} {@code
 *       {"operation":"CreateEndpoint","reason":"..."}}
 * </ul>
 *
 * Admin calls are not SageMaker calls: they are not logged, throttled or faulted.
 */
final class AdminApi {
  private final SageMakerSimulator sim;

  AdminApi(SageMakerSimulator sim) {
    this.sim = sim;
  }

  void handle(HttpExchange exchange, byte[] body) throws IOException {
    String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    try {
      JsonNode out =
          switch (route) {
            case "GET /_sim/state" -> sim.stateJson();
            case "GET /_sim/calls" -> sim.callLog().toJson(param(query, "operation"));
            case "DELETE /_sim/calls" -> done(sim::clearCalls);
            case "POST /_sim/reset" -> done(sim::reset);
            case "POST /_sim/faults/throttle" -> throttle(Json.parseObject(body));
            case "POST /_sim/faults/rules" -> rule(Json.parseObject(body));
            case "POST /_sim/faults/fail-next-create" -> failNextCreate(Json.parseObject(body));
            default -> null;
          };
      if (out == null) {
        reply(exchange, 404, Json.object().put("message", "No admin route " + route));
      } else {
        reply(exchange, 200, out);
      }
    } catch (AwsError | IllegalArgumentException e) {
      reply(exchange, 400, Json.object().put("message", e.getMessage()));
    }
  }

  private JsonNode throttle(ObjectNode in) {
    double fraction = in.path("fraction").asDouble();
    if (in.has("seed")) {
      sim.faults().throttle(fraction, in.get("seed").asLong());
    } else {
      sim.faults().throttle(fraction);
    }
    return ok();
  }

  private JsonNode rule(ObjectNode in) {
    sim.faults()
        .inject(
            new FaultRule(
                in.path("operation").asText("*"),
                in.path("times").asInt(1),
                in.path("status").asInt(500),
                in.path("code").asText("InternalFailure"),
                in.path("message").asText("Injected by the simulator.")));
    return ok();
  }

  private JsonNode failNextCreate(ObjectNode in) {
    sim.faults()
        .failNextCreate(
            in.path("operation").asText("CreateEndpoint"),
            in.path("reason").asText("Injected by the simulator."));
    return ok();
  }

  private static JsonNode done(Runnable action) {
    action.run();
    return ok();
  }

  private static ObjectNode ok() {
    return Json.object().put("ok", true);
  }

  private static String param(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    WireProtocol.send(
        exchange, status, "application/json", Json.pretty(body).getBytes(StandardCharsets.UTF_8));
  }
}
