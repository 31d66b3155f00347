package dev.ebb.gateway.async;

import dev.ebb.gateway.copies.CopyWatch;
import dev.ebb.local.ComponentKey;
import dev.ebb.local.LocalMetricCatalog;
import dev.ebb.local.LocalMetrics;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Publishes the asynchronous queue's backlog to the policy engine once a second, under SageMaker's
 * names (see {@link LocalMetricCatalog}): ApproximateBacklogSize, ApproximateBacklogSizePerInstance
 * (per ready copy, only while there is one, as SageMaker has no per-instance value at zero
 * instances) and HasBacklogWithoutCapacity. Every replica publishes its own queue; the engine sums
 * replicas' values per second, which is the component's backlog.
 */
@ApplicationScoped
@Startup
public class BacklogMetrics {
  private final Vertx vertx;
  private final long timer;

  public BacklogMetrics(
      Vertx vertx, AsyncInvocations invocations, CopyWatch copies, LocalMetrics metrics) {
    this.vertx = vertx;
    this.timer =
        vertx.setPeriodic(
            1000,
            id -> publish(invocations.backlogs(), c -> copies.readyCopies(c).size(), metrics));
  }

  static void publish(
      Map<ComponentKey, Integer> backlogs,
      ToIntFunction<ComponentKey> readyCopies,
      LocalMetrics metrics) {
    backlogs.forEach(
        (component, backlog) -> {
          int ready = readyCopies.applyAsInt(component);
          var recorded = metrics.of(component);
          recorded.record(LocalMetricCatalog.BACKLOG_SIZE, backlog);
          if (ready > 0) {
            recorded.record(LocalMetricCatalog.BACKLOG_SIZE_PER_COPY, (double) backlog / ready);
          }
          recorded.record(
              LocalMetricCatalog.BACKLOG_WITHOUT_CAPACITY, backlog > 0 && ready == 0 ? 1 : 0);
        });
  }

  @PreDestroy
  void stop() {
    vertx.cancelTimer(timer);
  }
}
