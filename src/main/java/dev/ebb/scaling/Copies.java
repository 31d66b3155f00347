package dev.ebb.scaling;

/**
 * The target's copies now.
 *
 * @param desired the count the target is being scaled to
 * @param ready copies serving
 * @param starting copies still in their cold start (scheduled, pulling, loading the model)
 */
public record Copies(int desired, int ready, int starting) {
  public Copies {
    if (desired < 0 || ready < 0 || starting < 0) {
      throw new IllegalArgumentException("copies cannot be negative");
    }
  }
}
