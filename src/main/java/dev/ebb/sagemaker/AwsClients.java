package dev.ebb.sagemaker;

import dev.ebb.config.AwsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * SDK clients, one per service and region, created on first use and shared (they are thread-safe).
 * Credentials come from the SDK's default chain: IRSA web identity, EKS Pod Identity, environment,
 * profile, instance metadata.
 */
@ApplicationScoped
public class AwsClients {
  private final AwsConfig config;
  private final DefaultCredentialsProvider credentials =
      DefaultCredentialsProvider.builder().build();
  private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();

  private final AwsCallMetrics metrics;

  public AwsClients(AwsConfig config, MeterRegistry registry) {
    this.config = config;
    this.metrics = new AwsCallMetrics(registry);
  }

  /** The SageMaker client for {@code region}, or for the default region when empty. */
  public SageMakerClient sageMaker(Optional<String> region) {
    return client(SageMakerClient::builder, region);
  }

  /** The Application Auto Scaling client for {@code region} (default region when empty). */
  public ApplicationAutoScalingClient applicationAutoScaling(Optional<String> region) {
    return client(ApplicationAutoScalingClient::builder, region);
  }

  /** The CloudWatch client for {@code region} (default region when empty). */
  public CloudWatchClient cloudWatch(Optional<String> region) {
    return client(CloudWatchClient::builder, region);
  }

  /**
   * The S3 client for {@code region} (default region when empty). Buckets in other regions are
   * reached too; with an endpoint override (the simulator) buckets are addressed by path.
   */
  public S3Client s3(Optional<String> region) {
    boolean override = config.endpointOverride().isPresent();
    return client(
        () -> S3Client.builder().forcePathStyle(override).crossRegionAccessEnabled(!override),
        region);
  }

  /** The SNS client for {@code region} (default region when empty). */
  public SnsClient sns(Optional<String> region) {
    return client(SnsClient::builder, region);
  }

  /**
   * The region an object's calls go to: its own, else {@code ebb.aws.default-region}, else the
   * SDK's region chain.
   */
  public Region region(Optional<String> requested) {
    Optional<String> configured = requested.or(config::defaultRegion);
    if (configured.isPresent()) {
      return Region.of(configured.get());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      throw new AwsCallException(
          new AwsFailure(
              AwsErrorKind.VALIDATION,
              "NoRegion",
              "No AWS region: set spec.sagemaker.region, ebb.aws.default-region or AWS_REGION",
              "ResolveRegion"),
          e);
    }
  }

  /**
   * SageMaker Runtime's URL for invoking endpoint {@code endpointName} in {@code region}: the
   * InvokeEndpoint path, or InvokeEndpointAsync's for an asynchronous endpoint. With an endpoint
   * override (the simulator), the override's URL.
   */
  public String invocationsUrl(Optional<String> region, String endpointName, boolean async) {
    return invocationsUrl(
        region,
        endpointName,
        async ? RuntimeOperation.INVOKE_ENDPOINT_ASYNC : RuntimeOperation.INVOKE_ENDPOINT);
  }

  /** SageMaker Runtime's URL for {@code operation} on endpoint {@code endpointName}. */
  public String invocationsUrl(
      Optional<String> region, String endpointName, RuntimeOperation operation) {
    String base =
        config
            .endpointOverride()
            .map(uri -> uri.toString().replaceAll("/+$", ""))
            .orElseGet(
                () -> {
                  Region r = region(region);
                  String domain =
                      Optional.ofNullable(r.metadata())
                          .map(RegionMetadata::domain)
                          .orElse("amazonaws.com");
                  return "https://runtime.sagemaker." + r.id() + "." + domain;
                });
    return base + "/endpoints/" + endpointName + operation.path();
  }

  /**
   * {@code operation} on {@code endpointName}, signed with SigV4 by the SDK's signer and this
   * operator's credentials (the gateway's pass-through to SageMaker Runtime).
   *
   * @param headers the request headers to sign and send (Content-Type, Accept, X-Amzn-SageMaker-*)
   */
  public SignedRequest signInvocation(
      Optional<String> region,
      String endpointName,
      RuntimeOperation operation,
      Map<String, String> headers,
      byte[] body) {
    Region r = region(region);
    SdkHttpFullRequest.Builder request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create(invocationsUrl(region, endpointName, operation)));
    headers.forEach(request::putHeader);
    var signed =
        AwsV4HttpSigner.create()
            .sign(
                s ->
                    s.identity(credentials.resolveIdentity().join())
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, r.id()));
    return new SignedRequest(signed.request().getUri().toString(), signed.request().headers());
  }

  /** The id of {@link #region}, e.g. us-east-1. */
  public String regionId(Optional<String> requested) {
    return region(requested).id();
  }

  @SuppressWarnings("unchecked")
  private <
          C extends SdkAutoCloseable, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>>
      C client(Supplier<B> builder, Optional<String> requestedRegion) {
    Region region = region(requestedRegion);
    B prototype = builder.get();
    String key = prototype.getClass().getName() + "/" + region.id();
    return (C)
        clients.computeIfAbsent(
            key,
            k -> {
              B b =
                  prototype
                      .region(region)
                      .credentialsProvider(credentials)
                      .httpClientBuilder(UrlConnectionHttpClient.builder())
                      .overrideConfiguration(
                          o ->
                              o.addExecutionInterceptor(metrics)
                                  .retryStrategy(
                                      AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                          .maxAttempts(config.maxAttempts())
                                          .build()));
              config.endpointOverride().ifPresent(b::endpointOverride);
              return b.build();
            });
  }

  @PreDestroy
  void close() {
    clients.values().forEach(SdkAutoCloseable::close);
    credentials.close();
  }
}
