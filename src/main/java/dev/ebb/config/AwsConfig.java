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
   * Attempts per AWS call, including the first, made by the SDK's standard retry: exponential
   * backoff with jitter per call, longer after a throttling error. Not the adaptive retry, whose
   * client-side rate limit is shared by every object of the operator and, after a throttling
   * episode, held a reconciler's sparse calls about 2 s apart for minutes (its rate is capped at
   * twice the rate it measures, which its own limit keeps low). Reconcilers retry further on their
   * own schedule, with backoff across passes.
   */
  @WithDefault("5")
  int maxAttempts();
}
