package dev.ebb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, prod profile: leader election
 * on, as the image runs it) in a process of its own, with exactly the environment given: nothing is
 * inherited, so no kubeconfig or AWS credentials of this machine can leak in. Its log is kept in a
 * file. A replica as it runs in a cluster.
 */
public final class EbbProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  public final String name;
  public final int httpPort;
  public final int managementPort;
  public final Path log;
  private final Process process;

  private EbbProcess(String name, int httpPort, int managementPort, Path log, Process process) {
    this.name = name;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts replica {@code name} (also its HOSTNAME, which leader election takes as identity) with
   * {@code env} and the system properties {@code properties}, on free HTTP and management ports.
   */
  public static EbbProcess start(
      String name, Path dir, Map<String, String> env, Map<String, String> properties) {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: the package phase builds it");
    }
    // A port given (so that peers can be told it before it starts) is kept.
    int httpPort =
        properties.containsKey("quarkus.http.port")
            ? Integer.parseInt(properties.get("quarkus.http.port"))
            : freePort();
    int managementPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The chart's JVM flags come in JAVA_TOOL_OPTIONS; without them, a heap as small as a pod's.
    if (!env.containsKey("JAVA_TOOL_OPTIONS")) {
      command.add("-Xmx256m");
    }
    properties.forEach(
        (k, v) -> {
          if (!k.equals("quarkus.http.port")) {
            command.add("-D" + k + "=" + v);
          }
        });
    command.add("-Dquarkus.http.port=" + httpPort);
    command.add("-Dquarkus.management.port=" + managementPort);
    // The prod profile binds every interface, as a pod must; the sandbox binds loopback only.
    if (!properties.containsKey("quarkus.http.host")) {
      command.add("-Dquarkus.http.host=localhost");
    }
    if (!properties.containsKey("quarkus.management.host")) {
      command.add("-Dquarkus.management.host=localhost");
    }
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().put("HOSTNAME", name);
    builder.environment().putAll(env);
    Path log = dir.resolve(name + ".log");
    try {
      Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new EbbProcess(name, httpPort, managementPort, log, process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A replica against the shared test API server, with its admin credentials, started and ready;
   * its log is {@code target/<name>.log}.
   */
  public static EbbProcess againstTestApiServer(String name, Map<String, String> properties) {
    Map<String, String> all = new java.util.HashMap<>(new RealApiServerResource().start());
    all.putAll(properties);
    EbbProcess replica = start(name, Path.of("target"), Map.of(), all);
    replica.awaitReady(Duration.ofSeconds(90));
    return replica;
  }

  /**
   * Starts replica {@code name} against the shared test API server without waiting: several
   * replicas start at once, and the test awaits each ({@link #awaitReady}).
   */
  public static EbbProcess startAgainstTestApiServer(String name, Map<String, String> properties) {
    Map<String, String> all = new java.util.HashMap<>(new RealApiServerResource().start());
    all.putAll(properties);
    return start(name, Path.of("target"), Map.of(), all);
  }

  /** The operating system's id of the replica's JVM. */
  public long pid() {
    return process.pid();
  }

  /** Kills it at once (SIGKILL), as a node failure would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until {@code /q/health/ready} (the chart's readiness probe) answers 200. */
  public boolean alive() {
    return process.isAlive();
  }

  public void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited (" + process.exitValue() + "):\n" + tail());
      }
      if (status("/q/health/ready") == 200) {
        return;
      }
      sleep(200);
    }
    throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail());
  }

  /** The HTTP status of GET {@code path} on the management port, or -1 if nothing answers. */
  public int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body of GET {@code path} on the management port (e.g. {@code /q/metrics}). */
  public String get(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                  .timeout(Duration.ofSeconds(60))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + ": " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String tail() {
    List<String> lines = logText().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /**
   * Sends SIGTERM, as the kubelet does to a pod, and returns how long the process took to exit (it
   * is killed after 30 s, a pod's default grace period).
   */
  public Duration terminate() {
    long start = System.nanoTime();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** A port free now, for a replica to be started on ({@code quarkus.http.port}). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
