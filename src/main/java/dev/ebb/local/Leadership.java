package dev.ebb.local;

import dev.ebb.config.LeaderElectionConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether this replica leads: holds the leader-election Lease, so it runs the reconcilers and the
 * autoscaling loop. The reconcilers' leader election tells it ({@link #startedLeading}); what does
 * not import them (the gateway's asynchronous invocations) reads it here.
 *
 * <p>Leader election runs in the prod profile only, and only when {@code
 * ebb.leader-election.enabled}; anywhere else every replica reconciles, so every replica leads from
 * the start. A replica that loses the Lease exits, so leading never ends while the process runs.
 */
@ApplicationScoped
public class Leadership {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean leading;

  @jakarta.inject.Inject
  public Leadership(LeaderElectionConfig election) {
    this(!(election.enabled() && LaunchMode.current() == LaunchMode.NORMAL));
  }

  /** For tests: leading from the start, or only once {@link #startedLeading} is called. */
  public Leadership(boolean leadingFromTheStart) {
    this.leading = leadingFromTheStart;
  }

  public boolean leading() {
    return leading;
  }

  /** This replica took the Lease: every listener hears it once. */
  public synchronized void startedLeading() {
    if (leading) {
      return;
    }
    leading = true;
    listeners.forEach(Runnable::run);
  }

  /**
   * Runs {@code listener} when this replica starts leading, or at once if it already leads. (Not on
   * the caller's thread of choice: a listener that blocks must move its work off.)
   */
  public synchronized void whenLeading(Runnable listener) {
    listeners.add(listener);
    if (leading) {
      listener.run();
    }
  }
}
