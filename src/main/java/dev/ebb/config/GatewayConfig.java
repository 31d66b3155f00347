package dev.ebb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The gateway: SageMaker Runtime's API in front of backend local's copies. Properties {@code
 * ebb.gateway.*}; environment {@code EBB_GATEWAY_*}. Per-endpoint holding limits are in {@code
 * InferenceEndpoint.spec.local.gateway}; these are the operator-wide defaults and limits.
 */
@ConfigMapping(prefix = "ebb.gateway")
public interface GatewayConfig {
  /**
   * The gateway's address as clients reach it (its Service), for {@code status.url} of local
   * endpoints.
   */
  @WithDefault("http://ebb-gateway.ebb-system")
  String url();

  /**
   * Largest request body accepted, in bytes (SageMaker real-time inference: 6 MB); larger → 413.
   */
  @WithDefault("6291456")
  int maxPayloadBytes();

  /** How long a request may take at the model server once sent (SageMaker's limit is 60 s). */
  @WithDefault("60s")
  Duration requestTimeout();

  /**
   * Logs one line per request answered for a local component (category {@code
   * dev.ebb.gateway.access}, marked {@code ebb-access}): arrival, outcome, wait for a copy, time at
   * the copy, body size. {@code what-if --trace} replays it. Off by default: a line per request
   * costs throughput.
   */
  @WithDefault("false")
  boolean accessLog();

  /** Requests held per component at zero copies when its endpoint does not say. */
  @WithDefault("1000")
  int maxQueuedRequests();

  /**
   * Bytes of request bodies the gateway holds at once while copies start, over all components (64
   * MiB); a request that would pass it is answered 429 {@code ModelNotReadyException} at once, as
   * when a component's count bound is reached. Bodies of asynchronous invocations are not held in
   * memory (they are read from S3 when a copy is ready) and do not count.
   */
  @WithDefault("67108864")
  long maxHeldBytes();

  /** How long a held request waits for a copy when its endpoint does not say. */
  @WithDefault("600s")
  Duration coldStartTimeout();

  /**
   * How often the gateway asks a starting copy {@code GET /ping} while it holds requests for its
   * component, so they go out as soon as the model server answers rather than when kubelet's next
   * readiness probe (every 5–10 s) sees it. Fast enough that the gap between "/ping answers" and
   * "first request sent" stays well under a second; light enough not to hammer a loading server:
   * one GET per interval per starting copy, never two at once, and only during a wake.
   */
  @WithDefault("200ms")
  Duration copyProbeInterval();

  /** Connections kept open to each copy (HTTP/1.1 keep-alive). */
  @WithDefault("64")
  int connectionsPerCopy();

  /**
   * Asynchronous invocations run at once per ready copy of a local component when its endpoint's
   * {@code spec.async.maxConcurrentInvocationsPerInstance} does not say.
   */
  @WithDefault("4")
  int asyncConcurrencyPerCopy();

  /**
   * How often the leader lists the asynchronous invocations recorded in S3 that it does not run
   * yet: those accepted by another replica (which also tells the leader at once, when it can reach
   * it) and those a replica that died left behind.
   */
  @WithDefault("5s")
  Duration asyncScanInterval();

  /**
   * The audience ServiceAccount tokens must be issued for when an endpoint's {@code
   * spec.access.serviceAccountTokens.audience} does not say. A token for the API server's own
   * audience is refused, so a pod's default token cannot be replayed against the gateway.
   */
  @WithDefault("ebb-gateway")
  String tokenAudience();

  /**
   * How long a TokenReview verdict is reused for the same token (refusals too, so a flood of bad
   * tokens does not become a flood of TokenReviews). Removal of a ServiceAccount is seen after at
   * most this long.
   */
  @WithDefault("30s")
  Duration tokenReviewCacheTtl();
}
