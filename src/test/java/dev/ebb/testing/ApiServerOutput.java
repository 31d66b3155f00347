package dev.ebb.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The last lines kube-apiserver printed while kube-api-test started it: kube-api-test forwards them
 * to a logger of its own at debug level, which this keeps (without printing them) so that a server
 * that fails to start can be reported in its own words.
 */
final class ApiServerOutput extends Handler implements AutoCloseable {
  /** kube-api-test's logger for the API server's output (KubeAPIServerProcess). */
  private static final String LOGGER =
      "io.fabric8.kubeapitest.process.KubeAPIServerProcess.APIServerProcessLogs";

  private static final int KEPT = 40;

  private final Logger logger = Logger.getLogger(LOGGER);
  private final Level previous = logger.getLevel();
  private final Deque<String> lines = new ArrayDeque<>();

  private ApiServerOutput() {}

  static ApiServerOutput capture() {
    ApiServerOutput output = new ApiServerOutput();
    output.logger.setLevel(Level.ALL);
    output.logger.addHandler(output);
    return output;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (lines.size() == KEPT) {
      lines.removeFirst();
    }
    lines.addLast(String.valueOf(record.getMessage()));
  }

  synchronized String lastLines() {
    return lines.isEmpty() ? "(none captured)" : String.join("\n", lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
