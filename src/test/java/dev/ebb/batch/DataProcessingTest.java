package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CsvRow, JoinSource, DataProcessor and OutputAssembler: the records' way out. */
class DataProcessingTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          a,b,c          | 3 | a,b,c
          ~"x,y",z~      | 2 | ~"x,y",z~
          ~"say ""hi""\",x~ | 2 | ~"say ""hi""\",x~
          ~1,2\\r~      | 2 | 1,2
          """)
  void csvRowsRoundTrip(String row, int fields, String back) {
    List<String> parsed = CsvRow.parse(row.replace("\\r", "\r"));
    assertThat(parsed).hasSize(fields);
    assertThat(CsvRow.format(parsed)).isEqualTo(back);
  }

  @ParameterizedTest(name = "{0} {1} joined with {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          CSV  | 1,2,3       | 1       | ["1","2","3","1"]
          JSON | {"key":1}   | {"label":1} | {"key":1,"SageMakerOutput":{"label":1}}
          JSON | [1,2]       | {"label":1} | {"SageMakerInput":[1,2],"SageMakerOutput":{"label":1}}
          JSON | {"SageMakerOutput":0} | 5 | {"SageMakerOutput":5}
          """)
  void joinsAsTheApiReferenceSays(String format, String input, String output, String joined)
      throws Exception {
    RecordFormat f = RecordFormat.valueOf(format);
    assertThat(JoinSource.join(f, f.read(input), f.read(output)))
        .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(joined));
  }

  @Test
  void withoutDataProcessingLineAddsOneNewlinePerResponse() {
    MiniBatches.MiniBatch batch =
        new MiniBatches.MiniBatch(0, List.of(Record.line("a"), Record.line("b")), bytes("a\nb\n"));
    assertThat(text(new OutputAssembler(true, null).assemble(batch, bytes("A\nB"))))
        .isEqualTo("A\nB\n");
    assertThat(text(new OutputAssembler(true, null).assemble(batch, bytes("A\nB\n"))))
        .as("a newline the model adds stays: SageMaker does not look inside the response")
        .isEqualTo("A\nB\n\n");
    assertThat(text(new OutputAssembler(false, null).assemble(batch, bytes("A\nB"))))
        .isEqualTo("A\nB");
  }

  @Test
  void csvJoinWithFiltersKeepsTheIdAndThePrediction() {
    BatchJob job =
        job("text/csv", "text/csv", new BatchJob.DataProcessing("$[1:]", "$[0,-1]", "Input"));
    assertThat(DataProcessor.problem(job)).isEmpty();
    DataProcessor p = DataProcessor.of(job);
    Record input = Record.line("id7,0.5,0.25");
    assertThat(p.inputFiltered(input).text()).isEqualTo("0.5,0.25");
    MiniBatches.MiniBatch batch =
        new MiniBatches.MiniBatch(0, List.of(input, Record.line("id8,1,2")), bytes(""));
    assertThat(text(new OutputAssembler(true, p).assemble(batch, bytes("0.9\n0.1\n"))))
        .isEqualTo("id7,0.9\nid8,0.1\n");
  }

  @Test
  void jsonLinesJoinAddsSageMakerOutput() {
    BatchJob job =
        job(
            "application/jsonlines",
            "application/jsonlines",
            new BatchJob.DataProcessing("$.features", null, "Input"));
    DataProcessor p = DataProcessor.of(job);
    Record input = Record.line("{\"id\":1,\"features\":[3,4]}");
    assertThat(p.inputFiltered(input).text()).isEqualTo("[3,4]");
    MiniBatches.MiniBatch batch = new MiniBatches.MiniBatch(0, List.of(input), bytes(""));
    assertThat(text(new OutputAssembler(true, p).assemble(batch, bytes("{\"score\":0.5}\n"))))
        .isEqualTo("{\"id\":1,\"features\":[3,4],\"SageMakerOutput\":{\"score\":0.5}}\n");
  }

  @Test
  void aResponseWithTheWrongNumberOfLinesFailsTheMiniBatch() {
    DataProcessor p =
        DataProcessor.of(
            job("text/csv", "text/csv", new BatchJob.DataProcessing(null, null, "Input")));
    MiniBatches.MiniBatch batch =
        new MiniBatches.MiniBatch(0, List.of(Record.line("1"), Record.line("2")), bytes(""));
    assertThatThrownBy(() -> new OutputAssembler(true, p).assemble(batch, bytes("only one\n")))
        .hasMessageContaining("1 lines for a mini-batch of 2 records");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          image/jpeg            | text/csv              | each one of
          text/csv              | application/json      | same format
          """)
  void dataProcessingNeedsCsvOrJsonOnBothSides(String contentType, String accept, String why) {
    assertThat(
            DataProcessor.problem(
                job(contentType, accept, new BatchJob.DataProcessing(null, null, "Input"))))
        .hasValueSatisfying(r -> assertThat(r).contains(why));
    assertThat(DataProcessor.problem(job(contentType, accept, null))).isEmpty();
  }

  static BatchJob job(String contentType, String accept, BatchJob.DataProcessing dp) {
    return new BatchJob(
        null,
        new BatchJob.Input("s3://in/x/", null, contentType, "Line", null),
        new BatchJob.Output("s3://out/y/", accept, "Line", null),
        null,
        null,
        null,
        dp,
        null,
        null,
        null,
        null);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
