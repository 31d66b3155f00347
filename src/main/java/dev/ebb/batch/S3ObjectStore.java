package dev.ebb.batch;

import dev.ebb.sagemaker.S3Objects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** {@link ObjectStore} on S3, through the AWS boundary's {@link S3Objects}. */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
  private final S3Objects s3;

  public S3ObjectStore(S3Objects s3) {
    this.s3 = s3;
  }

  @Override
  public List<String> list(String bucket, String prefix) throws IOException {
    try {
      return s3.list(bucket, prefix);
    } catch (RuntimeException e) {
      throw new IOException(
          "ListObjectsV2 s3://" + bucket + "/" + prefix + ": " + S3Objects.reason(e), e);
    }
  }

  @Override
  public InputStream get(String bucket, String key) throws IOException {
    try {
      return s3.get(bucket, key);
    } catch (RuntimeException e) {
      throw new IOException("GetObject s3://" + bucket + "/" + key + ": " + S3Objects.reason(e), e);
    }
  }

  @Override
  public void put(String bucket, String key, Path file, String contentType, String kmsKeyId)
      throws IOException {
    try {
      s3.put(bucket, key, file, contentType, kmsKeyId);
    } catch (RuntimeException e) {
      throw new IOException("PutObject s3://" + bucket + "/" + key + ": " + S3Objects.reason(e), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
