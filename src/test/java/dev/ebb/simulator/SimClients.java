package dev.ebb.simulator;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Real SDK clients pointed at a simulator: static test credentials, the URL-connection HTTP client
 * (the async runtime client gets {@link JavaNetAsyncHttpClient}, as Ebb excludes Netty).
 */
public final class SimClients {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private SimClients() {}

  public static SageMakerClient sageMaker(SageMakerSimulator sim, Region region) {
    return SageMakerClient.builder()
        .endpointOverride(sim.endpoint())
        .region(region)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  public static SageMakerRuntimeClient runtime(SageMakerSimulator sim, Region region) {
    return SageMakerRuntimeClient.builder()
        .endpointOverride(sim.endpoint())
        .region(region)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** For InvokeEndpointWithResponseStream, which the SDK offers only on the async client. */
  public static SageMakerRuntimeAsyncClient runtimeAsync(SageMakerSimulator sim, Region region) {
    return SageMakerRuntimeAsyncClient.builder()
        .endpointOverride(sim.endpoint())
        .region(region)
        .credentialsProvider(CREDENTIALS)
        .httpClient(new JavaNetAsyncHttpClient())
        .build();
  }

  /**
   * Path-style S3 (the simulator has one host name). {@code checksums} is the SDK's
   * requestChecksumCalculation: WHEN_SUPPORTED (its default) uploads aws-chunked with a CRC32
   * trailer, WHEN_REQUIRED plainly.
   */
  public static S3Client s3(
      SageMakerSimulator sim, Region region, RequestChecksumCalculation checksums) {
    return S3Client.builder()
        .endpointOverride(sim.endpoint())
        .forcePathStyle(true)
        .region(region)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .requestChecksumCalculation(checksums)
        .build();
  }

  public static S3Client s3(SageMakerSimulator sim, Region region) {
    return s3(sim, region, RequestChecksumCalculation.WHEN_SUPPORTED);
  }

  /** Presigned S3 URLs for the simulator, path style; the credential scope travels in the query. */
  public static S3Presigner s3Presigner(SageMakerSimulator sim, Region region) {
    return S3Presigner.builder()
        .endpointOverride(sim.endpoint())
        .region(region)
        .credentialsProvider(CREDENTIALS)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  public static SnsClient sns(SageMakerSimulator sim, Region region) {
    return SnsClient.builder()
        .endpointOverride(sim.endpoint())
        .region(region)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
