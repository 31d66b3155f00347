package dev.ebb.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sagemaker.S3Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The input objects of a transform, as TransformS3DataSource defines them, and this worker's share
 * of them.
 *
 * <ul>
 *   <li>S3Prefix: "all objects with the specified key name prefix", sorted by key; "directory"
 *       markers (keys ending in {@code /}) are not data and are left out. The relative path of an
 *       object is its key after the prefix's last {@code /} (a prefix such as {@code in/part}
 *       matches {@code in/part-1.csv}, whose relative path is {@code part-1.csv}).
 *   <li>ManifestFile: a JSON array whose first element is {@code {"prefix": "s3://bucket/p/"}} and
 *       whose other elements are keys relative to it, in the manifest's order.
 * </ul>
 *
 * <p>Several instances: "Batch Transform partitions the Amazon S3 objects in the input by key and
 * maps Amazon S3 objects to instances" (developer guide, Use batch transform); the mapping is not
 * documented. Ebb's is deterministic: the objects in the order above, object {@code i} to worker
 * {@code i mod count}.
 */
public final class InputObjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InputObjects() {}

  /** The objects under {@code prefix} from {@code keys} (a listing of it). */
  public static List<InputObject> fromListing(S3Location prefix, List<String> keys) {
    String base = prefix.key().substring(0, prefix.key().lastIndexOf('/') + 1);
    List<InputObject> objects = new ArrayList<>();
    keys.stream()
        .filter(k -> k.startsWith(prefix.key()) && !k.endsWith("/"))
        .sorted()
        .forEach(k -> objects.add(new InputObject(prefix.bucket(), k, k.substring(base.length()))));
    return objects;
  }

  /** The objects a manifest file lists; throws {@link IllegalArgumentException} if malformed. */
  public static List<InputObject> fromManifest(byte[] manifest) {
    JsonNode root;
    try {
      root = JSON.readTree(manifest);
    } catch (IOException e) {
      throw new IllegalArgumentException("the manifest is not JSON: " + e.getMessage());
    }
    if (root == null
        || !root.isArray()
        || root.isEmpty()
        || !root.get(0).isObject()
        || !root.get(0).path("prefix").isTextual()) {
      throw new IllegalArgumentException(
          "the manifest must be a JSON array starting with {\"prefix\": \"s3://bucket/prefix/\"}");
    }
    S3Location prefix = S3Location.parse(root.get(0).get("prefix").asText());
    List<InputObject> objects = new ArrayList<>();
    for (int i = 1; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      if (!entry.isTextual() || entry.asText().isEmpty()) {
        throw new IllegalArgumentException(
            "manifest entry " + i + " is not a relative key: " + entry);
      }
      String relative = entry.asText();
      objects.add(new InputObject(prefix.bucket(), prefix.key() + relative, relative));
    }
    return objects;
  }

  /** Worker {@code shard.index()}'s objects: every {@code shard.count()}-th from its index. */
  public static List<InputObject> share(List<InputObject> objects, BatchJob.Shard shard) {
    List<InputObject> mine = new ArrayList<>();
    for (int i = shard.index(); i < objects.size(); i += shard.count()) {
      mine.add(objects.get(i));
    }
    return mine;
  }
}
