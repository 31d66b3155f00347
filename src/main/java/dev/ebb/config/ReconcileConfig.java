package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How often Ebb looks at cloud resources. Properties {@code ebb.reconcile.*}; environment {@code
 * EBB_RECONCILE_*}. Reconcilers never wait on AWS: they return and are woken on this schedule (or
 * at once by a spec change).
 */
@ConfigMapping(prefix = "ebb.reconcile")
public interface ReconcileConfig {
  /**
   * How often a resource that is changing state (Creating, Updating, Deleting...) is described
   * again. SageMaker transitions take minutes; this bounds the Describe calls per resource.
   */
  @WithDefault("30s")
  Duration transitioningPoll();

  /**
   * The longest wait between two attempts at an object whose AWS calls keep failing in a way a
   * retry can mend (throttling, 5xx, conflicts, access denied). The wait starts at {@link
   * #transitioningPoll} and doubles with each failed pass up to this; the object's {@code
   * status.retry} says when the next attempt is.
   */
  @WithDefault("10m")
  Duration maxRetryDelay();

  /** How often a steady resource is checked for drift (changes made outside Ebb). */
  @WithDefault("10m")
  Duration steadyResync();

  /**
   * Spread added to every interval, as a fraction of it (0 to 1), so that objects created together
   * do not poll AWS together.
   */
  @WithDefault("0.2")
  double jitter();
}
