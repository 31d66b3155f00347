package dev.ebb.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's S3, for tests: seed buckets and objects without a client, and read what the code
 * under test (or asynchronous inference) wrote. Every method first brings the simulator up to its
 * clock, so queued InvokeEndpointAsync work that can run has run. Not logged as calls.
 */
public final class SimulatedS3 {
  private final Dispatcher dispatcher;

  SimulatedS3(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** Creates a bucket (in us-east-1) if it does not exist yet. */
  public SimulatedS3 createBucket(String bucket) {
    return createBucket(WireProtocol.DEFAULT_REGION, bucket);
  }

  public SimulatedS3 createBucket(String region, String bucket) {
    dispatcher.inspect(
        r -> {
          if (r.s3.bucket(bucket) == null) {
            r.s3.create(bucket, region, dispatcher.now());
          }
          return null;
        });
    return this;
  }

  public boolean bucketExists(String bucket) {
    return dispatcher.inspect(r -> r.s3.bucket(bucket) != null);
  }

  /** Stores an object; the bucket must exist ({@link AwsError} NoSuchBucket otherwise). */
  public SimulatedS3 put(String bucket, String key, byte[] bytes, String contentType) {
    dispatcher.inspect(
        r -> {
          S3Store.StoredBucket b = r.s3.require(bucket);
          b.objects.put(
              key,
              new S3Store.StoredObject(
                  bytes.clone(),
                  contentType,
                  null,
                  S3Checksums.etag(bytes),
                  dispatcher.now(),
                  Map.of(),
                  null,
                  null));
          return null;
        });
    return this;
  }

  public SimulatedS3 put(String bucket, String key, byte[] bytes) {
    return put(bucket, key, bytes, "binary/octet-stream");
  }

  /** Stores UTF-8 text as text/plain. */
  public SimulatedS3 put(String bucket, String key, String text) {
    return put(bucket, key, text.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  /** Stores an object at an {@code s3://bucket/key} URI, such as an async InputLocation. */
  public SimulatedS3 put(String s3Uri, byte[] bytes) {
    S3Uri uri = uri(s3Uri);
    return put(uri.bucket(), uri.key(), bytes);
  }

  /** The object's bytes, or empty if the bucket or the key does not exist. */
  public Optional<byte[]> object(String bucket, String key) {
    return dispatcher.inspect(
        r -> {
          S3Store.StoredBucket b = r.s3.bucket(bucket);
          S3Store.StoredObject o = b == null ? null : b.objects.get(key);
          return Optional.ofNullable(o).map(found -> found.bytes().clone());
        });
  }

  /** The object at an {@code s3://bucket/key} URI, such as an async OutputLocation. */
  public Optional<byte[]> object(String s3Uri) {
    S3Uri uri = uri(s3Uri);
    return object(uri.bucket(), uri.key());
  }

  /** The object at an {@code s3://bucket/key} URI as UTF-8 text. */
  public Optional<String> text(String s3Uri) {
    return object(s3Uri).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /** The Content-Type an object was stored with. */
  public Optional<String> contentType(String bucket, String key) {
    return dispatcher.inspect(
        r -> {
          S3Store.StoredBucket b = r.s3.bucket(bucket);
          S3Store.StoredObject o = b == null ? null : b.objects.get(key);
          return Optional.ofNullable(o).map(S3Store.StoredObject::contentType);
        });
  }

  /** The keys of a bucket under a prefix ("" for all), in S3's order; empty if no bucket. */
  public List<String> keys(String bucket, String prefix) {
    return dispatcher.inspect(
        r -> {
          S3Store.StoredBucket b = r.s3.bucket(bucket);
          return b == null
              ? List.<String>of()
              : b.objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        });
  }

  private static S3Uri uri(String s3Uri) {
    S3Uri uri = S3Uri.parse(s3Uri);
    if (uri == null) {
      throw new IllegalArgumentException("Not an s3://bucket/key URI: " + s3Uri);
    }
    return uri;
  }
}
