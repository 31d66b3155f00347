package dev.ebb.batch;

import static dev.ebb.batch.Framing.concat;
import static dev.ebb.batch.Framing.recordIo;
import static dev.ebb.batch.Framing.recordIoPart;
import static dev.ebb.batch.Framing.tfRecord;
import static dev.ebb.batch.Framing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordSplitterTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        // split type, object, records' content, records' framing
        Arguments.of("None", utf8("a\nb\n"), List.of("a\nb\n"), List.of("a\nb\n")),
        Arguments.of("None", utf8(""), List.of(""), List.of("")),
        Arguments.of("Line", utf8("a\nb\n"), List.of("a", "b"), List.of("a\n", "b\n")),
        Arguments.of("Line", utf8("a\nb"), List.of("a", "b"), List.of("a\n", "b")),
        Arguments.of(
            "Line", utf8("a\r\n\nb\n"), List.of("a", "", "b"), List.of("a\r\n", "\n", "b\n")),
        Arguments.of("Line", utf8(""), List.of(), List.of()),
        Arguments.of(
            "RecordIO",
            concat(recordIo("abcde"), recordIo("xy")),
            List.of("abcde", "xy"),
            List.of(
                new String(recordIo("abcde"), StandardCharsets.ISO_8859_1),
                new String(recordIo("xy"), StandardCharsets.ISO_8859_1))),
        Arguments.of(
            "TFRecord",
            concat(tfRecord("one"), tfRecord("three")),
            List.of("one", "three"),
            List.of(
                new String(tfRecord("one"), StandardCharsets.ISO_8859_1),
                new String(tfRecord("three"), StandardCharsets.ISO_8859_1))));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void splitsAsTheSplitTypeSays(
      String splitType, byte[] object, List<String> contents, List<String> framed)
      throws IOException {
    List<Record> records = all(splitType, object, 1 << 20);
    assertThat(records).extracting(Record::text).containsExactlyElementsOf(contents);
    assertThat(records)
        .extracting(r -> new String(r.framed(), StandardCharsets.ISO_8859_1))
        .containsExactlyElementsOf(
            splitType.equals("RecordIO") || splitType.equals("TFRecord")
                ? framed
                : framed.stream()
                    .map(s -> new String(utf8(s), StandardCharsets.ISO_8859_1))
                    .toList());
  }

  @Test
  void aRecordIoRecordInPartsIsRejoinedWithTheMagicNumberBetween() throws IOException {
    byte[] object =
        concat(recordIoPart(1, utf8("ab")), recordIoPart(2, utf8("c")), recordIoPart(3, utf8("d")));
    List<Record> records = all("RecordIO", object, 1 << 20);
    assertThat(records).hasSize(1);
    byte[] magic = {0x0a, 0x23, (byte) 0xd7, (byte) 0xce};
    assertThat(records.get(0).content())
        .isEqualTo(concat(utf8("ab"), magic, utf8("c"), magic, utf8("d")));
    assertThat(records.get(0).framed()).isEqualTo(object);
  }

  @Test
  void aTfRecordWithABadChecksumIsMalformed() {
    byte[] record = tfRecord("data");
    record[13] ^= 1;
    assertThatThrownBy(() -> all("TFRecord", record, 1 << 20))
        .isInstanceOf(RecordSplitter.Malformed.class)
        .hasMessageContaining("CRC32C");
  }

  @Test
  void truncatedAndForeignFramingIsMalformed() {
    assertThatThrownBy(() -> all("RecordIO", utf8("not recordio"), 1 << 20))
        .isInstanceOf(RecordSplitter.Malformed.class)
        .hasMessageContaining("magic");
    byte[] cut = tfRecord("data");
    assertThatThrownBy(() -> all("TFRecord", java.util.Arrays.copyOf(cut, cut.length - 2), 1 << 20))
        .isInstanceOf(RecordSplitter.Malformed.class);
  }

  @Test
  void aRecordOverTheLimitIsRefusedAsItIsRead() {
    assertThatThrownBy(() -> all("Line", utf8("short\n" + "x".repeat(20) + "\n"), 10))
        .isInstanceOf(RecordSplitter.RecordTooLarge.class);
    assertThatThrownBy(() -> all("None", utf8("x".repeat(11)), 10))
        .isInstanceOf(RecordSplitter.RecordTooLarge.class);
  }

  static List<Record> all(String splitType, byte[] object, long max) throws IOException {
    RecordSplitter splitter = RecordSplitter.of(splitType, new ByteArrayInputStream(object), max);
    List<Record> records = new ArrayList<>();
    for (Record r; (r = splitter.next()) != null; ) {
      records.add(r);
    }
    return records;
  }
}
