package dev.ebb.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
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

/**
 * A second Ebb replica, as a separate process running the packaged operator ({@code
 * target/quarkus-app/quarkus-run.jar}) against the same API server, and the {@code @QuarkusTest}
 * operator made its peer. The second replica stands in for a replica that is not the leader: its
 * controllers watch a namespace that does not exist, so it reconciles nothing and runs no
 * autoscaling, but its gateway serves every endpoint. Its log is {@code target/second-replica.log};
 * the test reads its port from {@code ebb.test.second-replica-port}.
 */
public class SecondReplicaResource implements QuarkusTestResourceLifecycleManager {
  public static final String TOKEN = "peer-token-for-tests";

  /** The {@code @QuarkusTest} operator's HTTP port ({@code quarkus.http.test-port}'s default). */
  private static final int FIRST_REPLICA_PORT = 8081;

  private Process process;

  @Override
  public Map<String, String> start() {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: the package phase builds it");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    new RealApiServerResource().start().forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-Dquarkus.http.port=" + port);
    // The packaged operator serves metrics and health on a management port (9000 by default).
    command.add("-Dquarkus.management.port=" + freePort());
    command.add("-Dquarkus.operator-sdk.namespaces=ebb-no-such-namespace");
    // Out of a cluster the Lease's namespace cannot be read from a service account: name one.
    command.add("-Debb.leader-election.namespace=default");
    command.add("-Debb.cluster.peer-token=" + TOKEN);
    command.add("-Debb.cluster.peers=http://localhost:" + FIRST_REPLICA_PORT);
    command.add("-jar");
    command.add(jar.toString());
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(new File("target/second-replica.log"))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitServing(port);
    return Map.of(
        "ebb.cluster.peer-token",
        TOKEN,
        "ebb.cluster.peers",
        "http://localhost:" + port,
        "ebb.test.second-replica-port",
        String.valueOf(port));
  }

  private void awaitServing(int port) {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the second replica exited ("
                + process.exitValue()
                + "): see target/second-replica.log");
      }
      try {
        HttpResponse<Void> answer =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/ebb/internal/v1/metrics"))
                    .header("X-Ebb-Peer-Token", TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("the second replica did not serve within 90 s");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(
            java.util.concurrent.TimeUnit.SECONDS.toMillis(20),
            java.util.concurrent.TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
