package dev.ebb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Numbers from a benchmarked process's {@code /proc/<pid>/status}. */
final class ProcStatus {
  private ProcStatus() {}

  /**
   * The number on the line that starts with {@code key} (e.g. {@code "VmRSS:"}, in KiB, or {@code
   * "Threads:"}); 0 once the process is gone.
   */
  static long value(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // The process is gone.
    }
    return 0;
  }

  /** The process's resident set in bytes. */
  static long rssBytes(long pid) {
    return value(pid, "VmRSS:") * 1024;
  }
}
