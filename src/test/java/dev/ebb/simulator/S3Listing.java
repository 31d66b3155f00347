package dev.ebb.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * ListObjectsV2: keys in order under a prefix, optionally rolled up into common prefixes at a
 * delimiter, paged by max-keys with an opaque continuation token.
 */
final class S3Listing {
  private static final int MAX_KEYS = 1000;

  private S3Listing() {}

  static S3Reply listObjectsV2(S3Store.StoredBucket bucket, Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = blankToNull(query.get("delimiter"));
    String token = query.get("continuation-token");
    String startAfter = query.get("start-after");
    String after = token != null ? fromToken(token) : startAfter;
    int maxKeys = maxKeys(query.get("max-keys"));
    boolean urlEncoded = "url".equals(query.get("encoding-type"));

    List<String> keys = new ArrayList<>();
    TreeSet<String> prefixes = new TreeSet<>();
    String last = null;
    boolean truncated = false;
    var candidates = after == null ? bucket.objects : bucket.objects.tailMap(after, false);
    for (String key : candidates.keySet()) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      String common = commonPrefix(key, prefix, delimiter);
      String entry = common != null ? common : key;
      // A common prefix already listed (on this page or an earlier one) is not listed again.
      if ((after != null && entry.compareTo(after) <= 0) || prefixes.contains(entry)) {
        continue;
      }
      if (keys.size() + prefixes.size() == maxKeys) {
        truncated = true;
        break;
      }
      if (common != null) {
        prefixes.add(common);
      } else {
        keys.add(key);
      }
      last = entry;
    }

    StringBuilder xml = new StringBuilder(Xml.DECLARATION);
    xml.append("<ListBucketResult xmlns=\"").append(S3Protocol.XMLNS).append("\">");
    Xml.element(xml, "Name", bucket.name);
    Xml.element(xml, "Prefix", encode(prefix, urlEncoded));
    Xml.element(xml, "Delimiter", delimiter == null ? null : encode(delimiter, urlEncoded));
    Xml.element(xml, "MaxKeys", maxKeys);
    Xml.element(xml, "EncodingType", urlEncoded ? "url" : null);
    Xml.element(xml, "KeyCount", keys.size() + prefixes.size());
    Xml.element(xml, "IsTruncated", truncated);
    Xml.element(xml, "ContinuationToken", token);
    Xml.element(xml, "NextContinuationToken", truncated ? token(last) : null);
    Xml.element(xml, "StartAfter", startAfter == null ? null : encode(startAfter, urlEncoded));
    for (String key : keys) {
      S3Store.StoredObject object = bucket.objects.get(key);
      xml.append("<Contents>");
      Xml.element(xml, "Key", encode(key, urlEncoded));
      Xml.element(xml, "LastModified", Xml.isoMillis(object.lastModified()));
      Xml.element(xml, "ETag", object.etag());
      if (object.checksumAlgorithm() != null) {
        Xml.element(xml, "ChecksumAlgorithm", object.checksumAlgorithm().toUpperCase(Locale.ROOT));
      }
      Xml.element(xml, "Size", object.bytes().length);
      Xml.element(xml, "StorageClass", "STANDARD");
      xml.append("</Contents>");
    }
    for (String common : prefixes) {
      xml.append("<CommonPrefixes>");
      Xml.element(xml, "Prefix", encode(common, urlEncoded));
      xml.append("</CommonPrefixes>");
    }
    xml.append("</ListBucketResult>");
    return S3Reply.of(200)
        .header("Content-Type", "application/xml")
        .withBody(xml.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String commonPrefix(String key, String prefix, String delimiter) {
    if (delimiter == null) {
      return null;
    }
    int at = key.indexOf(delimiter, prefix.length());
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }

  private static int maxKeys(String text) {
    if (text == null) {
      return MAX_KEYS;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 0) {
        return Math.min(value, MAX_KEYS);
      }
    } catch (NumberFormatException e) {
      // answered below, as S3 does
    }
    throw AwsError.of(400, "InvalidArgument", "Provided max-keys not an integer or within range");
  }

  /** With encoding-type=url, S3 percent-encodes keys and prefixes (the SDK decodes them). */
  private static String encode(String text, boolean urlEncoded) {
    return urlEncoded ? URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20") : text;
  }

  private static String blankToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  /** An opaque continuation token: the last key or common prefix a page listed. */
  private static String token(String after) {
    return Base64.getUrlEncoder().encodeToString(after.getBytes(StandardCharsets.UTF_8));
  }

  private static String fromToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw AwsError.of(400, "InvalidArgument", "The continuation token provided is incorrect");
    }
  }
}
