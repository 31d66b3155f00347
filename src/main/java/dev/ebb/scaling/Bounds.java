package dev.ebb.scaling;

/** Min and max capacity in force: the policy's, or what the last scheduled action set. */
public record Bounds(int min, int max) {
  public Bounds {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException(
          "bounds must satisfy 0 <= min <= max: " + min + ".." + max);
    }
  }

  public int clamp(int capacity) {
    return Math.max(min, Math.min(max, capacity));
  }
}
