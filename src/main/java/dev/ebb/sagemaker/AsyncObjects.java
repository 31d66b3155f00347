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

  /**
   * The objects whose keys start with {@code s3Prefix} (s3://bucket/prefix), as S3 URIs, every page
   * of ListObjectsV2 followed.
   */
  public java.util.List<String> list(String s3Prefix) {
    S3Location at = S3Location.parse(s3Prefix);
    return Calls.call(
        "ListObjectsV2",
        () ->
            clients
                .s3(Optional.empty())
                .listObjectsV2Paginator(r -> r.bucket(at.bucket()).prefix(at.key()))
                .contents()
                .stream()
                .map(o -> "s3://" + at.bucket() + "/" + o.key())
                .toList());
  }

  /** When the object at {@code s3Uri} was last written; empty when there is none. */
  public Optional<java.time.Instant> lastModified(String s3Uri) {
    S3Location at = S3Location.parse(s3Uri);
    try {
      return Optional.of(
          clients
              .s3(Optional.empty())
              .headObject(r -> r.bucket(at.bucket()).key(at.key()))
              .lastModified());
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return Optional.empty();
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty(); // HeadObject has no body, so no error code: only the status
      }
      throw new AwsCallException(AwsErrors.classify("HeadObject", e), e);
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw new AwsCallException(AwsErrors.classify("HeadObject", e), e);
    }
  }

  /** Deletes the object at {@code s3Uri} (S3 answers success when there is none). */
  public void delete(String s3Uri) {
    S3Location at = S3Location.parse(s3Uri);
    Calls.call(
        "DeleteObject",
        () -> clients.s3(Optional.empty()).deleteObject(r -> r.bucket(at.bucket()).key(at.key())));
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
