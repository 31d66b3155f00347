package dev.ebb.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The S3 operations the simulator serves: buckets (create, head, delete) and objects (put, get,
 * head, delete, ListObjectsV2). Errors are S3's codes and messages; {@link S3Protocol} renders
 * them.
 */
final class S3Handler {
  /** S3's bucket naming rules, less the IP-address and reserved-prefix ones. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final S3Store store;

  S3Handler(S3Store store) {
    this.store = store;
  }

  S3Reply handle(Ctx ctx, S3Request in) {
    return switch (in.operation()) {
      case "CreateBucket" -> createBucket(ctx, in);
      case "HeadBucket" -> headBucket(in);
      case "DeleteBucket" -> deleteBucket(in);
      case "ListObjectsV2" -> S3Listing.listObjectsV2(store.require(in.bucket()), in.query());
      case "PutObject" -> putObject(ctx, in);
      case "GetObject" -> getObject(in, false);
      case "HeadObject" -> getObject(in, true);
      case "DeleteObject" -> deleteObject(in);
      default ->
          throw AwsError.of(
              501, "NotImplemented", "The simulator does not implement S3 " + in.operation() + ".");
    };
  }

  private S3Reply createBucket(Ctx ctx, S3Request in) {
    if (!BUCKET.matcher(in.bucket()).matches() || in.bucket().contains("..")) {
      throw AwsError.of(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
    if (store.bucket(in.bucket()) != null) {
      throw AwsError.of(
          409,
          "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.");
    }
    store.create(in.bucket(), ctx.region().name(), ctx.now());
    return S3Reply.of(200).header("Location", "/" + in.bucket());
  }

  private S3Reply headBucket(S3Request in) {
    S3Store.StoredBucket bucket = store.require(in.bucket());
    return S3Reply.of(200).header("x-amz-bucket-region", bucket.region);
  }

  private S3Reply deleteBucket(S3Request in) {
    if (!store.require(in.bucket()).objects.isEmpty()) {
      throw AwsError.of(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
    }
    store.delete(in.bucket());
    return S3Reply.of(204);
  }

  private S3Reply putObject(Ctx ctx, S3Request in) {
    S3Store.StoredBucket bucket = store.require(in.bucket());
    byte[] body = in.body();
    Map<String, String> trailers = Map.of();
    if (AwsChunked.applies(in)) {
      AwsChunked.Decoded decoded = AwsChunked.decode(body);
      body = decoded.body();
      trailers = decoded.trailers();
      String declared = in.header("x-amz-decoded-content-length");
      if (declared != null && Long.parseLong(declared.strip()) != body.length) {
        throw AwsError.of(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header.");
      }
    }
    S3Checksums.checkMd5(in.header("Content-MD5"), body);
    String algorithm = null;
    String checksum = null;
    for (String candidate : S3Checksums.ALGORITHMS) {
      String value = in.header("x-amz-checksum-" + candidate);
      value = value != null ? value : trailers.get("x-amz-checksum-" + candidate);
      if (value != null) {
        S3Checksums.check(candidate, value, body);
        algorithm = candidate;
        checksum = value;
      }
    }
    S3Store.StoredObject object =
        new S3Store.StoredObject(
            body,
            in.header("Content-Type") == null ? "binary/octet-stream" : in.header("Content-Type"),
            withoutAwsChunked(in.header("Content-Encoding")),
            S3Checksums.etag(body),
            ctx.now(),
            metadata(in),
            algorithm,
            checksum);
    bucket.objects.put(in.key(), object);
    S3Reply reply = S3Reply.of(200).header("ETag", object.etag());
    if (algorithm != null) {
      reply.header("x-amz-checksum-" + algorithm, checksum);
    }
    return reply;
  }

  private S3Reply getObject(S3Request in, boolean head) {
    S3Store.StoredObject object = store.require(in.bucket()).objects.get(in.key());
    if (object == null) {
      throw AwsError.of(404, "NoSuchKey", "The specified key does not exist.");
    }
    S3Reply reply =
        S3Reply.of(200)
            .header("Content-Type", object.contentType())
            .header("Content-Encoding", object.contentEncoding())
            .header("ETag", object.etag())
            .header("Last-Modified", Xml.httpDate(object.lastModified()))
            .header("Accept-Ranges", "bytes");
    object.metadata().forEach((name, value) -> reply.header("x-amz-meta-" + name, value));
    // S3 returns the stored checksum only when asked, and the SDK then verifies it.
    if (object.checksumAlgorithm() != null
        && "ENABLED".equalsIgnoreCase(in.header("x-amz-checksum-mode"))) {
      reply.header("x-amz-checksum-" + object.checksumAlgorithm(), object.checksum());
      reply.header("x-amz-checksum-type", "FULL_OBJECT");
    }
    if (head) {
      return reply.header("Content-Length", String.valueOf(object.bytes().length));
    }
    return reply.withBody(object.bytes());
  }

  private S3Reply deleteObject(S3Request in) {
    store.require(in.bucket()).objects.remove(in.key());
    return S3Reply.of(204);
  }

  /** User metadata: the {@code x-amz-meta-*} headers, names lower-cased as S3 returns them. */
  private static Map<String, String> metadata(S3Request in) {
    Map<String, String> out = new TreeMap<>();
    in.headers()
        .forEach(
            (name, value) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.startsWith("x-amz-meta-")) {
                out.put(lower.substring("x-amz-meta-".length()), value);
              }
            });
    return out;
  }

  /** S3 stores the Content-Encoding the client meant, without the transfer's aws-chunked. */
  private static String withoutAwsChunked(String encoding) {
    if (encoding == null) {
      return null;
    }
    String rest =
        String.join(
            ",",
            Arrays.stream(encoding.split(","))
                .map(String::strip)
                .filter(e -> !e.equalsIgnoreCase("aws-chunked") && !e.isEmpty())
                .toList());
    return rest.isEmpty() ? null : rest;
  }
}
