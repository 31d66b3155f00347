package dev.ebb.batch;

import dev.ebb.sagemaker.S3Location;

/**
 * One S3 object to transform, and where its output goes.
 *
 * @param relative its path relative to the input prefix (or the manifest's prefix): the output
 *     object is {@code <S3OutputPath>/<relative>.out}
 */
public record InputObject(String bucket, String key, String relative) {
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }

  /** The output's key under {@code outputPath}. */
  public S3Location output(S3Location outputPath) {
    String prefix = outputPath.key();
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    return new S3Location(outputPath.bucket(), prefix + relative + ".out");
  }
}
