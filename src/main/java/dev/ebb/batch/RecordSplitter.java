package dev.ebb.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Splits an input object into records by TransformInput.SplitType (API reference, TransformInput):
 * {@code None} (the object is one record), {@code Line} (newline-separated), {@code RecordIO}
 * (MXNet/Amazon RecordIO framing) and {@code TFRecord} (TensorFlow's framing, its masked CRC32C
 * checked). Reads lazily: {@link #next()} returns null at the end.
 *
 * <p>A record larger than {@code maxRecordBytes} throws {@link RecordTooLarge} as soon as it is
 * seen (SageMaker: "The value in MaxPayloadInMB must be greater than, or equal to, the size of a
 * single record"; "Exceeding the MaxPayloadInMB limit causes an error"), without reading the rest
 * of it into memory. Malformed framing throws {@link Malformed}.
 */
public abstract class RecordSplitter implements RecordSource {
  protected final InputStream in;
  protected final long maxRecordBytes;

  private RecordSplitter(InputStream in, long maxRecordBytes) {
    this.in = in;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** A splitter for {@code splitType} (None, Line, RecordIO, TFRecord) over {@code in}. */
  public static RecordSplitter of(String splitType, InputStream in, long maxRecordBytes) {
    return switch (splitType) {
      case "None" -> new Whole(in, maxRecordBytes);
      case "Line" -> new Lines(in, maxRecordBytes);
      case "RecordIO" -> new RecordIo(in, maxRecordBytes);
      case "TFRecord" -> new TfRecord(in, maxRecordBytes);
      default -> throw new IllegalArgumentException("unknown SplitType " + splitType);
    };
  }

  /** The next record, or null after the last. */
  public abstract Record next() throws IOException;

  protected void checkSize(long size) throws RecordTooLarge {
    if (size > maxRecordBytes) {
      throw new RecordTooLarge(size, maxRecordBytes);
    }
  }

  private static final class Whole extends RecordSplitter {
    private boolean done;

    Whole(InputStream in, long max) {
      super(in, max);
    }

    @Override
    public Record next() throws IOException {
      if (done) {
        return null;
      }
      done = true;
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        all.write(buffer, 0, n);
        checkSize(all.size());
      }
      return Record.whole(all.toByteArray());
    }
  }

  private static final class Lines extends RecordSplitter {
    Lines(InputStream in, long max) {
      super(in, max);
    }

    @Override
    public Record next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        line.write(b);
        checkSize(line.size());
        if (b == '\n') {
          break;
        }
      }
      if (line.size() == 0) {
        return null;
      }
      byte[] framed = line.toByteArray();
      int end = framed.length;
      if (end > 0 && framed[end - 1] == '\n') {
        end--;
        if (end > 0 && framed[end - 1] == '\r') {
          end--;
        }
      }
      byte[] content = new byte[end];
      System.arraycopy(framed, 0, content, 0, end);
      return new Record(framed, content);
    }
  }

  /**
   * MXNet's RecordIO (dmlc-core recordio): each part is a little-endian uint32 magic {@code
   * 0xced7230a}, a uint32 whose upper 3 bits are a continuation flag (0 whole, 1 first, 2 middle, 3
   * last) and lower 29 bits the length, the data, and zero padding to a 4-byte boundary. A record
   * split into parts (its data held the magic) is rejoined with the magic between parts.
   */
  private static final class RecordIo extends RecordSplitter {
    static final int MAGIC = 0xced7230a;

    RecordIo(InputStream in, long max) {
      super(in, max);
    }

    @Override
    public Record next() throws IOException {
      ByteArrayOutputStream framed = new ByteArrayOutputStream();
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      boolean first = true;
      while (true) {
        byte[] header = in.readNBytes(8);
        if (header.length == 0 && first) {
          return null;
        }
        if (header.length < 8) {
          throw new Malformed("RecordIO: truncated header");
        }
        if (le32(header, 0) != MAGIC) {
          throw new Malformed("RecordIO: bad magic number");
        }
        int lrecord = le32(header, 4);
        int flag = lrecord >>> 29;
        int length = lrecord & ((1 << 29) - 1);
        int padded = (length + 3) & ~3;
        checkSize((long) framed.size() + 8 + padded);
        byte[] body = in.readNBytes(padded);
        if (body.length < padded) {
          throw new Malformed("RecordIO: truncated record");
        }
        framed.write(header);
        framed.write(body);
        if (!first) {
          // The writer split the data at an occurrence of the magic number and dropped it.
          content.write(new byte[] {0x0a, 0x23, (byte) 0xd7, (byte) 0xce});
        }
        content.write(body, 0, length);
        if (first && flag == 0) {
          break;
        }
        if (first && flag != 1) {
          throw new Malformed("RecordIO: a record starts with continuation flag " + flag);
        }
        if (!first && flag == 3) {
          break;
        }
        if (!first && flag != 2) {
          throw new Malformed("RecordIO: continuation flag " + flag + " inside a record");
        }
        first = false;
      }
      return new Record(framed.toByteArray(), content.toByteArray());
    }

    private static int le32(byte[] b, int at) {
      return (b[at] & 0xff)
          | (b[at + 1] & 0xff) << 8
          | (b[at + 2] & 0xff) << 16
          | (b[at + 3] & 0xff) << 24;
    }
  }

  /**
   * TensorFlow's TFRecord: a little-endian uint64 length, the masked CRC32C of those 8 bytes
   * (uint32), the data, the masked CRC32C of the data. Both checksums are checked.
   */
  private static final class TfRecord extends RecordSplitter {
    TfRecord(InputStream in, long max) {
      super(in, max);
    }

    @Override
    public Record next() throws IOException {
      byte[] header = in.readNBytes(12);
      if (header.length == 0) {
        return null;
      }
      if (header.length < 12) {
        throw new Malformed("TFRecord: truncated length");
      }
      long length = 0;
      for (int i = 7; i >= 0; i--) {
        length = (length << 8) | (header[i] & 0xff);
      }
      if (maskedCrc32c(header, 0, 8) != le32(header, 8)) {
        throw new Malformed("TFRecord: the length's CRC32C does not match");
      }
      if (length < 0) {
        throw new Malformed("TFRecord: negative length");
      }
      checkSize(length + 16);
      byte[] data = in.readNBytes((int) length);
      byte[] footer = in.readNBytes(4);
      if (data.length < length || footer.length < 4) {
        throw new Malformed("TFRecord: truncated record");
      }
      if (maskedCrc32c(data, 0, data.length) != le32(footer, 0)) {
        throw new Malformed("TFRecord: the data's CRC32C does not match");
      }
      byte[] framed = new byte[12 + data.length + 4];
      System.arraycopy(header, 0, framed, 0, 12);
      System.arraycopy(data, 0, framed, 12, data.length);
      System.arraycopy(footer, 0, framed, 12 + data.length, 4);
      return new Record(framed, data);
    }

    private static int le32(byte[] b, int at) {
      return (b[at] & 0xff)
          | (b[at + 1] & 0xff) << 8
          | (b[at + 2] & 0xff) << 16
          | (b[at + 3] & 0xff) << 24;
    }
  }

  /** TensorFlow's masked CRC32C: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}. */
  public static int maskedCrc32c(byte[] bytes, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  /** A record over the payload limit. */
  public static final class RecordTooLarge extends IOException {
    public RecordTooLarge(long size, long limit) {
      super(
          "a record of at least "
              + size
              + " bytes is larger than MaxPayloadInMB ("
              + limit
              + " bytes)");
    }
  }

  /** The object is not in the split type's framing. */
  public static final class Malformed extends IOException {
    public Malformed(String message) {
      super(message);
    }
  }
}
