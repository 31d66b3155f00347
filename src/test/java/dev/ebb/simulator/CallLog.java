package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every request the simulator served or refused, in arrival order. */
final class CallLog {
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  void add(Call call) {
    calls.add(call);
  }

  List<Call> all() {
    return List.copyOf(calls);
  }

  List<Call> of(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).toList();
  }

  void clear() {
    calls.clear();
  }

  ArrayNode toJson(String operation) {
    ArrayNode out = Json.array();
    for (Call c : operation == null ? all() : of(operation)) {
      ObjectNode n = out.addObject();
      n.put("Time", Json.epochSeconds(c.time()));
      n.put("Region", c.region());
      n.put("Operation", c.operation());
      n.set("Request", c.request());
      n.put("Status", c.status());
      n.put("ErrorCode", c.errorCode());
      n.put("ErrorMessage", c.errorMessage());
      n.put("Throttled", c.throttled());
    }
    return out;
  }
}
