package dev.ebb.gateway.access;

import dev.ebb.config.GatewayConfig;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ServiceAccount tokens checked by the API server (TokenReview, bound to an audience), with each
 * verdict reused for {@code ebb.gateway.token-review-cache-ttl}: a steady client costs one review
 * per TTL, not one per request, and concurrent requests with a new token share one review.
 */
@ApplicationScoped
public class TokenReviews {
  /** Beyond this many cached tokens the expired ones go, and if that is not enough, all. */
  private static final int MAX_CACHED = 10_000;

  private final KubernetesClient client;
  private final Vertx vertx;
  private final GatewayConfig config;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public TokenReviews(KubernetesClient client, Vertx vertx, GatewayConfig config) {
    this.client = client;
    this.vertx = vertx;
    this.config = config;
  }

  /** The API server's verdict on a token. */
  public record Review(boolean authenticated, String username, List<String> audiences) {
    /** {@code namespace/name} when the token is a ServiceAccount's. */
    Optional<String> serviceAccount() {
      String prefix = "system:serviceaccount:";
      if (!authenticated || username == null || !username.startsWith(prefix)) {
        return Optional.empty();
      }
      String rest = username.substring(prefix.length());
      int colon = rest.indexOf(':');
      return colon < 0
          ? Optional.empty()
          : Optional.of(rest.substring(0, colon) + "/" + rest.substring(colon + 1));
    }
  }

  private record Cached(Future<Review> review, long expiresNanos) {}

  /** Reviews {@code token} for {@code audience}; fails only when the API server cannot answer. */
  public Future<Review> review(String token, String audience) {
    String key = Credentials.sha256Hex(token) + "|" + audience;
    long now = System.nanoTime();
    Cached cached = cache.get(key);
    if (cached != null && cached.expiresNanos - now > 0) {
      return cached.review;
    }
    trim(now);
    Future<Review> review =
        vertx
            .executeBlocking(() -> ask(token, audience), false)
            .onFailure(e -> cache.remove(key)); // an API server outage is not a verdict
    cache.put(key, new Cached(review, now + config.tokenReviewCacheTtl().toNanos()));
    return review;
  }

  private Review ask(String token, String audience) {
    TokenReview answer =
        client
            .authentication()
            .v1()
            .tokenReviews()
            .create(
                new TokenReviewBuilder()
                    .withNewSpec()
                    .withToken(token)
                    .withAudiences(audience)
                    .endSpec()
                    .build());
    var status = answer.getStatus();
    boolean authenticated =
        status != null
            && Boolean.TRUE.equals(status.getAuthenticated())
            // The API server authenticates only tokens whose audience intersects the one asked
            // for; checking the answer too keeps that promise if an authenticator does not.
            && status.getAudiences() != null
            && status.getAudiences().contains(audience);
    return new Review(
        authenticated,
        authenticated && status.getUser() != null ? status.getUser().getUsername() : null,
        status == null || status.getAudiences() == null ? List.of() : status.getAudiences());
  }

  private void trim(long now) {
    if (cache.size() < MAX_CACHED) {
      return;
    }
    cache.values().removeIf(c -> c.expiresNanos - now <= 0);
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
  }
}
