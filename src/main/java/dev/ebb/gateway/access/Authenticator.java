package dev.ebb.gateway.access;

import dev.ebb.api.v1alpha1.GatewayAccess;
import dev.ebb.api.v1alpha1.InferenceEndpoint;
import dev.ebb.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request may reach an endpoint, by the endpoint's {@code spec.access}: open only
 * with {@code public: true}; otherwise the request's credential must be one of the API keys of the
 * named Secret or a ServiceAccount token issued for the audience, of an allowed ServiceAccount. An
 * endpoint without {@code spec.access} is closed: it accepts ServiceAccount tokens of its own
 * namespace ({@link GatewayAccess#DEFAULT}). Nothing is sent to a model before this answers.
 */
@ApplicationScoped
public class Authenticator {
  private final ApiKeySecrets apiKeys;
  private final TokenReviews tokens;
  private final GatewayConfig config;

  public Authenticator(ApiKeySecrets apiKeys, TokenReviews tokens, GatewayConfig config) {
    this.apiKeys = apiKeys;
    this.tokens = tokens;
    this.config = config;
  }

  /** The decision. */
  public sealed interface Verdict {}

  /** The caller may go on; {@code principal} says who it is, for logs. */
  public record Allowed(String principal) implements Verdict {}

  /** The caller may not: answer {@code status} with SageMaker-style {@code code}. */
  public record Refused(int status, String code, String message) implements Verdict {}

  private static final Allowed OPEN = new Allowed("anonymous");

  /**
   * Checks the request's credential against {@code endpoint}'s access rules; {@code name} is the
   * endpoint's name as the client called it. Never fails: an API server that cannot answer becomes
   * a 503.
   */
  public Future<Verdict> check(InferenceEndpoint endpoint, String name, MultiMap headers) {
    if (GatewayAccess.isPublic(endpoint.getSpec().access())) {
      return Future.succeededFuture(OPEN);
    }
    GatewayAccess access = GatewayAccess.effective(endpoint.getSpec().access());
    String namespace = endpoint.getMetadata().getNamespace();
    Optional<String> credential = Credentials.of(headers);
    if (credential.isEmpty()) {
      return Future.succeededFuture(
          new Refused(
              401,
              "MissingAuthenticationTokenException",
              "Endpoint "
                  + name
                  + " requires a credential: it accepts "
                  + accepted(endpoint, access)
                  + ". Send 'Authorization: Bearer <key or token>' or 'X-Api-Key: <key or"
                  + " token>'. To open it to every caller, set spec.access.public: true on"
                  + " InferenceEndpoint "
                  + namespace
                  + "/"
                  + endpoint.getMetadata().getName()
                  + "."));
    }
    Future<Optional<Verdict>> byKey =
        access.apiKeys() == null
            ? Future.succeededFuture(Optional.empty())
            : apiKeys
                .check(namespace, access.apiKeys().secretRef().name(), credential.get())
                .map(
                    m ->
                        m == ApiKeySecrets.Match.MATCHES
                            ? Optional.of(new Allowed("api-key"))
                            : Optional.empty());
    return byKey
        .compose(
            verdict -> {
              if (verdict.isPresent()) {
                return Future.succeededFuture(verdict.get());
              }
              GatewayAccess.ServiceAccountTokens sa = access.serviceAccountTokens();
              if (sa == null || !Credentials.looksLikeJwt(credential.get())) {
                return Future.succeededFuture(unrecognized(name, access));
              }
              String audience = Optional.ofNullable(sa.audience()).orElse(config.tokenAudience());
              return tokens
                  .review(credential.get(), audience)
                  .map(review -> byServiceAccount(review, sa, namespace, name, audience));
            })
        .recover(
            failure ->
                Future.succeededFuture(
                    new Refused(
                        503,
                        "ServiceUnavailable",
                        "The gateway could not check the credential (the Kubernetes API did not"
                            + " answer); retry.")));
  }

  /** What {@code access} accepts, in words for a caller that sent no credential. */
  private String accepted(InferenceEndpoint endpoint, GatewayAccess access) {
    List<String> ways = new java.util.ArrayList<>();
    if (access.apiKeys() != null) {
      ways.add("API keys (spec.access.apiKeys)");
    }
    GatewayAccess.ServiceAccountTokens sa = access.serviceAccountTokens();
    if (sa != null) {
      String audience = Optional.ofNullable(sa.audience()).orElse(config.tokenAudience());
      String whose =
          sa.serviceAccounts() == null || sa.serviceAccounts().isEmpty()
              ? "of namespace " + endpoint.getMetadata().getNamespace()
              : "of the ServiceAccounts in spec.access.serviceAccountTokens.serviceAccounts";
      ways.add(
          "ServiceAccount tokens "
              + whose
              + " issued for audience "
              + audience
              + (endpoint.getSpec().access() == null
                  ? " (the default: spec.access is not set)"
                  : ""));
    }
    return String.join(" or ", ways);
  }

  private static Verdict byServiceAccount(
      TokenReviews.Review review,
      GatewayAccess.ServiceAccountTokens rules,
      String namespace,
      String name,
      String audience) {
    Optional<String> serviceAccount = review.serviceAccount();
    if (serviceAccount.isEmpty()) {
      return new Refused(
          401,
          "UnrecognizedClientException",
          "The credential is neither an API key of endpoint "
              + name
              + " nor a valid ServiceAccount token for audience "
              + audience
              + ".");
    }
    List<GatewayAccess.ServiceAccountRef> allowed =
        Optional.ofNullable(rules.serviceAccounts())
            .filter(l -> !l.isEmpty())
            .orElse(List.of(new GatewayAccess.ServiceAccountRef(namespace, null)));
    String who = serviceAccount.get();
    String itsNamespace = who.substring(0, who.indexOf('/'));
    String itsName = who.substring(who.indexOf('/') + 1);
    if (allowed.stream()
        .anyMatch(
            a ->
                a.namespace().equals(itsNamespace)
                    && (a.name() == null || a.name().equals(itsName)))) {
      return new Allowed(who);
    }
    return new Refused(
        403,
        "AccessDeniedException",
        "ServiceAccount " + who + " is not allowed to call endpoint " + name + ".");
  }

  private static Refused unrecognized(String name, GatewayAccess access) {
    return new Refused(
        401,
        "UnrecognizedClientException",
        access.serviceAccountTokens() == null
            ? "The credential is not an API key of endpoint " + name + "."
            : "The credential is neither an API key of endpoint "
                + name
                + " nor a ServiceAccount token.");
  }
}
