package dev.ebb.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS's event-stream framing (application/vnd.amazon.eventstream), as
 * InvokeEndpointWithResponseStream answers: each message is a prelude (total length, headers
 * length, CRC of those 8 bytes), string headers, the payload, and a CRC of everything before it. A
 * PayloadPart's payload is the model's bytes as they are (the member is the event's payload, not
 * JSON). Copied from the gateway's encoder rather than shared, so the simulator stays independent
 * of the code it tests.
 */
final class EventStreamFrames {
  static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
  private static final byte STRING = 7;

  private EventStreamFrames() {}

  /** One PayloadPart event carrying {@code bytes}. */
  static byte[] payloadPart(byte[] bytes) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", "PayloadPart");
    headers.put(":content-type", "application/octet-stream");
    headers.put(":message-type", "event");
    return message(headers, bytes);
  }

  static byte[] message(Map<String, String> headers, byte[] payload) {
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    headers.forEach(
        (name, value) -> {
          byte[] n = name.getBytes(StandardCharsets.UTF_8);
          byte[] v = value.getBytes(StandardCharsets.UTF_8);
          encoded.write(n.length);
          encoded.writeBytes(n);
          encoded.write(STRING);
          encoded.write(v.length >> 8);
          encoded.write(v.length);
          encoded.writeBytes(v);
        });
    int total = 12 + encoded.size() + payload.length + 4;
    ByteBuffer message = ByteBuffer.allocate(total);
    message.putInt(total).putInt(encoded.size());
    message.putInt((int) crc(message.array(), 8));
    message.put(encoded.toByteArray()).put(payload);
    message.putInt((int) crc(message.array(), total - 4));
    return message.array();
  }

  private static long crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }
}
