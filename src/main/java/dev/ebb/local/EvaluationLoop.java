package dev.ebb.local;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread the local autoscaler evaluates on, so a policy is never evaluated twice at once. A
 * test gives one that runs everything at once, on its own thread.
 */
interface EvaluationLoop {
  /** Runs {@code work} on the loop, after what is queued. */
  void submit(Runnable work);

  /** Runs {@code work} every {@code period}. */
  void every(Duration period, Runnable work);

  void stop();

  /** A daemon thread named ebb-autoscaler. */
  static EvaluationLoop thread() {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "ebb-autoscaler");
              thread.setDaemon(true);
              return thread;
            });
    return new EvaluationLoop() {
      @Override
      public void submit(Runnable work) {
        executor.execute(work);
      }

      @Override
      public void every(Duration period, Runnable work) {
        long millis = period.toMillis();
        executor.scheduleWithFixedDelay(work, millis, millis, TimeUnit.MILLISECONDS);
      }

      @Override
      public void stop() {
        executor.shutdownNow();
      }
    };
  }
}
