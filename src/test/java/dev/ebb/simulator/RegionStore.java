package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Everything one region holds, and the transitions due in it. Regions share nothing: SageMaker's
 * resources are regional. Guarded by the simulator's lock.
 */
final class RegionStore {
  final String name;
  final Map<String, StoredModel> models = new LinkedHashMap<>();
  final Map<String, StoredEndpointConfig> endpointConfigs = new LinkedHashMap<>();
  final Map<String, StoredEndpoint> endpoints = new LinkedHashMap<>();
  final Map<String, StoredComponent> components = new LinkedHashMap<>();

  /** Batch transform jobs: never forgotten, as their names stay taken ({@link BatchTransform}). */
  final Map<String, StoredTransformJob> transformJobs = new LinkedHashMap<>();

  /** Application Auto Scaling, as AWS describes it, keyed by resource ID|dimension[|name]. */
  final Map<String, ObjectNode> scalableTargets = new LinkedHashMap<>();

  final Map<String, ObjectNode> scalingPolicies = new LinkedHashMap<>();
  final Map<String, ObjectNode> scheduledActions = new LinkedHashMap<>();

  /** CloudWatch metric alarms by name, as DescribeAlarms reports them. */
  final Map<String, ObjectNode> alarms = new LinkedHashMap<>();

  /** CloudWatch metrics and Application Auto Scaling's memory, for {@link Autoscaling}. */
  final ScalingState scaling = new ScalingState();

  /** Accepted InvokeEndpointAsync requests not yet run, oldest first ({@link AsyncInvocations}). */
  final List<AsyncInvocations.Queued> asyncQueue = new ArrayList<>();

  private record Due(Instant at, long seq, Runnable action) {}

  /** Transitions run lazily, in time order, when a call or an inspection observes the region. */
  private final PriorityQueue<Due> due =
      new PriorityQueue<>(
          (a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));

  private long seq;

  RegionStore(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /**
   * Schedules {@code action} on {@code resource} after {@code delay}; the action receives the
   * instant it was due. Scheduling supersedes any transition still pending on that resource.
   */
  void after(Stored resource, Instant now, Duration delay, Consumer<Instant> action) {
    int generation = ++resource.generation;
    Instant at = now.plus(delay);
    due.add(
        new Due(
            at,
            seq++,
            () -> {
              if (resource.generation == generation) {
                resource.lastModifiedTime = at;
                action.accept(at);
              }
            }));
  }

  /** Applies every transition due by {@code now}. */
  void advance(Instant now) {
    while (!due.isEmpty() && !due.peek().at.isAfter(now)) {
      due.poll().action.run();
    }
  }

  /** Forgets a resource; transitions still scheduled on it become no-ops. */
  void forget(Map<String, ? extends Stored> from, Stored resource) {
    from.remove(Arns.key(resource.name));
    resource.generation++;
  }
}
