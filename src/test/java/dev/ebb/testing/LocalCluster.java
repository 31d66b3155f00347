package dev.ebb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real single-node cluster of {@code hack/local-cluster.sh} (etcd, kube-apiserver,
 * controller-manager, scheduler, kubelet on containerd + runc, kube-proxy, a CNI bridge and the
 * fake GPU device plugin) as a test sees it. Every operation runs the script, and a failure throws
 * with the script's own output, so a cluster that cannot start fails the test with its reason.
 */
public final class LocalCluster implements AutoCloseable {
  /** The node's address inside its network namespace (the script's NODE_IP). */
  public static final String NODE_IP = "10.87.0.1";

  private static final Path SCRIPT = Path.of("hack", "local-cluster.sh");

  public final Path kubeconfig;
  private final boolean startedHere;

  private LocalCluster(Path kubeconfig, boolean startedHere) {
    this.kubeconfig = kubeconfig;
    this.startedHere = startedHere;
  }

  /**
   * Starts the cluster, or joins the one already up (which {@link #close()} then leaves running).
   */
  public static LocalCluster up() {
    boolean wasUp = run(List.of("status"), 60).exitCode == 0;
    Result up = run(List.of("up"), 900);
    if (up.exitCode != 0) {
      throw new IllegalStateException(
          "hack/local-cluster.sh up failed (exit " + up.exitCode + "):\n" + up.output);
    }
    String[] lines = up.stdout.strip().split("\n");
    return new LocalCluster(Path.of(lines[lines.length - 1].strip()), !wasUp);
  }

  /** Imports an image: pause, model-server, operator (Ebb's image from target/quarkus-app). */
  public void load(String image) {
    check(run(List.of("load", image), 600), "load " + image);
  }

  /** 127.0.0.1:{@code hostPort} on this machine leads to {@code target} inside the node. */
  public void forward(int hostPort, String target) {
    check(run(List.of("forward", String.valueOf(hostPort), target), 30), "forward");
  }

  /** {@code address} inside the node (e.g. NODE_IP:4599) leads to 127.0.0.1:{@code hostPort}. */
  public void expose(String address, int hostPort) {
    check(run(List.of("expose", address, String.valueOf(hostPort)), 30), "expose");
  }

  /** Stops the cluster if this test started it; EBB_NODE_KEEP=1 keeps it for a look afterwards. */
  @Override
  public void close() {
    if (startedHere && !"1".equals(System.getenv("EBB_NODE_KEEP"))) {
      check(run(List.of("down"), 300), "down");
    }
  }

  /** A free TCP port on this machine. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(Result result, String what) {
    if (result.exitCode != 0) {
      throw new IllegalStateException(
          "hack/local-cluster.sh "
              + what
              + " failed (exit "
              + result.exitCode
              + "):\n"
              + result.output);
    }
  }

  private record Result(int exitCode, String stdout, String output) {}

  private static Result run(List<String> args, int timeoutSeconds) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(args);
    Command.Result result = Command.run(command, java.time.Duration.ofSeconds(timeoutSeconds));
    return new Result(result.exitCode(), result.stdout(), result.output());
  }
}
