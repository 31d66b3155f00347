package dev.ebb.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.whatif.aws.Cooldown;
import dev.ebb.whatif.aws.MetricStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What CloudWatch and Application Auto Scaling remember in one region between evaluations, beside
 * the objects their Describe calls show: metric samples, when each alarm last acted, each policy's
 * cooldown, when the schedules were last looked at, and the scaling activities. Guarded by the
 * simulator's lock, like the rest of {@link RegionStore}.
 */
final class ScalingState {
  final MetricStore metrics = new MetricStore();

  /** The last evaluation tick; null until the region is first observed with scaling on. */
  Instant lastTick;

  /** Per component: its invocation counters at the previous tick, to publish the difference. */
  final Map<StoredComponent, long[]> counted = new IdentityHashMap<>();

  /** Alarm name to when it last invoked its Auto Scaling actions. */
  final Map<String, Instant> alarmActedAt = new HashMap<>();

  /** Alarm name to the datapoints of its last evaluation, which its repeated actions carry. */
  final Map<String, List<Double>> alarmDatapoints = new HashMap<>();

  /** Policy ARN to its last scaling activity, for cooldowns. */
  final Map<String, Cooldown> cooldowns = new HashMap<>();

  /** Scaling activities, oldest first, as DescribeScalingActivities reports them. */
  final List<ObjectNode> activities = new ArrayList<>();
}
