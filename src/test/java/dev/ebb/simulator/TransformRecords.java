package dev.ebb.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * How batch transform cuts an input object into records (TransformInput.SplitType) and groups them
 * into mini-batches (BatchStrategy, MaxPayloadInMB). Sources in docs/simulator.md.
 *
 * <p>A record has its {@code payload} (what a SingleRecord request carries: the line without its
 * newline, the RecordIO or TFRecord data without framing or padding) and its {@code raw} bytes as
 * they stand in the object (newline, header, padding included): a MultiRecord mini-batch is the
 * records' raw bytes back to back, since SageMaker removes padding only for SingleRecord.
 */
final class TransformRecords {
  /** MXNet RecordIO's magic number (dmlc-core recordio.h), stored little-endian. */
  static final int RECORDIO_MAGIC = 0xced7230a;

  private static final int RECORDIO_LENGTH_MASK = (1 << 29) - 1;

  /** One record of an input object. */
  record Rec(byte[] payload, byte[] raw) {}

  /** An object that cannot be split, or a record too large: fails that object (and the job). */
  static final class Unusable extends RuntimeException {
    Unusable(String message) {
      super(message, null, false, false);
    }
  }

  private TransformRecords() {}

  /** The records of one (decompressed) object under {@code splitType} (null is None). */
  static List<Rec> split(String splitType, byte[] data) {
    return switch (splitType == null ? "None" : splitType) {
      case "None" -> List.of(new Rec(data, data));
      case "Line" -> lines(data);
      case "RecordIO" -> recordIo(data);
      case "TFRecord" -> tfRecords(data);
      default -> throw new Unusable("SplitType " + splitType + " is not supported");
    };
  }

