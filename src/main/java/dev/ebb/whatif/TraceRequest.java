package dev.ebb.whatif;

import java.time.Duration;
import java.time.Instant;

/**
 * One request of a trace: when it arrived, how long a copy took to answer it, and its body's size
 * (held bodies count against the gateway's byte bound).
 */
public record TraceRequest(Instant at, Duration duration, long bytes) {
  public TraceRequest {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a request's duration cannot be negative");
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("a request's size cannot be negative");
    }
  }
}
