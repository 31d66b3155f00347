package dev.ebb.simulator;

/** An {@code s3://bucket/key} location, as SageMaker's asynchronous inference names objects. */
record S3Uri(String bucket, String key) {
  /** The location, or null if {@code uri} is not an s3:// URI with a bucket and a key. */
  static S3Uri parse(String uri) {
    if (uri == null || !uri.startsWith("s3://")) {
      return null;
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return null;
    }
    return new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** {@code path} (an S3 prefix URI such as S3OutputPath) joined with a file name. */
  static String join(String path, String name) {
    return (path.endsWith("/") ? path : path + "/") + name;
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
