package dev.ebb.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * S3's state: buckets and their objects. Bucket names are global across regions, as in S3, so this
 * store is not regional; each bucket remembers the region it was created in. Guarded by the
 * simulator's lock.
 */
final class S3Store {
  /** An object as S3 keeps it: its bytes and the metadata GetObject and HeadObject answer. */
  record StoredObject(
      byte[] bytes,
      String contentType,
      String contentEncoding,
      String etag,
      Instant lastModified,
      Map<String, String> metadata,
      String checksumAlgorithm,
      String checksum) {}

  static final class StoredBucket {
    final String name;
    final String region;
    final Instant creationTime;

    /** Sorted by key, as ListObjectsV2 lists them (String order: S3's UTF-8 order for BMP keys). */
    final NavigableMap<String, StoredObject> objects = new TreeMap<>();

    StoredBucket(String name, String region, Instant creationTime) {
      this.name = name;
      this.region = region;
      this.creationTime = creationTime;
    }
  }

  private final Map<String, StoredBucket> buckets = new LinkedHashMap<>();

  StoredBucket bucket(String name) {
    return name == null ? null : buckets.get(name);
  }

  /** The bucket, or S3's NoSuchBucket answer. */
  StoredBucket require(String name) {
    StoredBucket bucket = bucket(name);
    if (bucket == null) {
      throw AwsError.of(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    return bucket;
  }

  StoredBucket create(String name, String region, Instant now) {
    StoredBucket bucket = new StoredBucket(name, region, now);
    buckets.put(name, bucket);
    return bucket;
  }

  void delete(String name) {
    buckets.remove(name);
  }

  void clear() {
    buckets.clear();
  }
}
