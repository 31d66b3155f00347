package dev.ebb.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DataProcessing for one job (developer guide, "Associate prediction results with input records"):
 * the InputFilter on each record before it is sent, then JoinSource and the OutputFilter on each
 * record's output. Used only when DataProcessing is not its default ({@code $}, None, {@code $}).
 *
 * <p>Each input record needs its own output: a mini-batch of one record takes the whole response
 * (less a trailing line break); a mini-batch of several takes one line of the response per record
 * (CSV and JSON Lines are line-delimited, and AWS asks for SplitType and AssembleWith {@code Line}
 * with them). A response whose line count differs fails the object.
 */
public final class DataProcessor {
  private final RecordFormat inputFormat;
  private final RecordFormat outputFormat;
  private final JsonPathFilter inputFilter;
  private final JsonPathFilter outputFilter;
  private final boolean join;
  private final boolean lineRecords;

  private DataProcessor(BatchJob job) {
    this.inputFormat = RecordFormat.of(job.input().contentType()).orElseThrow();
    this.outputFormat = RecordFormat.of(job.output().accept()).orElseThrow();
    this.inputFilter = JsonPathFilter.parse(job.inputFilter());
    this.outputFilter = JsonPathFilter.parse(job.outputFilter());
    this.join = job.joinInput();
    this.lineRecords = job.splitType().equals("Line");
  }

  /**
   * Why this job's DataProcessing cannot run, or empty: AWS requires both ContentType and Accept to
   * be CSV or JSON ("If you use an algorithm with the DataProcessing structure, it must support
   * your chosen format for both input and output files"), and the filters in its JSONPath subset.
   */
  public static Optional<String> problem(BatchJob job) {
    if (!job.processesData()) {
      return Optional.empty();
    }
    Optional<RecordFormat> in = RecordFormat.of(job.input().contentType());
    Optional<RecordFormat> out = RecordFormat.of(job.output().accept());
    if (in.isEmpty() || out.isEmpty()) {
      return Optional.of(
          "DataProcessing needs input.contentType and output.accept each one of text/csv,"
              + " application/json, application/jsonlines (got "
              + job.input().contentType()
              + " and "
              + job.output().accept()
              + ")");
    }
    if (in.get() != out.get()) {
      return Optional.of(
          "DataProcessing needs input.contentType and output.accept in the same format (got "
              + job.input().contentType()
              + " and "
              + job.output().accept()
              + ")");
    }
    if (job.splitType().equals("RecordIO") || job.splitType().equals("TFRecord")) {
      return Optional.of("DataProcessing works on CSV and JSON, not SplitType " + job.splitType());
    }
    try {
      JsonPathFilter.parse(job.inputFilter());
      JsonPathFilter.parse(job.outputFilter());
    } catch (IllegalArgumentException e) {
      return Optional.of("DataProcessing: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** For a job whose {@link #problem} is empty and that processes data. */
  public static DataProcessor of(BatchJob job) {
    return new DataProcessor(job);
  }

  /** The record as sent: the InputFilter applied (a line keeps its line break). */
  public Record inputFiltered(Record record) {
    if (inputFilter.whole()) {
      return record;
    }
    JsonNode selected = inputFilter.apply(inputFormat.read(record.text()));
    byte[] content = inputFormat.write(selected);
    if (!lineRecords) {
      return Record.whole(content);
    }
    return Record.line(new String(content, StandardCharsets.UTF_8));
  }

  /** Each record's share of the response, in order. */
  public List<String> outputs(MiniBatches.MiniBatch batch, byte[] response) {
    String text = new String(response, StandardCharsets.UTF_8);
    if (batch.size() == 1) {
      return List.of(stripLineBreak(text));
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.size() != batch.size()) {
      throw new IllegalArgumentException(
          "the model answered "
              + lines.size()
              + " lines for a mini-batch of "
              + batch.size()
              + " records: DataProcessing needs one output line per record");
    }
    return lines;
  }

  /** One record's line of the output file: joined with its input if asked, then filtered. */
  public byte[] output(Record input, String output) {
    JsonNode result = outputFormat.read(output);
    JsonNode joined =
        join ? JoinSource.join(inputFormat, inputFormat.read(input.text()), result) : result;
    return outputFormat.write(outputFilter.apply(joined));
  }

  private static String stripLineBreak(String s) {
    String t = s;
    while (t.endsWith("\n") || t.endsWith("\r")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