  /**
   * Newline-separated records. A final line without a newline is a record; the empty tail after a
   * final newline is not.
   */
  static List<Rec> lines(byte[] data) {
    List<Rec> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n') {
        out.add(
            new Rec(Arrays.copyOfRange(data, start, i), Arrays.copyOfRange(data, start, i + 1)));
        start = i + 1;
      }
    }
    if (start < data.length) {
      byte[] last = Arrays.copyOfRange(data, start, data.length);
      out.add(new Rec(last, last));
    }
    return out;
  }

  /**
   * MXNet RecordIO: each frame is the magic number, a 32-bit word whose upper 3 bits are the
   * continuation flag and lower 29 bits the data length, the data, and zero padding to a multiple
   * of 4 bytes. A record split over several frames (flags 1, 2..., 3) is joined with the magic
   * number between its parts, as MXNet's reader does.
   */
  static List<Rec> recordIo(byte[] data) {
    List<Rec> out = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int recordStart = 0;
    ByteArrayOutputStream parts = null;
    while (in.position() < data.length) {
      int at = in.position();
      if (data.length - at < 8) {
        throw new Unusable("truncated RecordIO header at byte " + at);
      }
      if (in.getInt() != RECORDIO_MAGIC) {
        throw new Unusable("invalid RecordIO magic number at byte " + at);
      }
      int word = in.getInt();
      int flag = word >>> 29;
      int length = word & RECORDIO_LENGTH_MASK;
      int padded = (length + 3) & ~3;
      if (data.length - in.position() < padded) {
        throw new Unusable("truncated RecordIO record at byte " + at);
      }
      byte[] part = Arrays.copyOfRange(data, in.position(), in.position() + length);
      in.position(in.position() + padded);
      if (flag == 0 || flag == 1) {
        if (parts != null) {
          throw new Unusable("RecordIO record at byte " + at + " starts inside another record");
        }
        recordStart = at;
      }
      if (flag == 0) {
        out.add(new Rec(part, Arrays.copyOfRange(data, recordStart, in.position())));
        continue;
      }
      if (flag == 1) {
        parts = new ByteArrayOutputStream();
      } else if (parts == null) {
        throw new Unusable("RecordIO continuation at byte " + at + " without a first part");
      } else {
        parts.writeBytes(magicBytes());
      }
      parts.writeBytes(part);
      if (flag == 3) {
        out.add(new Rec(parts.toByteArray(), Arrays.copyOfRange(data, recordStart, in.position())));
        parts = null;
      }
    }
    if (parts != null) {
      throw new Unusable("RecordIO object ends inside a record");
    }
    return out;
  }

  /**
   * TFRecord: a little-endian uint64 length, the masked CRC-32C of those 8 bytes, the data, and the
   * masked CRC-32C of the data. Both checksums are verified.
   */
  static List<Rec> tfRecords(byte[] data) {
    List<Rec> out = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    while (in.position() < data.length) {
      int at = in.position();
      if (data.length - at < 12) {
        throw new Unusable("truncated TFRecord header at byte " + at);
      }
      long length = in.getLong();
      int lengthCrc = in.getInt();
      if (lengthCrc != maskedCrc32c(data, at, 8)) {
        throw new Unusable("corrupted TFRecord length at byte " + at);
      }
      if (length < 0 || length > data.length - in.position() - 4) {
        throw new Unusable("truncated TFRecord record at byte " + at);
      }
      int from = in.position();
      int to = from + (int) length;
      in.position(to);
      int dataCrc = in.getInt();
      if (dataCrc != maskedCrc32c(data, from, to - from)) {
        throw new Unusable("corrupted TFRecord data at byte " + at);
      }
      out.add(
          new Rec(Arrays.copyOfRange(data, from, to), Arrays.copyOfRange(data, at, in.position())));
    }
    return out;
  }

  /**
   * Mini-batches: SingleRecord one record each; MultiRecord as many consecutive records as fit in
   * {@code maxBytes} (0: no limit). A record larger than the limit is an error.
   */
  static List<List<Rec>> batches(List<Rec> records, boolean multiRecord, long maxBytes) {
    List<List<Rec>> out = new ArrayList<>();
    List<Rec> current = new ArrayList<>();
    long size = 0;
    for (Rec r : records) {
      long own = multiRecord ? r.raw().length : r.payload().length;
      if (maxBytes > 0 && own > maxBytes) {
        throw new Unusable(
            "a record of "
                + own
                + " bytes exceeds MaxPayloadInMB ("
                + maxBytes / (1024 * 1024)
                + " MB)");
      }
      if (!multiRecord) {
        out.add(List.of(r));
        continue;
      }
      if (!current.isEmpty() && maxBytes > 0 && size + own > maxBytes) {
        out.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(r);
      size += own;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** The request body of a mini-batch. */
  static byte[] body(List<Rec> batch, boolean multiRecord) {
    if (!multiRecord) {
      return batch.get(0).payload();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    batch.forEach(r -> out.writeBytes(r.raw()));
    return out.toByteArray();
  }

  // --- framing, for tests that build inputs ---

  /** Records framed as MXNet RecordIO (one frame each, flag 0, zero padding). */
  static byte[] recordIo(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(RECORDIO_MAGIC).putInt(r.length);
      out.writeBytes(header.array());
      out.writeBytes(r);
      out.writeBytes(new byte[((r.length + 3) & ~3) - r.length]);
    }
    return out.toByteArray();
  }

  /** Records framed as TFRecord. */
  static byte[] tfRecords(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      ByteBuffer b = ByteBuffer.allocate(16 + r.length).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(r.length);
      b.putInt(maskedCrc32c(b.array(), 0, 8));
      b.put(r);
      b.putInt(maskedCrc32c(r, 0, r.length));
      out.writeBytes(b.array());
    }
    return out.toByteArray();
  }

  /** TFRecord's checksum: CRC-32C, rotated right by 15 bits, plus 0xa282ead8. */
  static int maskedCrc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static byte[] magicBytes() {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(RECORDIO_MAGIC).array();
  }
}
