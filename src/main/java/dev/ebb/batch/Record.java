package dev.ebb.batch;

import java.nio.charset.StandardCharsets;

/**
 * One record of an input object.
 *
 * @param framed the record as it lies in the object: a line with its line break, a RecordIO record
 *     with its header and padding, a TFRecord with its length and checksums
 * @param content the record's data alone (what SageMaker sends with SingleRecord: "padding is
 *     removed")
 */
public record Record(byte[] framed, byte[] content) {
  public static Record whole(byte[] bytes) {
    return new Record(bytes, bytes);
  }

  /** A line record: {@code text} followed by a newline. */
  public static Record line(String text) {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[content.length + 1];
    System.arraycopy(content, 0, framed, 0, content.length);
    framed[content.length] = '\n';
    return new Record(framed, content);
  }

  public String text() {
    return new String(content, StandardCharsets.UTF_8);
  }
}
