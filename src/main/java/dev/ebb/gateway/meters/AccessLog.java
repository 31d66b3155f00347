package dev.ebb.gateway.meters;

import dev.ebb.config.GatewayConfig;
import dev.ebb.local.ComponentKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * One line per request the gateway answers for a local component, when {@code
 * ebb.gateway.access-log} is on: when it arrived, what became of it, how long it waited for a copy
 * and how long the copy took. It is the trace {@code what-if} replays ({@code --trace} takes the
 * operator's log as it is, e.g. {@code kubectl logs}); other log lines are skipped. Off by default:
 * a line per request costs throughput, and the log is the cluster's to keep.
 *
 * <pre>ebb-access time=2026-12-01T09:00:00.250Z namespace=ml component=chat outcome=200
 * waited_ms=0.000 duration_ms=1520.412 bytes=2048</pre>
 */
@ApplicationScoped
public class AccessLog {
  /** Marks a line as an access-log record wherever the log shipper puts it. */
  public static final String MARKER = "ebb-access";

  private static final Logger LOG = Logger.getLogger("dev.ebb.gateway.access");

  private final boolean enabled;

  public AccessLog(GatewayConfig config) {
    this.enabled = config.accessLog();
  }

  /** Whether requests are logged: callers skip reading the wall clock otherwise. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * A request to {@code component} that {@code arrived} was answered with {@code outcome} (the
   * status sent, or "failed"), after waiting {@code waitedNanos} for a copy and {@code
   * durationNanos} at it.
   */
  public void answered(
      ComponentKey component,
      Instant arrived,
      String outcome,
      long waitedNanos,
      long durationNanos,
      long bytes) {
    if (enabled) {
      LOG.info(line(component, arrived, outcome, waitedNanos, durationNanos, bytes));
    }
  }

  static String line(
      ComponentKey component,
      Instant arrived,
      String outcome,
      long waitedNanos,
      long durationNanos,
      long bytes) {
    return String.format(
        Locale.ROOT,
        "%s time=%s namespace=%s component=%s outcome=%s waited_ms=%.3f duration_ms=%.3f bytes=%d",
        MARKER,
        arrived,
        component.namespace(),
        component.name(),
        outcome,
        waitedNanos / 1e6,
        durationNanos / 1e6,
        bytes);
  }
}
