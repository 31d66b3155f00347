package dev.ebb.batch;

/** Hears of progress (the progress file; nothing). */
@FunctionalInterface
public interface ProgressSink {
  void report(Progress progress);

  ProgressSink NONE = p -> {};
}
