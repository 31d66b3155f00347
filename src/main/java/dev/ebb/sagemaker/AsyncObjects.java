package dev.ebb.sagemaker;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The AWS side of asynchronous invocations on backend local, as SageMaker does it for its own: the
 * request's input read from S3, the result (or the failure) written to S3, and the SNS topics told.
 * Blocking; callers run it off the event loop.
 */
@ApplicationScoped
public class AsyncObjects {
  private final AwsClients clients;

  public AsyncObjects(AwsClients clients) {
    this.clients = clients;
  }

  /** The object at {@code s3Uri} (s3://bucket/key). */
  public byte[] read(String s3Uri) {
    S3Location at = S3Location.parse(s3Uri);
    return Calls.call(
        "GetObject",
        () ->
            clients
                .s3(Optional.empty())
                .getObjectAsBytes(r -> r.bucket(at.bucket()).key(at.key()))
                .asByteArray());
  }

  /** Writes {@code body} to {@code s3Uri}. */
  public void write(String s3Uri, byte[] body, String contentType) {
    S3Location at = S3Location.parse(s3Uri);
    Calls.call(
        "PutObject",
        () ->
            clients
                .s3(Optional.empty())
                .putObject(
                    r -> r.bucket(at.bucket()).key(at.key()).contentType(contentType),
                    RequestBody.fromBytes(body)));
  }

  /** Publishes {@code message} to the SNS topic {@code topicArn}, in the topic's own region. */
  public void publish(String topicArn, String message) {
    String[] arn = topicArn.split(":");
    Optional<String> region = arn.length > 3 ? Optional.of(arn[3]) : Optional.empty();
    Calls.call(
        "Publish", () -> clients.sns(region).publish(r -> r.topicArn(topicArn).message(message)));
  }

  /** A bucket and key. */
  public record S3Location(String bucket, String key) {
    /** Parses {@code s3://bucket/key}; the key may be empty (a prefix). */
    public static S3Location parse(String uri) {
      URI parsed = URI.create(uri);
      if (!"s3".equals(parsed.getScheme()) || parsed.getHost() == null) {
        throw new IllegalArgumentException("Not an S3 URI (s3://bucket/key): " + uri);
      }
      String path = parsed.getPath() == null ? "" : parsed.getPath();
      return new S3Location(parsed.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }
  }
}
