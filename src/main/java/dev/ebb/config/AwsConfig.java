package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** How Ebb reaches AWS. Properties {@code ebb.aws.*}; environment {@code EBB_AWS_*}. */
@ConfigMapping(prefix = "ebb.aws")
public interface AwsConfig {
  /**
   * Region for endpoints that do not set {@code spec.sagemaker.region}. Unset: the SDK's region
   * chain (AWS_REGION, the profile, instance metadata).
   */
  Optional<String> defaultRegion();

  /**
   * Send every AWS call to this URL instead of AWS: Ebb's SageMaker simulator in tests and the
   * sandbox. Unset in production.
   */
  Optional<URI> endpointOverride();

  /**
   * IAM role SageMaker assumes for endpoints that do not set {@code
   * spec.sagemaker.executionRoleArn}: one role per cluster, so users need not hand-wire ARNs.
   */
  Optional<String> defaultExecutionRoleArn();

  /**
   * Attempts per AWS call, including the first, made by the SDK's adaptive retry (which also
   * rate-limits the client when AWS throttles). Reconcilers retry further on their own schedule.
   */
  @WithDefault("5")
  int maxAttempts();
}
