package dev.ebb.sagemaker;

/**
 * A bucket and a key (or key prefix) from {@code s3://bucket/key}, taken as written (no URI
 * decoding): the model fetcher's and the batcher's S3 URIs. (Asynchronous inference's locations,
 * which arrive as URIs in requests, are parsed as URIs: {@link AsyncObjects.S3Location}.)
 */
public record S3Location(String bucket, String key) {
  public static S3Location parse(String url) {
    if (url == null || !url.startsWith("s3://")) {
      throw new IllegalArgumentException("not an S3 URL (s3://bucket/key): " + url);
    }
    String rest = url.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("not an S3 URL (s3://bucket/key): " + url);
    }
    return new S3Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
