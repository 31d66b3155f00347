package dev.ebb.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.simulator.TransformDataProcessing.Format;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DataProcessing's JSONPath subset, joins and filters, with the examples of "Associate prediction
 * results with input records" and of the DataProcessing API reference.
 */
class TransformDataProcessingTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static Stream<Arguments> csvInputFilters() {
    return Stream.of(
        // A row is a JSON array; slices include both ends, as the guide documents.
        Arguments.of("$", "id1,a,b,c,d,e", "id1,a,b,c,d,e"),
        Arguments.of("$[1:]", "id1,a,b,c,d,e", "a,b,c,d,e"),
        Arguments.of("$[1:4]", "c0,c1,c2,c3,c4,c5,c6", "c1,c2,c3,c4"),
        Arguments.of("$[:5]", "c0,c1,c2,c3,c4,c5,c6", "c0,c1,c2,c3,c4,c5"),
        Arguments.of("$[2:]", "c0,c1,c2", "c2"),
        Arguments.of("$[1]", "c0,c1,c2", "c1"),
        Arguments.of("$[-1]", "c0,c1,c2", "c2"),
        Arguments.of("$[1,3,5]", "c0,c1,c2,c3,c4,c5", "c1,c3,c5"),
        Arguments.of("$[0,5:]", "c0,c1,c2,c3,c4,c5,c6", "c0,c5,c6"),
        Arguments.of("$[1:]", "1,\"a,b\",\"say \"\"hi\"\"\"", "\"a,b\",\"say \"\"hi\"\"\""));
  }

  @ParameterizedTest
  @MethodSource
  void csvInputFilters(String path, String row, String passed) {
    TransformDataProcessing dp = new TransformDataProcessing(path, null, null);
    assertThat(s(dp.filterInput(b(row), Format.CSV))).isEqualTo(passed);
  }

  static Stream<Arguments> jsonPaths() {
    String doc = "{\"id\":7,\"features\":[1,2,3],\"meta\":{\"a\":1,\"b\":2}}";
    return Stream.of(
        Arguments.of("$.features", doc, "[1,2,3]"),
        Arguments.of("$['id']", doc, "7"),
        Arguments.of("$['id','features']", doc, "{\"id\":7,\"features\":[1,2,3]}"),
        Arguments.of("$.meta.*", doc, "[1,2]"),
        Arguments.of("$.meta.['a','b']", doc, "{\"a\":1,\"b\":2}"),
        Arguments.of("$.features[1:]", doc, "[2,3]"),
        Arguments.of("$.features[0]", doc, "1"),
        Arguments.of("$", "[1.10,2]", "[1.10,2]"));
  }

  @ParameterizedTest
  @MethodSource
  void jsonPaths(String path, String record, String selected) {
    TransformDataProcessing dp = new TransformDataProcessing(path, null, null);
    assertThat(s(dp.filterInput(b(record), Format.JSON))).isEqualTo(selected);
  }

  @Test
  void joinsCsvByAppendingTheResultToTheInputRow() {
    // "if the record is [1,2,3], and the label result is [1], then the output file would contain
    // [1,2,3,1]"
    TransformDataProcessing dp = new TransformDataProcessing(null, null, "Input");
    assertThat(s(dp.output(b("1,2,3"), Format.CSV, b("1\n"), Format.CSV))).isEqualTo("1,2,3,1");
  }

  @Test
  void joinsAJsonObjectUnderSageMakerOutput() {
    // "if the input is a JSON file that contains the key-value pair {"key":1}, the data transform
    // result might be {"label":1}" -> {"key":1, "SageMakerOutput":{"label":1}}
    TransformDataProcessing dp = new TransformDataProcessing(null, null, "Input");
    assertThat(s(dp.output(b("{\"key\":1}"), Format.JSON, b("{\"label\":1}"), Format.JSON)))
        .isEqualTo("{\"key\":1,\"SageMakerOutput\":{\"label\":1}}");
    // Not a key-value object: the input goes under SageMakerInput.
    assertThat(s(dp.output(b("[1,2]"), Format.JSON, b("0.5"), Format.JSON)))
        .isEqualTo("{\"SageMakerInput\":[1,2],\"SageMakerOutput\":0.5}");
  }

  @Test
  void theGuidesIdExamples() {
    // CSV: input_filter="$[1:]", join_source="Input", output_filter="$"... with an ID column kept
    // by selecting it from the joined row.
    TransformDataProcessing csv = new TransformDataProcessing("$[1:]", "$[0,-1]", "Input");
    byte[] row = b("id9,0.1,0.2,0.3,0.4");
    assertThat(s(csv.filterInput(row, Format.CSV))).isEqualTo("0.1,0.2,0.3,0.4");
    assertThat(s(csv.output(row, Format.CSV, b("0.87"), Format.CSV))).isEqualTo("id9,0.87");

    // JSON: input_filter="$.features", join_source="Input",
    // output_filter="$['id','SageMakerOutput']"
    TransformDataProcessing json =
        new TransformDataProcessing("$.features", "$['id','SageMakerOutput']", "Input");
    byte[] rec = b("{\"id\":\"r1\",\"features\":[1,2],\"extra\":true}");
    assertThat(s(json.filterInput(rec, Format.JSON))).isEqualTo("[1,2]");
    assertThat(s(json.output(rec, Format.JSON, b("[0.3]"), Format.JSON)))
        .isEqualTo("{\"id\":\"r1\",\"SageMakerOutput\":[0.3]}");
  }

  @Test
  void anOutputFilterWithoutAJoinSelectsFromTheResult() {
    TransformDataProcessing dp = new TransformDataProcessing(null, "$.label", null);
    assertThat(s(dp.output(b("x"), Format.JSON, b("{\"label\":3,\"p\":0.9}"), Format.JSON)))
        .isEqualTo("3");
  }

  @Test
  void indexesOutsideTheRecordAreAnError() {
    // "If you specify indexes that aren't within the dimension size of the joined dataset, you get
    // an error."
    TransformDataProcessing dp = new TransformDataProcessing(null, "$[5]", "Input");
    assertThatThrownBy(() -> dp.output(b("1,2"), Format.CSV, b("3"), Format.CSV))
        .isInstanceOf(TransformDataProcessing.Invalid.class)
        .hasMessageContaining("outside");
  }

  @Test
  void unsupportedExpressionsAreRefused() {
    assertThatThrownBy(() -> TransformDataProcessing.select("$..id", SimFixture.json("{}")))
        .isInstanceOf(TransformDataProcessing.Invalid.class);
    assertThatThrownBy(
            () ->
                TransformDataProcessing.select(
                    "$.field1.['child1','child2.grandchild']", SimFixture.json("{\"field1\": {}}")))
        .hasMessageContaining("nests children");
    assertThatThrownBy(() -> TransformDataProcessing.select("id", SimFixture.json("{}")))
        .hasMessageContaining("does not start with $");
  }

  @Test
  void rootFiltersAndNoJoinAreInactive() {
    assertThat(new TransformDataProcessing("$", "$", "None").active()).isFalse();
    assertThat(new TransformDataProcessing(null, null, null).active()).isFalse();
    assertThat(Format.of("text/csv; charset=utf-8")).isEqualTo(Format.CSV);
    assertThat(Format.of("application/jsonlines")).isEqualTo(Format.JSON);
    assertThat(Format.of("application/x-image")).isNull();
  }
}
