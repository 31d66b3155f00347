package dev.ebb.sagemaker;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The few S3 calls the local plane's batcher ({@code dev.ebb.batch}) makes, behind the AWS
 * boundary: list a prefix (ListObjectsV2, paginated), get an object, put an object from a file. The
 * client is set up as {@link ModelFetch}'s: {@code AWS_REGION} (else us-east-1 with cross-region
 * access), {@value ModelFetch#ENDPOINT_ENV} with path-style addressing when set, the SDK's default
 * credentials chain (anonymous when it finds none).
 */
public final class S3Objects implements AutoCloseable {
  private final S3Client s3;

  public S3Objects(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * From the environment {@code env}, as the model fetcher: credentials from {@code
   * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}) in {@code env}
   * when set there, else the SDK's default chain, else anonymous requests (said on {@code out}: S3
   * then refuses the writes).
   */
  public static S3Objects fromEnvironment(Map<String, String> env, PrintStream out) {
    return new S3Objects(ModelFetch.client(env, credentials(env, out)));
  }

  static AwsCredentialsProvider credentials(Map<String, String> env, PrintStream out) {
    String id = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
      String token = env.get("AWS_SESSION_TOKEN");
      return StaticCredentialsProvider.create(
          token == null || token.isBlank()
              ? AwsBasicCredentials.create(id, secret)
              : AwsSessionCredentials.create(id, secret, token));
    }
    return ModelFetch.defaultCredentials(out, "ebb-batch");
  }

  /** Every key under {@code prefix}, in S3's order (UTF-8 binary order), all pages. */
  public List<String> list(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
      keys.add(object.key());
    }
    return keys;
  }

  /** The object's bytes as a stream; the caller closes it. */
  public InputStream get(String bucket, String key) {
    return s3.getObject(r -> r.bucket(bucket).key(key));
  }

  /**
   * Puts {@code file} as the object, with {@code contentType} when not null, encrypted with the KMS
   * key {@code kmsKeyId} (SSE-KMS) when not null.
   */
  public void put(String bucket, String key, Path file, String contentType, String kmsKeyId) {
    s3.putObject(
        r -> {
          r.bucket(bucket).key(key);
          if (contentType != null && !contentType.isBlank()) {
            r.contentType(contentType);
          }
          if (kmsKeyId != null && !kmsKeyId.isBlank()) {
            r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
          }
        },
        RequestBody.fromFile(file));
  }

  /** One line for a failure of one of these calls: S3's error code and message when S3 said. */
  public static String reason(Throwable failure) {
    if (failure instanceof S3Exception) {
      return ModelFetch.reason(failure);
    }
    String message = failure.getMessage();
    return message == null
        ? failure.getClass().getSimpleName()
        : failure.getClass().getSimpleName() + ": " + message.replace('\n', ' ');
  }

  @Override
  public void close() {
    s3.close();
  }
}
