package dev.ebb.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.x spoken by hand over a socket, for tests that must send what no HTTP client would (odd
 * bytes in headers, broken framing, requests that never end) and read whatever comes back. Bytes
 * in, bytes out: nothing is validated or normalised on the way.
 */
public final class RawHttp {
  private RawHttp() {}

  /** The most response head this reader accepts: more is the server's bug. */
  private static final int MAX_HEAD = 256 * 1024;

  /** One response as it came over the wire; header names lower-cased. */
  public record Response(
      String version, int status, Map<String, List<String>> headers, byte[] body) {
    public Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the server said it closes the connection after this response. */
    public boolean closes() {
      return header("connection").map(v -> v.equalsIgnoreCase("close")).orElse(false)
          || version.equals("HTTP/1.0")
              && !header("connection").map(v -> v.equalsIgnoreCase("keep-alive")).orElse(false);
    }

    @Override
    public String toString() {
      String text = text();
      return status
          + " "
          + headers
          + " "
          + (text.length() > 300
              ? text.substring(0, 300) + "...(" + body.length + " bytes)"
              : text);
    }
  }

  /** What became of a request: a response, or the connection closed or reset without one. */
  public sealed interface Outcome {}

  public record Answered(Response response) implements Outcome {}

  /** The server closed the connection (EOF) before any byte of a response. */
  public record Closed() implements Outcome {}

  /** The connection was reset (RST) before a whole response arrived. */
  public record Reset(String message) implements Outcome {}

  /** No response within the read timeout: the server hangs. */
  public record Hung() implements Outcome {}

  /** A socket to {@code localhost:port}, reads bounded by {@code readTimeout}. */
  public static Socket connect(int port, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("localhost", port), 5_000);
    socket.setSoTimeout((int) readTimeout.toMillis());
    socket.setTcpNoDelay(true);
    return socket;
  }

  /**
   * Sends {@code request} on a new connection and reads one response. The request is written on
   * {@code writer} when it is large, so a server that answers before reading it all (413) is still
   * heard; a failed write is ignored, the read says what happened.
   */
  public static Outcome exchange(
      int port,
      byte[] request,
      boolean head,
      Duration readTimeout,
      java.util.concurrent.Executor writer) {
    try (Socket socket = connect(port, readTimeout)) {
      OutputStream out = socket.getOutputStream();
      if (request.length <= 64 * 1024) {
        out.write(request);
        out.flush();
      } else {
        writer.execute(
            () -> {
              try {
                out.write(request);
                out.flush();
              } catch (IOException ignored) {
                // the server answered and closed: the response tells
              }
            });
      }
      return read(socket.getInputStream(), head);
    } catch (IOException e) {
      return new Reset(String.valueOf(e));
    }
  }

  /** Reads one response (skipping 100 Continue); {@code head}: the request was a HEAD. */
  public static Outcome read(InputStream in, boolean head) {
    try {
      while (true) {
        Response r = readOne(in, head);
        if (r == null) {
          return new Closed();
        }
        if (r.status() != 100) {
          return new Answered(r);
        }
      }
    } catch (SocketTimeoutException e) {
      return new Hung();
    } catch (IOException e) {
      return new Reset(String.valueOf(e));
    }
  }

  /** One response, or null at EOF before its first byte. */
  private static Response readOne(InputStream in, boolean head) throws IOException {
    String statusLine = line(in, true);
    if (statusLine == null) {
      return null;
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int headBytes = statusLine.length();
    while (true) {
      String line = line(in, false);
      if (line.isEmpty()) {
        break;
      }
      headBytes += line.length();
      if (headBytes > MAX_HEAD) {
        throw new IOException("response head over " + MAX_HEAD + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("not a header line: " + line);
      }
      headers
          .computeIfAbsent(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    byte[] body;
    List<String> length = headers.get("content-length");
    List<String> encoding = headers.get("transfer-encoding");
    if (head || status / 100 == 1 || status == 204 || status == 304) {
      body = new byte[0];
    } else if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
      body = chunked(in);
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.get(0)));
      if (body.length < Integer.parseInt(length.get(0))) {
        throw new EOFException("body cut short");
      }
    } else {
      body = in.readAllBytes();
    }
    return new Response(parts[0], status, headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in, false);
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        while (!line(in, false).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length < n) {
        throw new EOFException("chunk cut short");
      }
      body.write(chunk);
      line(in, false);
    }
  }

  /** A line without its CRLF (ISO-8859-1); null at EOF before its first byte if allowed. */
  private static String line(InputStream in, boolean eofAllowed) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofAllowed && line.length() == 0) {
          return null;
        }
        throw new EOFException("EOF within a line: " + line);
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() > MAX_HEAD) {
        throw new IOException("line over " + MAX_HEAD + " bytes");
      }
      line.append((char) b);
    }
  }
}
