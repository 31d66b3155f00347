package dev.ebb.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an S3 operation answers: status, headers and body. A HEAD answer carries its would-be body
 * length in a Content-Length header instead of a body.
 */
record S3Reply(int status, Map<String, String> headers, byte[] body) {
  static S3Reply of(int status) {
    return new S3Reply(status, new LinkedHashMap<>(), new byte[0]);
  }

  S3Reply header(String name, String value) {
    if (value != null) {
      headers.put(name, value);
    }
    return this;
  }

  S3Reply withBody(byte[] bytes) {
    return new S3Reply(status, headers, bytes);
  }
}
