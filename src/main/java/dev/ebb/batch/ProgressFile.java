package dev.ebb.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes progress as one JSON object to a file, replaced whole (written beside it, then moved), so
 * a reader never sees half of it. A failure to write is said once on {@code err} and does not stop
 * the transform.
 */
public final class ProgressFile implements ProgressSink {
  private final Path file;
  private final PrintStream err;
  private boolean complained;

  public ProgressFile(Path file, PrintStream err) {
    this.file = file.toAbsolutePath();
    this.err = err;
  }

  @Override
  public synchronized void report(Progress progress) {
    try {
      Path dir = file.getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".progress-", ".json");
      Files.writeString(tmp, progress.json() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!complained) {
        complained = true;
        err.println("ebb-batch: cannot write the progress file " + file + ": " + e.getMessage());
      }
    }
  }
}
