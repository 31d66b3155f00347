package dev.ebb.gateway.copies;

import dev.ebb.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the gateway holds while copies start, over every component and both
 * planes, bounded by {@code ebb.gateway.max-held-bytes}: the count bound alone (per component) lets
 * one component's 1,000 held 6 MB requests take 6 GB.
 */
@Singleton
public class HeldBytes {
  /** For routers whose waiters carry nothing in memory, and for tests. */
  public static final HeldBytes UNBOUNDED = new HeldBytes(Long.MAX_VALUE);

  private final long max;
  private final AtomicLong held = new AtomicLong();

  @Inject
  public HeldBytes(GatewayConfig config) {
    this(config.maxHeldBytes());
  }

  public HeldBytes(long max) {
    this.max = max;
  }

  /** Takes {@code bytes} from the budget, or nothing and false if they do not fit. */
  boolean reserve(long bytes) {
    if (bytes <= 0) {
      return true;
    }
    if (held.addAndGet(bytes) > max) {
      held.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Gives back what {@link #reserve} took. */
  void release(long bytes) {
    if (bytes > 0) {
      held.addAndGet(-bytes);
    }
  }

  /** The bytes held now. */
  public long held() {
    return held.get();
  }

  /** The bound. */
  public long max() {
    return max;
  }
}
