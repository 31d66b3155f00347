package dev.ebb.gateway.dispatch;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS's event-stream framing (application/vnd.amazon.eventstream), as
 * InvokeEndpointWithResponseStream answers: each message is a prelude (total length, headers
 * length, CRC), string headers, the payload and a CRC of the whole message. The SDKs decode it into
 * PayloadPart events.
 */
final class EventStream {
  static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
  private static final byte STRING = 7;

  private EventStream() {}

  /** One PayloadPart event carrying {@code bytes} as the model produced them. */
  static Buffer payloadPart(Buffer bytes) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", "PayloadPart");
    headers.put(":content-type", "application/octet-stream");
    headers.put(":message-type", "event");
    return message(headers, bytes);
  }

  /** A modelled error in the stream (the model failed after the answer began). */
  static Buffer modelStreamError(String message) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", "ModelStreamError");
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    String json = "{\"Message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    return message(headers, Buffer.buffer(json));
  }

  static Buffer message(Map<String, String> headers, Buffer payload) {
    Buffer encodedHeaders = Buffer.buffer();
    headers.forEach(
        (name, value) -> {
          byte[] n = name.getBytes(StandardCharsets.UTF_8);
          byte[] v = value.getBytes(StandardCharsets.UTF_8);
          encodedHeaders
              .appendByte((byte) n.length)
              .appendBytes(n)
              .appendByte(STRING)
              .appendShort((short) v.length)
              .appendBytes(v);
        });
    int total = 12 + encodedHeaders.length() + payload.length() + 4;
    Buffer message = Buffer.buffer(total);
    message.appendInt(total).appendInt(encodedHeaders.length());
    message.appendUnsignedInt(crc(message.getBytes(0, 8)));
    message.appendBuffer(encodedHeaders).appendBuffer(payload);
    message.appendUnsignedInt(crc(message.getBytes()));
    return message;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }
}
