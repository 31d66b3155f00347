package dev.ebb.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** The object store the batcher reads input from and writes output to (S3). */
public interface ObjectStore {
  /** Every key under {@code prefix}, all pages. */
  List<String> list(String bucket, String prefix) throws IOException;

  /** The object's bytes; the caller closes the stream. */
  InputStream get(String bucket, String key) throws IOException;

  /** Puts {@code file} as the object ({@code contentType} and {@code kmsKeyId} may be null). */
  void put(String bucket, String key, Path file, String contentType, String kmsKeyId)
      throws IOException;
}
