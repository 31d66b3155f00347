package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SplitType, BatchStrategy and MaxPayloadInMB, table by table ({@link TransformRecords}). */
class BatchTransformSplittingTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> payloads(List<TransformRecords.Rec> records) {
    return records.stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
  }

  private static List<String> raws(List<TransformRecords.Rec> records) {
    return records.stream().map(r -> new String(r.raw(), StandardCharsets.UTF_8)).toList();
  }

  static Stream<Arguments> lines() {
    return Stream.of(
        // input, payloads (SingleRecord bodies), raws (MultiRecord parts)
        Arguments.of("a,1\nb,2\n", List.of("a,1", "b,2"), List.of("a,1\n", "b,2\n")),
        Arguments.of("a,1\nb,2", List.of("a,1", "b,2"), List.of("a,1\n", "b,2")),
        Arguments.of("a\n\nb\n", List.of("a", "", "b"), List.of("a\n", "\n", "b\n")),
        Arguments.of("x\r\n", List.of("x\r"), List.of("x\r\n")),
        Arguments.of("", List.of(), List.of()));
  }

  @ParameterizedTest
  @MethodSource
  void lines(String input, List<String> payloads, List<String> raws) {
    List<TransformRecords.Rec> records = TransformRecords.split("Line", b(input));
    assertThat(payloads(records)).isEqualTo(payloads);
    assertThat(raws(records)).isEqualTo(raws);
  }

  @Test
  void noneIsTheWholeObject() {
    assertThat(payloads(TransformRecords.split("None", b("a\nb\n")))).containsExactly("a\nb\n");
    assertThat(payloads(TransformRecords.split(null, b("x")))).containsExactly("x");
  }

  @Test
  void recordIoFramesArePaddedToFourBytesAndSingleRecordsLoseHeaderAndPadding() {
    byte[] framed = TransformRecords.recordIo(List.of(b("abcde"), b("xy"), b("1234")));
    // 8 header + 5 data + 3 padding, 8 + 2 + 2, 8 + 4 + 0
    assertThat(framed).hasSize(16 + 12 + 12);
    assertThat(framed[0] & 0xff).isEqualTo(0x0a); // the magic, little-endian
    assertThat(framed[3] & 0xff).isEqualTo(0xce);

    List<TransformRecords.Rec> records = TransformRecords.split("RecordIO", framed);
    assertThat(payloads(records)).containsExactly("abcde", "xy", "1234");
    assertThat(records.get(0).raw()).hasSize(16);
    // A MultiRecord body is the frames as they stand, padding included.
    assertThat(TransformRecords.body(records, true)).isEqualTo(framed);
    assertThat(TransformRecords.body(List.of(records.get(1)), false)).isEqualTo(b("xy"));
  }

  @Test
  void recordIoRecordsSplitOverFramesAreJoinedWithTheMagicNumber() {
    ByteBuffer buf = ByteBuffer.allocate(8 + 4 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(TransformRecords.RECORDIO_MAGIC).putInt((1 << 29) | 2).put(b("ab")).put(new byte[2]);
    buf.putInt(TransformRecords.RECORDIO_MAGIC).putInt((3 << 29) | 2).put(b("cd")).put(new byte[2]);
    List<TransformRecords.Rec> records = TransformRecords.split("RecordIO", buf.array());
    assertThat(records).hasSize(1);
    assertThat(records.get(0).payload())
        .containsExactly('a', 'b', 0x0a, 0x23, (byte) 0xd7, (byte) 0xce, 'c', 'd');
    assertThat(records.get(0).raw()).isEqualTo(buf.array());
  }

  @Test
  void recordIoRefusesWhatIsNotRecordIo() {
    assertThatThrownBy(() -> TransformRecords.split("RecordIO", b("hello world!")))
        .isInstanceOf(TransformRecords.Unusable.class)
        .hasMessageContaining("magic");
    byte[] framed = TransformRecords.recordIo(List.of(b("abcde")));
    byte[] cut = java.util.Arrays.copyOf(framed, framed.length - 4);
    assertThatThrownBy(() -> TransformRecords.split("RecordIO", cut))
        .hasMessageContaining("truncated");
  }

  @Test
  void tfRecordsCarryMaskedCrc32cOfLengthAndData() {
    byte[] framed = TransformRecords.tfRecords(List.of(b("hello"), b("")));
    assertThat(framed).hasSize(8 + 4 + 5 + 4 + 8 + 4 + 0 + 4);
    // TensorFlow's masked CRC-32C of an empty string: crc32c("") = 0, masked = 0xa282ead8.
    assertThat(TransformRecords.maskedCrc32c(new byte[0], 0, 0)).isEqualTo(0xa282ead8);
    List<TransformRecords.Rec> records = TransformRecords.split("TFRecord", framed);
    assertThat(payloads(records)).containsExactly("hello", "");
    assertThat(TransformRecords.body(records, true)).isEqualTo(framed);

    framed[14] ^= 1; // a data byte of the first record
    assertThatThrownBy(() -> TransformRecords.split("TFRecord", framed))
        .isInstanceOf(TransformRecords.Unusable.class)
        .hasMessageContaining("corrupted TFRecord data");
  }

  static Stream<Arguments> batching() {
    List<TransformRecords.Rec> four = TransformRecords.split("Line", b("aaa\nbbb\nccc\nddd\n"));
    return Stream.of(
        // records, MultiRecord?, limit in bytes, the bodies sent
        Arguments.of(four, false, 100L, List.of("aaa", "bbb", "ccc", "ddd")),
        Arguments.of(four, true, 100L, List.of("aaa\nbbb\nccc\nddd\n")),
        Arguments.of(four, true, 8L, List.of("aaa\nbbb\n", "ccc\nddd\n")),
        Arguments.of(four, true, 11L, List.of("aaa\nbbb\n", "ccc\nddd\n")),
        Arguments.of(four, true, 12L, List.of("aaa\nbbb\nccc\n", "ddd\n")),
        Arguments.of(four, true, 0L, List.of("aaa\nbbb\nccc\nddd\n")));
  }

  @ParameterizedTest
  @MethodSource
  void batching(
      List<TransformRecords.Rec> records, boolean multi, long limit, List<String> bodies) {
    List<String> sent =
        TransformRecords.batches(records, multi, limit).stream()
            .map(batch -> new String(TransformRecords.body(batch, multi), StandardCharsets.UTF_8))
            .toList();
    assertThat(sent).isEqualTo(bodies);
  }

  @Test
  void aRecordLargerThanMaxPayloadIsRefused() {
    List<TransformRecords.Rec> records = TransformRecords.split("Line", b("short\nmuch longer\n"));
    assertThatThrownBy(() -> TransformRecords.batches(records, true, 8))
        .isInstanceOf(TransformRecords.Unusable.class)
        .hasMessageContaining("a record of 12 bytes exceeds MaxPayloadInMB");
    // SingleRecord measures the record without its newline: 11 bytes fit in 11.
    assertThat(TransformRecords.batches(records, false, 11)).hasSize(2);
  }
}
