package dev.ebb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The JDK's jcmd, pointed at a benchmarked JVM (the operator's process). */
final class Jcmd {
  private Jcmd() {}

  static String run(long pid, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(Long.toString(pid));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + text);
    }
    return text;
  }

  /** The bytes of live objects on {@code pid}'s heap, from a class histogram (a full GC first). */
  static long liveHeapBytes(long pid) throws IOException, InterruptedException {
    return liveHeapBytes(run(pid, "GC.class_histogram"));
  }

  /**
   * The class histogram of live objects (jcmd runs a full GC first); its last line is "Total
   * <instances> <bytes>".
   */
  static long liveHeapBytes(String histogram) {
    List<String> lines = histogram.lines().map(String::trim).toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("Total")) {
        String[] parts = lines.get(i).split("\\s+");
        return Long.parseLong(parts[2]);
      }
    }
    throw new IllegalStateException("no Total line in the class histogram:\n" + histogram);
  }
}
