package dev.ebb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets that processes listen on, read from Linux's {@code /proc/net/tcp}, {@code tcp6}
 * and each process's {@code fd} links (what {@code ss -ltnp} shows), for tests that check what the
 * sandbox exposes.
 */
public final class ListeningSockets {
  private ListeningSockets() {}

  /** A listening socket: its address and port, and the process that holds it. */
  public record Listener(InetAddress address, int port, long pid, String command) {
    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port + " (pid " + pid + ", " + command + ")";
    }
  }

  /** Every listening TCP socket held by one of {@code pids}. */
  public static List<Listener> of(List<Long> pids) {
    Map<String, Socket> byInode = new HashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : lines(Path.of(table)).stream().skip(1).toList()) {
        String[] f = line.trim().split("\\s+");
        if (!f[3].equals("0A")) { // TCP_LISTEN
          continue;
        }
        String[] local = f[1].split(":");
        byInode.put(f[9], new Socket(address(local[0]), Integer.parseInt(local[1], 16)));
      }
    }
    List<Listener> found = new ArrayList<>();
    for (long pid : pids) {
      Path fds = Path.of("/proc", String.valueOf(pid), "fd");
      String command = command(pid);
      try (Stream<Path> links = Files.list(fds)) {
        for (Path fd : links.toList()) {
          String target;
          try {
            target = Files.readSymbolicLink(fd).toString();
          } catch (IOException gone) {
            continue;
          }
          if (target.startsWith("socket:[")) {
            String inode = target.substring(8, target.length() - 1);
            Socket socket = byInode.get(inode);
            if (socket != null) {
              found.add(new Listener(socket.address(), socket.port(), pid, command));
            }
          }
        }
      } catch (IOException processGone) {
        // exited meanwhile
      }
    }
    return found;
  }

  private record Socket(InetAddress address, int port) {}

  /** The kernel's hex address: IPv4 as one little-endian word, IPv6 as four. */
  private static InetAddress address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 4 + (3 - i);
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at * 2, at * 2 + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(new BigInteger(hex, 16).toString(), e);
    }
  }

  private static String command(long pid) {
    List<String> comm = lines(Path.of("/proc", String.valueOf(pid), "comm"));
    return comm.isEmpty() ? "?" : comm.get(0);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (java.nio.file.NoSuchFileException gone) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
