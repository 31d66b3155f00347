package dev.ebb.scaling;

/**
 * The target's copies now. Copies asked for that are neither ready nor starting ({@code desired -
 * ready - starting}) are not coming: the caller gave up on them (on backend local, a rollout
 * Kubernetes reports stuck, or a copy no node could take within the bound). They hold back neither
 * scale-in nor the idle window (scaling in removes them first), and scaling is counted from {@code
 * desired}, which includes them.
 *
 * @param desired the count the target is being scaled to
 * @param ready copies serving
 * @param starting copies still in their cold start (waiting for a node, pulling, loading the
 *     model), which nothing scales away
 */
public record Copies(int desired, int ready, int starting) {
  public Copies {
    if (desired < 0 || ready < 0 || starting < 0) {
      throw new IllegalArgumentException("copies cannot be negative");
    }
  }
}
