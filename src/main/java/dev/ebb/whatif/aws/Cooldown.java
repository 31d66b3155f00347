package dev.ebb.whatif.aws;

import java.time.Instant;

/**
 * The last scaling activity of one Application Auto Scaling policy, which its cooldowns run from.
 *
 * @param at when it started
 * @param before the capacity it scaled from
 * @param after the capacity it set
 */
public record Cooldown(Instant at, int before, int after) {
  public boolean scaledOut() {
    return after > before;
  }
}
