package dev.ebb.testing;

import dev.ebb.simulator.SageMakerSimulator;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * A real SageMaker client on the simulator that stands in for an operator process dying right after
 * its Nth successful AWS mutation: the call reached SageMaker, the answer never reached Ebb, and
 * every later call fails as if the process were gone. Crash-consistency tests run passes with it,
 * then recover with a {@link #healthy} client that has no memory of the first.
 */
public final class CrashingClient implements ExecutionInterceptor {
  private final int limit;
  private final AtomicInteger mutations = new AtomicInteger();

  private CrashingClient(int limit) {
    this.limit = limit;
  }

  /** Signals the crash inside a pass; catch it where the process would have died. */
  public static final class ProcessGone extends IllegalStateException {
    ProcessGone(String message) {
      super(message);
    }
  }

  /**
   * A client that dies after {@code mutations} successful mutating calls, and the crash's state.
   */
  public static Crash after(int mutations, SageMakerSimulator simulator, String region) {
    CrashingClient interceptor = new CrashingClient(mutations);
    return new Crash(build(simulator, region, interceptor), interceptor);
  }

  /** A fresh client: the restarted operator. */
  public static SageMakerClient healthy(SageMakerSimulator simulator, String region) {
    return build(simulator, region, null);
  }

  /** The dying client and whether it has died yet. */
  public record Crash(SageMakerClient client, CrashingClient interceptor) implements AutoCloseable {
    public boolean happened() {
      return interceptor.crashed();
    }

    @Override
    public void close() {
      client.close();
    }
  }

  private boolean crashed() {
    return mutations.get() >= limit;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (crashed()) {
      throw new ProcessGone("operator process is gone");
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    if (!operation.startsWith("Describe") && !operation.startsWith("List")) {
      if (mutations.incrementAndGet() >= limit) {
        // The call reached SageMaker; the process dies before it hears the answer.
        throw new ProcessGone("operator crashed after " + operation);
      }
    }
  }

  private static SageMakerClient build(
      SageMakerSimulator simulator, String region, ExecutionInterceptor interceptor) {
    var builder =
        SageMakerClient.builder()
            .endpointOverride(simulator.endpoint())
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (interceptor != null) {
      builder.overrideConfiguration(o -> o.addExecutionInterceptor(interceptor));
    }
    return builder.build();
  }
}
