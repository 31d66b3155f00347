package dev.ebb.local;

import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * One log line per scaling activity of backend local's autoscaling loop: when the scale command was
 * accepted, of which component, from and to how many copies, and why. With the gateway's access log
 * it is the record {@code what-if --check} holds its prediction against ({@code kubectl logs} as it
 * is): the copies the operator asked for over time. Always on: a component scales a few times an
 * hour, not per request.
 *
 * <pre>ebb-scale time=2026-12-01T09:00:01.250Z namespace=ml component=chat from=0 to=1
 * trigger=Demand reason=...</pre>
 */
public final class ScalingLog {
  /** Marks a line as a scaling activity wherever the log shipper puts it. */
  public static final String MARKER = "ebb-scale";

  private static final Logger LOG = Logger.getLogger("dev.ebb.local.scaling");

  private ScalingLog() {}

  static void scaled(
      ComponentKey component, Instant at, int from, int to, String trigger, String reason) {
    LOG.info(line(component, at, from, to, trigger, reason));
  }

  static String line(
      ComponentKey component, Instant at, int from, int to, String trigger, String reason) {
    return String.format(
        Locale.ROOT,
        "%s time=%s namespace=%s component=%s from=%d to=%d trigger=%s reason=%s",
        MARKER,
        at,
        component.namespace(),
        component.name(),
        from,
        to,
        trigger,
        reason);
  }
}
