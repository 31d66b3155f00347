package dev.ebb.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV row (RFC 4180, which batch transform asks CSV data to follow; no embedded line breaks:
 * "Batch Transform doesn't support CSV-formatted input that contains embedded newline characters").
 */
public final class CsvRow {
  private CsvRow() {}

  /** The row's fields; a trailing CR or LF is not part of the last field. */
  public static List<String> parse(String row) {
    String line = row;
    while (line.endsWith("\n") || line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted field in CSV row: " + line);
    }
    fields.add(field.toString());
    return fields;
  }

  /** The fields as one row, quoted where RFC 4180 needs it; no line break. */
  public static String format(List<String> fields) {
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        row.append(',');
      }
      String f = fields.get(i);
      if (f.indexOf(',') >= 0
          || f.indexOf('"') >= 0
          || f.indexOf('\n') >= 0
          || f.indexOf('\r') >= 0) {
        row.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        row.append(f);
      }
    }
    return row.toString();
  }
}
