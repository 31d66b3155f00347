package dev.ebb.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The bits of XML the Query and REST-XML protocols (CloudWatch, SNS, S3) answer with. */
final class Xml {
  static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

  /** S3's timestamps in XML bodies: ISO 8601 with milliseconds, in UTC. */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Xml() {}

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** {@code <name>text</name>}, escaped; nothing for a null text. */
  static void element(StringBuilder xml, String name, Object text) {
    if (text != null) {
      xml.append('<').append(name).append('>');
      xml.append(escape(String.valueOf(text)));
      xml.append("</").append(name).append('>');
    }
  }

  static String isoMillis(Instant instant) {
    return ISO_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /** HTTP date headers (Last-Modified): RFC 1123 in GMT. */
  static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }
}
