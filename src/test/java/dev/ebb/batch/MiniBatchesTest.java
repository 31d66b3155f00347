package dev.ebb.batch;

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

class MiniBatchesTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        // lines in the object, multi record, max bytes, payloads
        Arguments.of("a\nbb\nccc\n", false, 100, List.of("a", "bb", "ccc")),
        Arguments.of("a\nbb\nccc\n", true, 100, List.of("a\nbb\nccc\n")),
        Arguments.of("a\nbb\nccc\n", true, 5, List.of("a\nbb\n", "ccc\n")),
        Arguments.of("a\nbb\nccc\n", true, 4, List.of("a\n", "bb\n", "ccc\n")),
        Arguments.of("aaaa\nb", true, 5, List.of("aaaa\n", "b")),
        Arguments.of("", true, 5, List.of()));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void groupsRecordsUnderThePayloadLimit(
      String object, boolean multi, int max, List<String> payloads) throws IOException {
    List<MiniBatches.MiniBatch> batches = all(object, multi, max);
    assertThat(batches)
        .extracting(b -> new String(b.payload(), StandardCharsets.UTF_8))
        .containsExactlyElementsOf(payloads);
    int next = 0;
    for (MiniBatches.MiniBatch b : batches) {
      assertThat(b.first()).isEqualTo(next);
      next += b.size();
    }
  }

  @Test
  void aRecordAloneOverTheLimitFails() {
    assertThatThrownBy(() -> all("a\nbbbbbb\n", true, 5))
        .isInstanceOf(RecordSplitter.RecordTooLarge.class);
    assertThatThrownBy(() -> all("a\nbbbbbbb\n", false, 6))
        .isInstanceOf(RecordSplitter.RecordTooLarge.class);
  }

  @Test
  void theRecordsBeforeAnOversizedOneAreSentFirst() throws IOException {
    MiniBatches batches =
        new MiniBatches(
            RecordSplitter.of(
                "Line",
                new ByteArrayInputStream("a\nb\n123456789\n".getBytes(StandardCharsets.UTF_8)),
                5),
            true,
            5,
            r -> r);
    assertThat(batches.next().size()).isEqualTo(2);
    assertThatThrownBy(batches::next).isInstanceOf(RecordSplitter.RecordTooLarge.class);
  }

  @Test
  void theFilterMakesWhatIsSentAndTheBatchKeepsWhatWasRead() throws IOException {
    MiniBatches batches =
        new MiniBatches(
            RecordSplitter.of(
                "Line",
                new ByteArrayInputStream("1,a\n2,b\n".getBytes(StandardCharsets.UTF_8)),
                100),
            true,
            100,
            r -> Record.line(r.text().substring(2)));
    MiniBatches.MiniBatch b = batches.next();
    assertThat(new String(b.payload(), StandardCharsets.UTF_8)).isEqualTo("a\nb\n");
    assertThat(b.records()).extracting(Record::text).containsExactly("1,a", "2,b");
  }

  static List<MiniBatches.MiniBatch> all(String object, boolean multi, long max)
      throws IOException {
    MiniBatches batches =
        new MiniBatches(
            RecordSplitter.of(
                "Line", new ByteArrayInputStream(object.getBytes(StandardCharsets.UTF_8)), max),
            multi,
            max,
            r -> r);
    List<MiniBatches.MiniBatch> out = new ArrayList<>();
    for (MiniBatches.MiniBatch b; (b = batches.next()) != null; ) {
      out.add(b);
    }
    return out;
  }
}
