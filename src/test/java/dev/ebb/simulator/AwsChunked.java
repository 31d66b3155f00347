package dev.ebb.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aws-chunked content encoding the SDK uses to upload with a trailing checksum (and, over plain
 * HTTP, signed chunks): {@code <hex size>[;chunk-signature=...]\r\n<bytes>\r\n}... then a {@code 0}
 * chunk followed by trailer lines ({@code x-amz-checksum-crc32:...}) and an empty line. Since 2.30
 * the SDK does this for PutObject by default (requestChecksumCalculation WHEN_SUPPORTED).
 */
final class AwsChunked {
  record Decoded(byte[] body, Map<String, String> trailers) {}

  private AwsChunked() {}

  /** Whether the body is aws-chunked: said by Content-Encoding, or by a STREAMING- payload hash. */
  static boolean applies(S3Request in) {
    String encoding = in.header("Content-Encoding");
    String sha = in.header("x-amz-content-sha256");
    return (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"))
        || (sha != null && sha.startsWith("STREAMING-"));
  }

  static Decoded decode(byte[] raw) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Map<String, String> trailers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int at = 0;
    while (true) {
      int eol = lineEnd(raw, at);
      String header = new String(raw, at, eol - at, StandardCharsets.US_ASCII);
      at = eol + 2;
      int semicolon = header.indexOf(';');
      int size;
      try {
        size =
            Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).strip(), 16);
      } catch (NumberFormatException e) {
        throw incomplete("Bad aws-chunked chunk header: " + header);
      }
      if (size == 0) {
        break;
      }
      if (at + size + 2 > raw.length) {
        throw incomplete("An aws-chunked chunk is shorter than its declared " + size + " bytes.");
      }
      body.write(raw, at, size);
      at += size + 2; // the chunk's own CRLF
    }
    // Trailers, one "name:value" a line, until an empty line or the end of the body.
    while (at < raw.length) {
      int eol = lineEnd(raw, at);
      String line = new String(raw, at, eol - at, StandardCharsets.UTF_8);
      at = eol + 2;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    return new Decoded(body.toByteArray(), trailers);
  }

  private static int lineEnd(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    if (from >= raw.length) {
      throw incomplete("The aws-chunked body ended before its final chunk.");
    }
    return raw.length - (raw[raw.length - 1] == '\r' ? 1 : 0); // a last line without CRLF
  }

  private static AwsError incomplete(String message) {
    return AwsError.of(400, "IncompleteBody", message);
  }
}
