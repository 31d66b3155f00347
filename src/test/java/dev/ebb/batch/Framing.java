package dev.ebb.batch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test data in RecordIO and TFRecord framing, written as MXNet and TensorFlow write it. */
final class Framing {
  private Framing() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** One RecordIO part: magic, flag and length, data, zero padding to 4 bytes. */
  static byte[] recordIoPart(int flag, byte[] data) {
    int padded = (data.length + 3) & ~3;
    ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xced7230a);
    b.putInt((flag << 29) | data.length);
    b.put(data);
    return b.array();
  }

  static byte[] recordIo(String data) {
    return recordIoPart(0, utf8(data));
  }

  static byte[] tfRecord(String data) {
    byte[] d = utf8(data);
    ByteBuffer b = ByteBuffer.allocate(16 + d.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(d.length);
    byte[] len = new byte[8];
    ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).putLong(d.length);
    b.putInt(RecordSplitter.maskedCrc32c(len, 0, 8));
    b.put(d);
    b.putInt(RecordSplitter.maskedCrc32c(d, 0, d.length));
    return b.array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
