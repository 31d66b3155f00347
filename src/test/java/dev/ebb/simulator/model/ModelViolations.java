package dev.ebb.simulator.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator saw that AWS's models forbid: requests it refused (a test, or Ebb, sent
 * something AWS would refuse too) and answers it gave that break the output shape (a simulator
 * bug). A test that means to send an invalid request takes its violations with {@link #drain()};
 * anything left fails the test when the simulator closes ({@link #assertNone()}).
 */
public final class ModelViolations {
  /** One violation: which side, where, and AWS's words for it. */
  public record Violation(Side side, String service, String operation, String message) {
    @Override
    public String toString() {
      return side + " " + service + ":" + operation + ": " + message;
    }
  }

  /** A request refused, or an answer the simulator should not have given. */
  public enum Side {
    REQUEST,
    RESPONSE
  }

  private final List<Violation> violations = new ArrayList<>();

  public synchronized void record(Side side, String service, String operation, String message) {
    violations.add(new Violation(side, service, operation, message));
  }

  /** The violations so far, forgotten: a test that expects some takes them here. */
  public synchronized List<Violation> drain() {
    List<Violation> out = List.copyOf(violations);
    violations.clear();
    return out;
  }

  public synchronized List<Violation> all() {
    return List.copyOf(violations);
  }

  /** Fails (AssertionError) if any violation is left, listing them. */
  public void assertNone() {
    List<Violation> left = drain();
    if (!left.isEmpty()) {
      StringBuilder text =
          new StringBuilder(
              "The simulator saw "
                  + left.size()
                  + " violation(s) of AWS's service models (botocore); a REQUEST one means the"
                  + " caller sent what AWS refuses, a RESPONSE one is a simulator bug:");
      left.forEach(v -> text.append("\n  ").append(v));
      throw new AssertionError(text.toString());
    }
  }
}
